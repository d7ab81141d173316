/* reading.h — the one reading structure every instrument driver produces, and the
 * device identity attached to it. Public: the kiosk, cabin-devices and the link use
 * it. No SDL, no I/O.
 *
 * Codes: IEEE 11073-10101 nomenclature (MDC), written as partition << 16 | code,
 * e.g. MDC_PULS_OXIM_SAT_O2 = 2:19384 = 0x00024BB8. Units: UCUM case-sensitive codes
 * as the FHIR R4 vital-signs profile uses them ("mm[Hg]", "/min", "Cel", "kg", "cm",
 * "kg/m2", "%", "mg/dL", "mmol/L"). */
#ifndef CABIN_READING_H
#define CABIN_READING_H

#include <stdint.h>

/* What kind of instrument a device is (drives the screens and the FHIR Device). */
enum cab_device_kind {
	CAB_KIND_UNKNOWN = 0,
	CAB_KIND_THERMOMETER,
	CAB_KIND_BLOOD_PRESSURE,
	CAB_KIND_PULSE_OXIMETER,
	CAB_KIND_SCALE,
	CAB_KIND_GLUCOMETER,
	CAB_KIND_STETHOSCOPE,
	CAB_KIND_OTOSCOPE,
	CAB_KIND_DERMATOSCOPE,
	CAB_KIND_ROOM_CAMERA,
	CAB_KIND__COUNT
};

/* Stable lower-case name of a kind ("thermometer", "blood-pressure", "pulse-oximeter",
 * "scale", "glucometer", "stethoscope", "otoscope", "dermatoscope", "room-camera",
 * "unknown"). Never NULL. */
const char *cab_device_kind_name(enum cab_device_kind kind);

/* Identity of one physical instrument. Strings are UTF-8, NUL-terminated, empty
 * when unknown. */
struct cab_device_id {
	enum cab_device_kind kind;
	char driver[24];    /* driver name, e.g. "ieee11073-phdc", "cms50", "omron-hem" */
	char model[48];     /* manufacturer model, e.g. "CMS50D+" */
	char manufacturer[48];
	char serial[48];
	char firmware[32];
	char system_id[24]; /* IEEE 11073 EUI-64 system-id as 16 hex digits, or "" */
	uint16_t vid, pid;  /* USB VID:PID, 0 when not USB */
	int simulated;      /* 1 when a simulator stands in for the instrument */
};

/* How the value of a reading is to be read. Special values are IEEE 11073-20601
 * FLOAT/SFLOAT reserved values (NaN, NRes, +INF, -INF) and are never numbers. */
enum cab_value_kind {
	CAB_VALUE_NUMBER = 0,
	CAB_VALUE_NAN,      /* not a number: 0x007FFFFF / 0x07FF */
	CAB_VALUE_NRES,     /* not at this resolution: 0x00800000 / 0x0800 */
	CAB_VALUE_PINF,     /* +infinity: 0x007FFFFE / 0x07FE */
	CAB_VALUE_NINF,     /* -infinity: 0x00800002 / 0x0802 */
	CAB_VALUE_RESERVED  /* reserved for future use: 0x00800001 / 0x0801 */
};

/* Name of a special value ("NaN", "NRes", "+INF", "-INF", "reserved"), or NULL for
 * CAB_VALUE_NUMBER. */
const char *cab_value_kind_name(enum cab_value_kind kind);

/* Status flags of a reading (bit set). */
enum cab_reading_flag {
	CAB_RF_ONGOING      = 1u << 0, /* intermediate value, measurement still running */
	CAB_RF_SIGNAL_WEAK  = 1u << 1,
	CAB_RF_MOTION       = 1u << 2,
	CAB_RF_NO_FINGER    = 1u << 3, /* probe off / finger out */
	CAB_RF_CUFF_ERROR   = 1u << 4,
	CAB_RF_IRREGULAR_HB = 1u << 5, /* irregular heartbeat detected */
	CAB_RF_LOW_BATTERY  = 1u << 6,
	CAB_RF_INVALID      = 1u << 7, /* the instrument flagged the value invalid */
	CAB_RF_STORED       = 1u << 8, /* from the instrument's memory, not taken live */
	CAB_RF_BEFORE_SESSION = 1u << 9, /* taken before the session began: not this patient's */
	CAB_RF_CONTROL_SOLUTION = 1u << 10, /* glucometer: a control-solution test, not the
	                                       patient's blood: never shown or sent as a reading */
	CAB_RF_OUT_OF_RANGE = 1u << 11, /* above ("HI", value_kind +INF) or below ("LO",
	                                   -INF) the instrument's measuring range */
	CAB_RF_CLOCK_UNSET = 1u << 12, /* the instrument's clock was never set (or lost):
	                                  device_time_ms is INT64_MIN, not trusted */
	CAB_RF_HISTORY = 1u << 13      /* a stored record sent because the doctor asked for
	                                  the meter's recent history (cab_devices_request_history) */
};

/* One measured value. */
struct cab_reading {
	uint32_t mdc;              /* partition << 16 | term code (IEEE 11073-10101) */
	enum cab_value_kind value_kind;
	double value;              /* meaningful only when value_kind == CAB_VALUE_NUMBER */
	char ucum[16];             /* UCUM unit code */
	int64_t device_time_ms;    /* instrument's own time stamp as epoch ms read as UTC
	                              wall time (the BCD fields taken literally), or
	                              INT64_MIN when the instrument gave none */
	int64_t cabin_time_ms;     /* epoch ms (UTC) when the cabin received it */
	uint32_t flags;            /* enum cab_reading_flag bits */
	uint16_t measurement_status; /* IEEE 11073-20601 MeasurementStatus bits, as sent */
	uint16_t person_id;        /* 11073 multi-person id, 0xFFFF when none */
	int64_t clock_offset_ms;   /* instrument clock minus cabin clock when it was read
	                              (ms), INT64_MIN when unknown or the clock is unset */
	struct cab_device_id device;
};

#endif
