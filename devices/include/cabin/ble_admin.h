/* ble_admin.h — the technician's Bluetooth LE operations on BlueZ (system D-Bus,
 * sd-bus): scan for health instruments, list them, pair (bond) one, forget one.
 * Blocking calls: run them off the UI thread (kiosk/service/bluetooth.c does).
 * Which instruments the cabin drives is the caller's list of addresses, given to the
 * device manager (cab_devices_set_ble_instruments); BlueZ keeps the bonds.
 *
 * Sources: BlueZ D-Bus API (doc/org.bluez.Adapter.rst: SetDiscoveryFilter with
 * "UUIDs" and "Transport" "le", StartDiscovery, StopDiscovery, RemoveDevice;
 * doc/org.bluez.Device.rst: Pair, errors org.bluez.Error.AlreadyExists,
 * AuthenticationFailed..., property Trusted). Health services: Bluetooth SIG Assigned
 * Numbers (0x1808 Glucose, 0x1809 Health Thermometer, 0x1810 Blood Pressure, 0x181D
 * Weight Scale, 0x1822 Pulse Oximeter). Pairing uses BlueZ's default agent: "Just
 * Works" instruments pair; one that asks the host for a passkey is refused by BlueZ
 * (AuthenticationFailed) and the message says so. */
#ifndef CABIN_BLE_ADMIN_H
#define CABIN_BLE_ADMIN_H

#include <stddef.h>

#include "cabin/reading.h"

/* One Bluetooth device BlueZ knows that offers a health service. */
struct cab_ble_found {
	char address[18];          /* "AA:BB:CC:DD:EE:FF" */
	char name[48];             /* its Name (or Alias), "" unknown */
	enum cab_device_kind kind; /* from its first health service */
	int paired;                /* Device1.Paired (bonded) */
	int connected;             /* Device1.Connected */
};

/* Scans for MS milliseconds (1000..60000) on the first adapter, filtered on the
 * health services over LE: SetDiscoveryFilter, StartDiscovery, wait, StopDiscovery.
 * Found devices appear in cab_ble_list. 0, or -ENODEV (no adapter), -EIO (BlueZ
 * refused: ERR says why), -ENOTCONN (no system bus or no BlueZ). */
int cab_ble_scan(int ms, char *err, size_t size);

/* Lists up to MAX devices BlueZ knows that offer a health service, in BlueZ's
 * order. Returns how many (may exceed MAX: only MAX written) or -ENOTCONN. */
int cab_ble_list(struct cab_ble_found *out, int max);

/* Pairs (bonds) ADDRESS and marks it trusted (Device1.Pair, then Trusted = true).
 * Already paired is success. 0, -ENOENT (BlueZ does not know it: scan first), -EIO
 * (pairing refused: ERR gives BlueZ's error), -ENOTCONN. Waits at most 60 s. */
int cab_ble_pair(const char *address, char *err, size_t size);

/* Removes ADDRESS from BlueZ (Adapter1.RemoveDevice: bond and cache gone). 0,
 * -ENOENT (not known: already forgotten), -EIO, -ENOTCONN. */
int cab_ble_forget(const char *address, char *err, size_t size);

#endif
