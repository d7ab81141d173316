/* bluez.h — Bluetooth Low Energy through BlueZ over D-Bus (sd-bus from libsystemd):
 * the GATT link of one instrument as a struct cdi_transport, and the object walk the
 * device manager uses to discover instruments. Internal to devices/: prefix cdi_.
 *
 * Sources: BlueZ D-Bus API documentation (doc/org.bluez.Device.rst,
 * org.bluez.GattCharacteristic.rst, org.bluez.Adapter.rst in the BlueZ tree: Device1
 * Connect/Pair, properties Address, Name, Alias, UUIDs, Paired, Connected,
 * ServicesResolved; GattCharacteristic1 UUID, Service, Value, Notifying, StartNotify,
 * StopNotify, ReadValue(a{sv}), WriteValue(ay, a{sv}) with option "type" "request");
 * the D-Bus specification's org.freedesktop.DBus.ObjectManager (GetManagedObjects,
 * InterfacesAdded, InterfacesRemoved) and org.freedesktop.DBus.Properties
 * (PropertiesChanged). A notification or indication arrives as PropertiesChanged of
 * the characteristic's Value. 16-bit UUIDs are the Bluetooth SIG's Assigned Numbers
 * on the Bluetooth Base UUID 0000xxxx-0000-1000-8000-00805f9b34fb (Core 5.3 Vol 3
 * Part B 2.5.1).
 *
 * The bus is the system bus (sd_bus_open_system: $DBUS_SYSTEM_BUS_ADDRESS when set,
 * which the tests point at a private bus with python3-dbusmock's bluez5 template). */
#ifndef CABIN_DEVICES_BLUEZ_H
#define CABIN_DEVICES_BLUEZ_H

#include <stddef.h>
#include <stdint.h>

#include "devices/internal/transport.h"

typedef struct sd_bus sd_bus;
typedef struct sd_bus_message sd_bus_message;

/* Longest characteristic value carried (ATT_MTU 517 - 3, Core 5.3 Vol 3 Part F 3.2.9). */
#define CDI_BLUEZ_MAX_VALUE 512

/* "0000xxxx-0000-1000-8000-00805f9b34fb" (any case) -> 0xxxxx; 0 for any other UUID
 * (128-bit vendor UUIDs, bad text). Pure. */
uint16_t cdi_bluez_uuid16(const char *uuid);

/* The kind of instrument a health service makes (GATT_SVC_*: 0x1808 glucometer,
 * 0x1809 thermometer, 0x1810 blood pressure, 0x181D scale, 0x1822 pulse oximeter),
 * CAB_KIND_UNKNOWN (0) for any other service. Pure. */
int cdi_bluez_service_kind(uint16_t uuid16);

/* Walks org.bluez's GetManagedObjects on BUS (timeout 2 s, no bus activation of
 * bluetoothd): for every property of
 * every interface of every object calls FN(PATH, IFACE, KEY, M, UD) with M positioned
 * on the property's variant. FN reads the variant (cdi_bluez_read_*) and returns 1, or
 * returns 0 and the walk skips it. Returns 0, or a negative errno (no org.bluez). */
int cdi_bluez_walk(sd_bus *bus,
                   int (*fn)(const char *path, const char *iface, const char *key,
                             sd_bus_message *m, void *ud),
                   void *ud);

/* Variant readers for cdi_bluez_walk and PropertiesChanged handlers: each checks the
 * variant's signature ("b", "s" or "o", "as", "ay") and returns 1 with the value, or
 * 0 when the variant holds another type (then the caller skips it). Strings are cut
 * to SIZE - 1 bytes. For "as", FN is called for each string. */
int cdi_bluez_read_bool(sd_bus_message *m, int *out);
int cdi_bluez_read_str(sd_bus_message *m, char *out, size_t size);
int cdi_bluez_read_strv(sd_bus_message *m, void (*fn)(const char *s, void *ud), void *ud);
int cdi_bluez_read_bytes(sd_bus_message *m, uint8_t *out, size_t size, size_t *len);

/* ---- the GATT link of one instrument (a struct cdi_transport) ---------------- */

/* Opens a link to the BlueZ device object DEVICE_PATH ("/org/bluez/hci0/dev_..."):
 * its own system-bus connection, subscribed to the device's and its characteristics'
 * PropertiesChanged and to InterfacesRemoved/Added. Does not connect.
 * Transport semantics:
 *  - read: one notification or indication per call, as [UUID16 low, high, value...]
 *    (value up to CDI_BLUEZ_MAX_VALUE bytes); CDI_T_TIMEOUT when none arrived;
 *    CDI_T_GONE when BlueZ removed the device object (forgotten, adapter gone) or
 *    the bus closed. While waiting it follows Connected/ServicesResolved.
 *  - write: BUF = [UUID16 low, high, value...] -> WriteValue with "type" "request"
 *    (a write with response, as the RACP needs: GLS 3.6). LEN, or a negative error
 *    (CDI_T_INVALID: no such characteristic).
 * Returns 0 and *OUT, or a negative cdi_transport_err (no system bus). */
int cdi_bluez_open(const char *device_path, struct cdi_transport **out);

/* 1 when T is a BlueZ link. */
int cdi_bluez_is(const struct cdi_transport *t);

/* Link state bits (cdi_bluez_link_state). */
#define CDI_BLUEZ_CONNECTED 1u /* Device1.Connected */
#define CDI_BLUEZ_RESOLVED 2u  /* Device1.ServicesResolved: the GATT objects exist */

/* Current CDI_BLUEZ_* bits as last seen (GetManagedObjects at open, then signals). */
unsigned cdi_bluez_link_state(struct cdi_transport *t);

/* The device's Name (or Alias) and Address as read at open ("" when absent). */
const char *cdi_bluez_name(struct cdi_transport *t);
const char *cdi_bluez_address(struct cdi_transport *t);

/* Asks BlueZ to connect (Device1.Connect, waiting at most TIMEOUT_MS for the reply:
 * bluetoothd goes on connecting after our wait, and the Connected property tells).
 * 0 (connected, already connected, or still trying), or CDI_T_IO with the BlueZ
 * error logged (e.g. org.bluez.Error.Failed: the instrument is not advertising). */
int cdi_bluez_connect(struct cdi_transport *t, int timeout_ms);

/* Finds the GATT characteristics under the device (GetManagedObjects). Returns how
 * many, or a negative error. Called again after each (re)connection. */
int cdi_bluez_scan_gatt(struct cdi_transport *t);

/* 1 when the device exposes characteristic UUID16 (after cdi_bluez_scan_gatt). */
int cdi_bluez_has_chr(struct cdi_transport *t, uint16_t uuid16);

/* StartNotify on characteristic UUID16 (notifications or indications, as its Flags
 * say: BlueZ writes the Client Characteristic Configuration descriptor). 0, or
 * CDI_T_INVALID (no such characteristic), CDI_T_IO (BlueZ error logged). */
int cdi_bluez_start_notify(struct cdi_transport *t, uint16_t uuid16);

/* ReadValue of characteristic UUID16 into BUF. Returns the length or < 0. */
int cdi_bluez_read_chr(struct cdi_transport *t, uint16_t uuid16, uint8_t *buf, size_t len);

#endif
