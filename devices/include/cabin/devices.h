/* devices.h — the public instrument API the kiosk and cabin-devices use: a device
 * manager that follows hotplug (libudev), hands each instrument to its driver, and
 * reports attach/detach, readings, waveforms and incidents through callbacks.
 * No SDL here. Drivers use the internal API in devices/internal/driver.h (cdi_).
 *
 * THREADING CONTRACT (read before writing a callback; after libusb's hotplug.c)
 *  - cab_devices_start() starts the manager's threads: one hotplug thread (udev
 *    monitor) and one device thread per attached instrument running its driver.
 *    Callbacks are called from those threads, with one exception (as libusb's
 *    LIBUSB_HOTPLUG_ENUMERATE): `attached` for the devices found while
 *    cab_devices_start() enumerates, and for cab_devices_add_simulator(), comes
 *    from the calling thread before that function returns. Callbacks never run two
 *    at a time: the manager holds one callback lock around each call, so a callback
 *    sees events in order per device (attached, then state/readings/waveforms,
 *    then detached).
 *  - A callback must return quickly (copy what it needs, post it to its own queue,
 *    e.g. an SDL user event) and must not block on I/O.
 *  - Safe inside a callback: cab_devices_list(), cab_devices_request_measurement(),
 *    cab_devices_set_session_start(), and reading the arguments. The pointers passed
 *    (info, reading, samples, detail) are valid only during the call.
 *  - NOT safe inside a callback (they wait for the device threads, which wait for
 *    the callback lock: deadlock): cab_devices_stop(), cab_devices_free().
 *  - All other functions are thread-safe and may be called from any thread.
 */
#ifndef CABIN_DEVICES_H
#define CABIN_DEVICES_H

#include <stddef.h>
#include <stdint.h>

#include "cabin/reading.h"

/* State of an attached instrument as the kiosk shows it. */
enum cab_dev_state {
	CAB_DEV_ATTACHED = 0, /* seen on the bus, driver not ready yet */
	CAB_DEV_READY,        /* driver talked to it; a measurement can be requested */
	CAB_DEV_MEASURING,    /* a measurement is running (live stream or cuff inflating) */
	CAB_DEV_IDLE,         /* connected but nothing to report (e.g. no finger) */
	CAB_DEV_ERROR,        /* the conversation failed; see the incident */
	CAB_DEV_GONE          /* removed (detached follows) */
};

/* Why a state event was raised (CAB_INC_NONE for a plain state change). */
enum cab_incident {
	CAB_INC_NONE = 0,
	CAB_INC_UNPLUGGED,            /* removed while idle */
	CAB_INC_UNPLUGGED_MID_MEASUREMENT, /* removed while a measurement was running */
	CAB_INC_TIMEOUT,              /* the instrument stopped answering */
	CAB_INC_PROTOCOL,             /* the instrument sent bytes the decoder rejects */
	CAB_INC_NO_FINGER,            /* oximeter: probe off / finger out */
	CAB_INC_SIGNAL_WEAK,          /* oximeter: low perfusion / searching too long */
	CAB_INC_CUFF_ERROR,           /* BP: the measurement ended without a result */
	CAB_INC_LOW_BATTERY,
	CAB_INC_NO_NEW_MEASUREMENT,   /* nothing new since the session began */
	CAB_INC_OPEN_FAILED           /* the device node could not be opened (permissions) */
};

/* Stable names ("ready", "unplugged-mid-measurement", ...). Never NULL. */
const char *cab_dev_state_name(enum cab_dev_state s);
const char *cab_incident_name(enum cab_incident i);

