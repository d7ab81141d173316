/* driver.h — the internal API between the device manager and the instrument drivers
 * (prefix cdi_), after libfprint's driver layout: one file per instrument family in
 * devices/drivers/, each defining `const struct cdi_driver cdi_driver_<name>` with a
 * static match table; the registry (build/gen/driver_registry.c) is generated from
 * the list of files. The kiosk never sees this header (it uses cabin/devices.h).
 *
 * Life of a device: hotplug (or a simulator) produces a struct cdi_candidate; the
 * manager finds the first driver whose match table accepts it (and whose probe, if
 * any, returns 0), creates a struct cdi_device and runs, on that device's own thread:
 *     open -> run -> close
 * close always runs once open was called, whatever open or run returned (cleanup
 * state, as in libfprint's fpi-ssm). run returns when cdi_stopping() is true or the
 * transport reports CDI_T_GONE. */
#ifndef CABIN_DEVICES_DRIVER_H
#define CABIN_DEVICES_DRIVER_H

#include <stddef.h>
#include <stdint.h>

#include "cabin/devices.h"
#include "cabin/reading.h"
#include "devices/internal/transport.h"

/* Where a candidate was found. */
enum cdi_bus {
	CDI_BUS_USB = 1,   /* a usb_device node /dev/bus/usb/BBB/DDD (libusb) */
	CDI_BUS_TTY,       /* a serial tty (USB-serial adapter, CDC-ACM, pty) */
	CDI_BUS_HIDRAW,    /* /dev/hidrawN */
	CDI_BUS_VIDEO,     /* video4linux (cameras: handled by the media module) */
	CDI_BUS_SOUND,     /* ALSA (stethoscope, microphones: media module) */
	CDI_BUS_SIM,       /* an in-process simulator: the candidate carries a transport */
	CDI_BUS_BLE        /* a Bluetooth LE instrument known to BlueZ (org.bluez.Device1) */
};

/* Stable name of a bus ("usb", "tty", "hidraw", "video4linux", "sound", "sim", "ble"). */
const char *cdi_bus_name(enum cdi_bus bus);

#define CDI_ANY (-1) /* wildcard in a match entry */

/* One row of a driver's static match table. The table ends with a row whose bus is
 * 0. A row matches a candidate when bus is equal and every non-wildcard field is
 * equal (vid/pid 0 = any; class fields CDI_ANY = any). For CDI_BUS_USB the class
 * fields are compared with each interface of the active configuration; for tty and
 * hidraw with the USB interface they hang off (when known). */
struct cdi_match {
	enum cdi_bus bus;
	uint16_t vid, pid;         /* USB ids, 0 = any */
	int16_t if_class;          /* bInterfaceClass (0x0F PHDC, 0x03 HID, 0x02 CDC, 0xFF vendor), CDI_ANY */
	int16_t if_subclass;       /* bInterfaceSubClass or CDI_ANY */
	int16_t if_protocol;       /* bInterfaceProtocol or CDI_ANY */
	const char *sim;           /* for CDI_BUS_SIM: simulator name to accept, NULL = any of this driver */
	unsigned long driver_data; /* free for the driver (e.g. model variant) */
};

/* Most interfaces a candidate lists (USB configuration parsed from sysfs). */
#define CDI_MAX_IFACES 8

/* One USB interface of a candidate's active configuration. */
struct cdi_iface {
	uint8_t number, alt, if_class, if_subclass, if_protocol;
};

/* A device found by hotplug or started by a simulator, before a driver takes it. */
struct cdi_candidate {
	enum cdi_bus bus;
	char syspath[256];     /* sysfs path of the node ("sim:NAME" for simulators) */
	char devnode[128];     /* /dev path (a pty slave path for serial simulators), or "" */
	uint16_t vid, pid;     /* of the USB device the node hangs off, 0 when not USB */
	uint8_t busnum, devnum;/* USB bus number and address (CDI_BUS_USB), for libusb */
	char manufacturer[48], product[48], serial[48]; /* USB strings from sysfs, or "" */
	int n_ifaces;          /* interfaces known (0..CDI_MAX_IFACES) */
	struct cdi_iface ifaces[CDI_MAX_IFACES];
	int iface;             /* for tty/hidraw: index in ifaces[] of its interface, or -1 */
	/* CDI_BUS_SIM only: the host end of the simulator's transport, owned by the
	 * device once a driver took it (the driver closes it). */
	struct cdi_transport *transport;
	int simulated;         /* 1 for a simulator (pty or in-process) */
	enum cab_device_kind sim_kind; /* kind the simulator stands for; for CDI_BUS_BLE the
	                                  kind its health service gives (cdi_bluez_service_kind) */
	char sim_name[24];     /* simulator name, "" for real devices */
	/* CDI_BUS_BLE only (syspath "bluez:" + the Device1 object path, devnode the
	 * Bluetooth address): the first health service it offers (GATT 0x1808 glucose,
	 * 0x1809 thermometer, 0x1810 blood pressure, 0x181D scale, 0x1822 oximeter). */
	uint16_t ble_service;
};

