/* ble_watch.h — the device manager's Bluetooth LE discovery: follows BlueZ's objects
 * on the system bus (ObjectManager InterfacesAdded/InterfacesRemoved, Device1
 * PropertiesChanged) and turns each Device1 that offers a health service (GATT
 * 0x1808, 0x1809, 0x1810, 0x181D, 0x1822 in its UUIDs) AND whose address the cabin
 * adopted (the technician paired it in the service menu: cab_devices_config's
 * ble_instruments) into a candidate of bus CDI_BUS_BLE. A neighbour's instrument in
 * the pharmacy is never taken. Sources: devices/internal/bluez.h. */
#ifndef CABIN_DEVICES_BLE_WATCH_H
#define CABIN_DEVICES_BLE_WATCH_H

#include "devices/internal/driver.h"

struct cdi_ble_watch;

/* Opens its own system-bus connection and subscribes. NULL when there is no system
 * bus (logged once; the cabin goes on with USB instruments). */
struct cdi_ble_watch *cdi_ble_watch_new(void);
void cdi_ble_watch_free(struct cdi_ble_watch *w);

/* Sets the adopted addresses: "AA:BB:CC:DD:EE:FF,..." (any case, NULL or "" none).
 * Thread-safe; the next cdi_ble_watch_process adds and removes accordingly. */
void cdi_ble_watch_set_allowed(struct cdi_ble_watch *w, const char *addresses);

/* File descriptor and poll events to wait on (sd_bus_get_fd / sd_bus_get_events). */
int cdi_ble_watch_fd(struct cdi_ble_watch *w);
short cdi_ble_watch_events(struct cdi_ble_watch *w);

/* Dispatches what arrived (never blocks more than one GetManagedObjects, 2 s at
 * most) and, when something changed, walks BlueZ's objects again: ADD(C, UD) for an
 * eligible device not yet reported, REMOVE(SYSPATH, UD) for one reported that is no
 * longer there or no longer adopted. Call from one thread only. */
void cdi_ble_watch_process(struct cdi_ble_watch *w, void (*add)(struct cdi_candidate *c, void *ud),
                           void (*remove)(const char *syspath, void *ud), void *ud);

#endif