/* One attached device, as listed and as passed to callbacks. */
struct cab_device_info {
	unsigned handle;          /* stable while attached; never reused within a manager */
	struct cab_device_id id;  /* identity (kind, driver, model, serial, VID:PID, simulated) */
	char bus[12];             /* "usb", "tty", "hidraw", "video4linux", "sound", "sim", "ble" */
	char devnode[128];        /* e.g. "/dev/ttyUSB0", a pty path, a Bluetooth address, or "" */
	char syspath[256];        /* sysfs path, "sim:NAME", or "bluez:" + BlueZ object path */
	enum cab_dev_state state;
	int has_driver;           /* 0: seen (e.g. a camera for the media module), not driven */
};

/* Callbacks; any may be NULL. See the threading contract above. */
struct cab_devices_callbacks {
	void (*attached)(const struct cab_device_info *d, void *user);
	void (*detached)(const struct cab_device_info *d, void *user);
	/* One measured value (already tagged with the device identity and cabin time). */
	void (*reading)(const struct cab_device_info *d, const struct cab_reading *r, void *user);
	/* Waveform samples (e.g. MDC_PULS_OXIM_PLETH, arbitrary units 0..100), N samples
	 * at RATE_HZ, oldest first. */
	void (*waveform)(const struct cab_device_info *d, uint32_t mdc, const float *samples,
	                 size_t n, double rate_hz, void *user);
	/* State change, with an incident when something went wrong; DETAIL is a short
	 * English text for logs and the technician menu (no personal data), may be "". */
	void (*state)(const struct cab_device_info *d, enum cab_dev_state s,
	              enum cab_incident inc, const char *detail, void *user);
	void *user;
};

/* Simulation: which kinds get a simulator when no real instrument of that kind is
 * attached at start (`cabin --sim`). */
#define CAB_SIM_NONE 0u
#define CAB_SIM_ALL  0xFFFFFFFFu
#define CAB_SIM_KIND(k) (1u << (k)) /* k: enum cab_device_kind */

struct cab_devices_config {
	unsigned sim_kinds;        /* CAB_SIM_* mask; 0 = real instruments only */
	const char *sim_options;   /* "key=value,..." passed to every simulator, or NULL */
	int no_hotplug;            /* 1: do not watch udev (simulators only) */
	int64_t session_start_ms;  /* wall ms; readings taken before are flagged
	                              CAB_RF_BEFORE_SESSION (0 = when started) */
	/* Bluetooth LE (BlueZ over the system D-Bus, docs/devices.md "Bluetooth"): 1 to
	 * follow BlueZ's devices; only those offering a health service (GATT 0x1808,
	 * 0x1809, 0x1810, 0x181D, 0x1822) whose address is in BLE_INSTRUMENTS ("AA:BB:CC:
	 * DD:EE:FF,...", the instruments the technician paired; NULL none) are driven. */
	int ble;
	const char *ble_instruments;
};

struct cab_devices;

/* Creates a stopped manager. CFG and CB are copied; either may be NULL (defaults,
 * no callbacks). Returns NULL on allocation failure. */
struct cab_devices *cab_devices_new(const struct cab_devices_config *cfg,
                                    const struct cab_devices_callbacks *cb);

/* Enumerates present devices (attached callbacks), starts simulators for the kinds
 * asked for that have no real instrument, then follows udev add/remove on usb, tty,
 * hidraw, video4linux and sound. Returns 0, or -1 when udev is unavailable and
 * simulators were not asked for. */
int cab_devices_start(struct cab_devices *m);

/* Stops every driver (their cleanup runs: e.g. Omron END) and the hotplug thread,
 * waits for them, stops the simulators. Idempotent. Not from a callback. */
void cab_devices_stop(struct cab_devices *m);

/* Stops if needed and frees. NULL is accepted. Not from a callback. */
void cab_devices_free(struct cab_devices *m);

/* Starts the simulator NAME ("cms50", "omron-hem", or one of the IEEE 11073
 * agents) with OPTIONS ("key=value,...", may be NULL) and attaches it like a
 * hotplugged instrument. Returns its handle, or 0 (unknown name, bad options). */
unsigned cab_devices_add_simulator(struct cab_devices *m, const char *name, const char *options);