/* Returns 1 when row M accepts candidate C (see struct cdi_match), else 0. */
int cdi_match_candidate(const struct cdi_match *m, const struct cdi_candidate *c);

struct cdi_device;

/* What a driver reports to, filled by the manager (or a test harness). All
 * mandatory. Called on the device's thread. */
struct cdi_host_ops {
	void (*reading)(struct cdi_device *dev, const struct cab_reading *r);
	void (*waveform)(struct cdi_device *dev, uint32_t mdc, const float *samples, size_t n,
	                 double rate_hz);
	void (*state)(struct cdi_device *dev, enum cab_dev_state s, enum cab_incident inc,
	              const char *detail);
};

/* One instrument taken by a driver. The manager owns it; the driver owns priv and
 * transport (it closes the transport in close()). */
struct cdi_device {
	const struct cdi_driver *driver;
	const struct cdi_match *match;    /* the row that matched */
	struct cdi_candidate cand;        /* where it is */
	struct cab_device_id id;          /* filled by the driver's open (model, serial...) */
	struct cdi_transport *transport;  /* opened by the driver (or given by a simulator) */
	void *priv;                       /* the driver's state */
	const struct cdi_host_ops *host;
	void *host_data;                  /* the manager's (or harness's) per-device data */
	volatile int stop;                /* set by cdi_device_request_stop() */
	volatile int removed;             /* set by the manager when udev removed it */
	volatile int measure_requests;    /* pending requests (cdi_take_measure_request) */
	volatile int history_request;     /* 1: the doctor asked for the history (cdi_take_history_request) */
	volatile int64_t history_since_ms;/* from when (wall ms, meter clock), 0 all */
	volatile int64_t session_start_ms;/* wall ms when the patient session began */
	enum cab_dev_state state;         /* last state reported with cdi_emit_state */
	enum cab_incident incident;       /* and its incident */
	int state_reported;               /* 1 once a state was reported */
	volatile int selftest_request;    /* 1: a self-test was asked (cdi_take_selftest_request) */
	volatile int selftest_result;     /* 0 pending, 1 pass, -1 fail (cdi_selftest_done) */
	char selftest_detail[96];         /* what the self-test found, written before the result */
	int history_capable;              /* set by the driver's open: it keeps a memory it can list */
};

/* A driver, one per instrument family (one file in devices/drivers/).
 * Mandatory: name, kind, match, open, run, close. probe may be NULL. */
struct cdi_driver {
	const char *name;          /* "cms50", "omron-hem", "ieee11073-phdc" (= file name) */
	const char *full_name;     /* "Contec CMS50D+ pulse oximeter (serial)" */
	enum cab_device_kind kind; /* CAB_KIND_UNKNOWN when it varies per device (11073) */
	const struct cdi_match *match; /* static table, ends with {0} */
	/* Optional finer check after a match row accepted C (e.g. PHDC data code in the
	 * class descriptors). 0 = take it, negative = not mine. No I/O on the device. */
	int (*probe)(const struct cdi_candidate *c, const struct cdi_match *m);
	/* Opens the transport (or adopts dev->cand.transport for simulators), identifies
	 * the instrument (fills dev->id beyond what the manager pre-filled) and reports
	 * CAB_DEV_READY. 0 or a negative cdi_transport_err. */
	int (*open)(struct cdi_device *dev);
	/* The conversation: loops until cdi_stopping(dev) or the device is gone, serving
	 * cdi_take_measure_request(). Every transport read has a timeout <= 1000 ms so a
	 * stop request is honoured within a second. Returns 0 (stopped) or a negative
	 * cdi_transport_err (CDI_T_GONE when unplugged). */
	int (*run)(struct cdi_device *dev);
	/* Cleanup: always runs after open was called. Ends the conversation politely if
	 * the device is still there, closes the transport, frees priv. */
	void (*close)(struct cdi_device *dev);
	/* Simulators this driver talks to (NULL-terminated list, or NULL). */
	const struct cdi_simulator *const *simulators;
};

/* The generated registry: every driver of devices/drivers/, NULL-terminated. */
extern const struct cdi_driver *const cdi_driver_registry[];

/* Finds the driver and row accepting C (first in registry order whose probe agrees).
 * Returns the driver or NULL; *ROW gets the row. */
const struct cdi_driver *cdi_driver_find(const struct cdi_candidate *c,
                                         const struct cdi_match **row);

/* Finds a driver by name, or NULL. */
const struct cdi_driver *cdi_driver_by_name(const char *name);

/* ---- helpers for drivers (devices/core/device.c) ------------------------------ */

/* Reports one reading. Fills r->device from dev->id (if r->device.kind is unknown),
 * r->cabin_time_ms when 0, person_id 0xFFFF when 0, clock_offset_ms INT64_MIN when 0. */
void cdi_emit_reading(struct cdi_device *dev, struct cab_reading *r);
/* Reports waveform samples (see cab_devices_callbacks.waveform). */
void cdi_emit_wave(struct cdi_device *dev, uint32_t mdc, const float *samples, size_t n,
                   double rate_hz);
