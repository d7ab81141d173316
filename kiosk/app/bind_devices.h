/* bind_devices.h — the instruments (cabin/devices.h) bound to the main thread:
 * tile states and values, readings and incidents handed on as effects, "take a
 * measurement" (bind_devices.c). Main thread. */
#ifndef CABIN_APP_BIND_DEVICES_H
#define CABIN_APP_BIND_DEVICES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kiosk/app/bind.h"

struct cab_bind_devices;

/* Starts the device manager for the cabin A (`--sim`: simulators for absent
 * instruments); its callbacks post to the event queue. Returns the binding (its
 * manager may be NULL when no instrument layer could start: logged), or NULL when
 * out of memory. */
struct cab_bind_devices *cab_bind_devices_start(struct cab_app *a);
/* The device manager, or NULL (handed to the service menu at set-up). */
struct cab_devices *cab_bind_devices_manager(struct cab_bind_devices *d);
/* An instrument event from the queue: tiles, incidents, the stethoscope. */
void cab_bind_devices_event(struct cab_bind_devices *d, const struct cab_devev *ev);
/* A reading from the queue: recorded (CAB_FX_READING) when it is this patient's. */
void cab_bind_devices_reading(struct cab_bind_devices *d, const struct cab_reading *r);
/* "Take a measurement" with the instrument of tile TILE (0 thermometer .. 4
 * glucometer), from the patient or the doctor. */
void cab_bind_devices_measure(struct cab_bind_devices *d, int tile);
/* New session at START_MS (wall ms): tiles "not measured", session start set. */
void cab_bind_devices_session(struct cab_bind_devices *d, int64_t start_ms);
/* Fills the instrument tiles from the instruments attached now (after a view reset). */
void cab_bind_devices_fill_tiles(struct cab_bind_devices *d);
/* The pre-call measurements are done: every present instrument of the first four
 * tiles (thermometer, blood pressure, oximeter, scale) measured, failed or absent. */
bool cab_bind_devices_precall_done(const struct cab_bind_devices *d);
/* Stops the manager and frees D. NULL is a no-op. */
void cab_bind_devices_stop(struct cab_bind_devices *d);

/* Tile of an instrument kind (0..4), or -1 for kinds without a tile. Pure. */
int cab_app_tile_of_kind(enum cab_device_kind k);

#endif