/* The patient uses the simulated instrument NAME, which stays attached for the
 * manager's life as a real instrument stays plugged in: its simulator takes OPTIONS
 * ("key=value,...": values, measure_ms, faults) for this one measurement, and its
 * driver is asked for a measurement (cab_devices_request_measurement_on). When
 * NAME is not attached (never started, or gone after an unplug fault), or its
 * simulator measures by itself, it is plugged in: cab_devices_add_simulator(NAME,
 * OPTIONS). Returns the device's handle, or 0 (unknown name, bad options). */
unsigned cab_devices_sim_measure(struct cab_devices *m, const char *name, const char *options);

/* Copies at most MAX attached devices into OUT; returns how many are attached. */
size_t cab_devices_list(struct cab_devices *m, struct cab_device_info *out, size_t max);

/* Asks every ready driver of KIND (CAB_KIND_UNKNOWN: all) for one measurement; the
 * result arrives through the reading callback (or a state incident). Returns the
 * number of devices asked, 0 when none of that kind is ready. */
int cab_devices_request_measurement(struct cab_devices *m, enum cab_device_kind kind);

/* Same, for one device by handle. Returns 1, or 0 if no such ready device. */
int cab_devices_request_measurement_on(struct cab_devices *m, unsigned handle);

/* Request kind "history" (the `measure`-like request the doctor's console sends with
 * the patient's consent; docs/devices.md "History"): asks every ready driver of KIND
 * that keeps a memory (glucometers: IEEE 11073 PM-store, FreeStyle, OneTouch) for the
 * records it holds made at or after SINCE_MS (wall ms UTC, by the meter's clock; 0:
 * all). They arrive through the reading callback flagged CAB_RF_STORED |
 * CAB_RF_HISTORY (never CAB_RF_BEFORE_SESSION), oldest first; records whose meter
 * clock is unset are included, flagged CAB_RF_CLOCK_UNSET. Nothing is ever erased on
 * the meter. Returns the number of devices asked (0: none of that kind keeps one). */
int cab_devices_request_history(struct cab_devices *m, enum cab_device_kind kind, int64_t since_ms);

/* The ALSA capture device of a sound card the manager listed (bus "sound", node
 * /dev/snd/controlCN, N 0..99): "hw:N,0" into OUT (N bytes), the name libavdevice's
 * alsa input opens (e.g. the stethoscope, kind CAB_KIND_STETHOSCOPE). Returns 0, or
 * -1 for any other device. Pure. */
int cab_device_alsa_name(const struct cab_device_info *d, char *out, size_t n);

/* Runs the self-test of device HANDLE and waits at most TIMEOUT_MS for it: the
 * driver runs its protocol's identification exchange on the device's own thread
 * (IEEE 11073-20601: Get MDS on the association, configuration checked; Omron
 * HEM: mode select + VER00 + GDC; Contec CMS50: start real-time, 90 well-formed
 * packets (1.5 s) within 3 s). Blocking; not from a callback. Returns 1 pass, 0 fail (DETAIL
 * says why), -ENODEV (no such driven device), -ETIMEDOUT (no answer). DETAIL gets
 * SIZE bytes of text, "" when none. */
int cab_devices_selftest(struct cab_devices *m, unsigned handle, int timeout_ms, char *detail,
                         size_t size);

/* Replaces the adopted Bluetooth instruments (same text as ble_instruments): the
 * service menu calls it after pairing or forgetting one. Newly listed instruments
 * BlueZ knows attach, removed ones detach, within the hotplug thread's next turn
 * (200 ms). No effect when the manager was created with ble = 0. Thread-safe. */
void cab_devices_set_ble_instruments(struct cab_devices *m, const char *addresses);

/* Sets when the patient session began (wall ms, UTC). Readings the instruments took
 * before are flagged CAB_RF_BEFORE_SESSION (and never shown as this patient's). */
void cab_devices_set_session_start(struct cab_devices *m, int64_t wall_ms);

#endif