/* Reports a state (and incident). Repeated identical (state, incident) pairs are
 * passed on only once. DETAIL may be NULL. */
void cdi_emit_state(struct cdi_device *dev, enum cab_dev_state s, enum cab_incident inc,
                    const char *detail);
/* 1 when the driver must return from run (stop asked). */
int cdi_stopping(const struct cdi_device *dev);
/* 1 when the manager saw the device removed (close must not talk to it). */
int cdi_device_gone(const struct cdi_device *dev);
/* Asks run to return (thread-safe). */
void cdi_device_request_stop(struct cdi_device *dev);
/* Adds one measurement request (thread-safe). */
void cdi_device_request_measure(struct cdi_device *dev);
/* 1 when a measurement request is pending (not consumed). */
int cdi_measure_pending(const struct cdi_device *dev);
/* Takes one pending measurement request: 1 if there was one, else 0. */
int cdi_take_measure_request(struct cdi_device *dev);
/* History (cab_devices_request_history): 1 and *SINCE_MS when the doctor asked for
 * the stored records, else 0. Drivers with no memory never take it. */
int cdi_take_history_request(struct cdi_device *dev, int64_t *since_ms);
/* 1 when the driver serves history requests (set in open; the manager asks only those). */
#define CDI_HISTORY_CAPABLE(dev) ((dev)->history_capable)

/* Self-test (cab_devices_selftest): a driver's run loop takes the request and runs
 * the protocol's own identification exchange (IEEE 11073: Get MDS on the
 * association and the configuration checked; Omron: VER00 and GDC; CMS50: real-time
 * packets framed and checksummed), then reports with cdi_selftest_done. A driver
 * that never takes the request leaves the caller to time out. */
int cdi_take_selftest_request(struct cdi_device *dev);
/* Reports the self-test: PASS 1 or 0, DETAIL a short English text (no personal data). */
void cdi_selftest_done(struct cdi_device *dev, int pass, const char *detail);

/* A reading with everything "unknown": value_kind NUMBER 0, device_time_ms
 * INT64_MIN, person_id 0xFFFF; mdc and ucum set from the arguments. */
struct cab_reading cdi_reading_init(uint32_t mdc, const char *ucum);

/* ---- simulators (devices/sim/) ---------------------------------------------------- */

/* A running simulator (opaque, owned by its implementation). */
struct cdi_sim;

/* A simulated instrument speaking the real instrument's bytes. Options are
 * "key=value" pairs separated by ',' (e.g. "spo2=92,pr=70,fault=no-finger"); each
 * simulator documents its keys. Faults are "fault=NAME" (several allowed). */
struct cdi_simulator {
	const char *name;           /* "cms50", "omron-hem", "ieee11073-thermometer" */
	enum cab_device_kind kind;
	const char *help;           /* one line per option, for `cabin-devices simulate --help` */
	/* Starts it; fills C (bus CDI_BUS_TTY + devnode for a pty, or CDI_BUS_SIM +
	 * transport for in-process) with simulated = 1 and sim_name. 0 or -1. */
	int (*start)(const char *options, struct cdi_sim **out, struct cdi_candidate *c);
	/* Stops its thread and frees it (the host end of an in-process transport stays
	 * valid until the driver closes it and reads CDI_T_GONE). NULL accepted. */
	void (*stop)(struct cdi_sim *s);
	/* The patient uses the instrument now, as on a real one that stays plugged in
	 * (a human action, not protocol bytes): OPTIONS (start's keys: values,
	 * measure_ms, faults) apply to this measurement, which the instrument then
	 * reports in its own protocol. Thread-safe. 0, or -1 (bad options, stopped).
	 * NULL: the instrument measures by itself (the CMS50 streams). */
	int (*measure)(struct cdi_sim *s, const char *options);
	/* 1: a second family of a kind that already has a simulator (the FreeStyle
	 * glucometers beside the IEEE 11073 one): `cabin --sim` starts it in addition only
	 * when CABIN_SIM_EXTRA=1, so that the standard demo keeps one instrument per kind. */
	int extra;
};

/* Finds a simulator by name among the drivers' lists, or NULL; *DRV gets its driver. */
const struct cdi_simulator *cdi_simulator_find(const char *name, const struct cdi_driver **drv);

/* Option helpers for simulators: value of KEY in OPTS as a double (DEF if absent or
 * not a number); 1 if "fault=NAME" is in OPTS. */
double cdi_sim_opt(const char *opts, const char *key, double def);
int cdi_sim_has_fault(const char *opts, const char *name);

/* Checks OPTS ("key=NUMBER,...,fault=NAME,...") before a simulator takes it: every
 * item is KEY=VALUE and every value but a fault's is a whole decimal number (strtod,
 * finite), since cdi_sim_opt would silently use the default instead. Returns 0, or
 * -1 with "weight: 'abc' is not a number" in ERR (SIZE bytes). Unknown keys pass
 * (each simulator documents its own). */
int cdi_sim_opts_check(const char *opts, char *err, size_t size);

#endif
