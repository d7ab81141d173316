/* gatt.h — pure decoders of the Bluetooth SIG health characteristics Cabin reads over
 * Bluetooth Low Energy, and the Record Access Control Point codec. Bytes in, readings
 * out: no I/O, no clock, no globals. Every length is checked against the flags
 * before a field is read; a value is never trusted to fit.
 *
 * Sources (Bluetooth SIG, public specifications):
 *  - HTS  Health Thermometer Service 1.0, 3.1 Temperature Measurement (0x2A1C)
 *  - BLS  Blood Pressure Service 1.0/1.1, 3.1 Blood Pressure Measurement (0x2A35)
 *  - PLXS Pulse Oximeter Service 1.0, 3.1 PLX Spot-check Measurement (0x2A5E),
 *         3.2 PLX Continuous Measurement (0x2A5F)
 *  - WSS  Weight Scale Service 1.0, 3.1 Weight Scale Feature (0x2A9E),
 *         3.2 Weight Measurement (0x2A9D)
 *  - GLS  Glucose Service 1.0, 3.1 Glucose Measurement (0x2A18), 3.6 Record Access
 *         Control Point (0x2A52, its procedures in GLS 4.9-4.10 and the RACP
 *         operators/response codes of the GATT Specification Supplement)
 *  - GSS  GATT Specification Supplement: field layouts, Date Time (7 bytes),
 *         IEEE 11073 SFLOAT/FLOAT (IEEE 11073-20601 clause 8.2, special values as
 *         PROTOCOLS.md 1.6: NaN, NRes, +INF, -INF, reserved are never numbers).
 * All multi-byte fields are little-endian. Internal to devices/: prefix gatt_. */
#ifndef CABIN_PROTO_GATT_H
#define CABIN_PROTO_GATT_H

#include <stddef.h>
#include <stdint.h>

#include "cabin/reading.h"

/* 16-bit UUIDs of the services and characteristics. */
#define GATT_SVC_GLUCOSE          0x1808
#define GATT_SVC_HEALTH_THERMO    0x1809
#define GATT_SVC_BLOOD_PRESSURE   0x1810
#define GATT_SVC_WEIGHT_SCALE     0x181D
#define GATT_SVC_PULSE_OXIMETER   0x1822
#define GATT_CHR_GLUCOSE_MEAS     0x2A18
#define GATT_CHR_GLUCOSE_CONTEXT  0x2A34
#define GATT_CHR_TEMP_MEAS        0x2A1C
#define GATT_CHR_BP_MEAS          0x2A35
#define GATT_CHR_RACP             0x2A52
#define GATT_CHR_PLX_SPOT         0x2A5E
#define GATT_CHR_PLX_CONT         0x2A5F
#define GATT_CHR_WEIGHT_MEAS      0x2A9D
#define GATT_CHR_WEIGHT_FEATURE   0x2A9E

/* Errors (negative). */
enum gatt_err {
	GATT_OK = 0,
	GATT_E_TRUNCATED = -1, /* the flags announce a field the bytes do not hold */
	GATT_E_INVALID = -2,   /* a value out of its domain (date, reserved unit) */
	GATT_E_UNKNOWN = -3    /* a characteristic this decoder does not know */
};

/* Stable English text of an error ("truncated: flags announce more bytes", ...). */
const char *gatt_err_text(int err);

/* Most readings one characteristic value gives (PLX continuous: SpO2/PR x 3 + PAI). */
#define GATT_MAX_READINGS 8

/* What one characteristic value decodes to. Readings carry mdc, value_kind/value,
 * UCUM unit, flags, device_time_ms (INT64_MIN when absent or the clock is unset),
 * measurement_status (a 16-bit status field as sent, 0 when absent), person_id
 * (0xFFFF when none); the device identity and cabin time are left to the caller. */
struct gatt_result {
	uint16_t chr;             /* the characteristic decoded */
	int n;                    /* readings in r */
	struct cab_reading r[GATT_MAX_READINGS];
	uint8_t flags;            /* the value's flags byte, as sent */
	/* Per-characteristic extras (0 / absent when the characteristic has none). */
	int temp_type;            /* HTS Temperature Type (GSS): 1 armpit .. 9 tympanum, 0 absent */
	uint16_t bp_status;       /* BLS Measurement Status bits (also in measurement_status) */
	uint32_t plx_sensor_status; /* PLXS Device and Sensor Status (24 bits) */
	uint16_t glucose_seq;     /* GLS sequence number */
	int glucose_type;         /* GLS type nibble (1..10, 10 = control solution), 0 absent */
	int glucose_location;     /* GLS sample location nibble (1 finger .. 15 not available) */
	uint16_t glucose_annunciation; /* GLS Sensor Status Annunciation bits */
	int glucose_context_follows; /* GLS flags bit 4: a Glucose Measurement Context follows */
};

/* Decodes the value of characteristic CHR (one of GATT_CHR_*_MEAS, PLX) from B (LEN
 * bytes) into *OUT. Returns 0, or a negative gatt_err (OUT->n is then 0). Extra
 * bytes after the last announced field are ignored (later spec versions append).
 *
 * Units: temperature "Cel" or "[degF]"; pressure "mm[Hg]" or "kPa"; pulse "/min";
 * SpO2 and PAI "%"; weight "kg" or "[lb_av]" (WSS resolution 0.005 kg / 0.01 lb),
 * height "cm" or "[in_i]", BMI "kg/m2"; glucose "mg/dL" (from kg/L x 100000) or
 * "mmol/L" (from mol/L x 1000). Flags: BLS body movement -> CAB_RF_MOTION, irregular
 * pulse -> CAB_RF_IRREGULAR_HB, improper cuff fit -> CAB_RF_CUFF_ERROR; WSS weight
 * 0xFFFF ("measurement unsuccessful") -> NaN + CAB_RF_INVALID; GLS control solution
 * (type 10) -> CAB_RF_CONTROL_SOLUTION with MDC_CONC_GLU_CONTROL; GLS annunciation
 * "result higher/lower than the device can process" -> +INF/-INF and
 * CAB_RF_OUT_OF_RANGE; PLX "device clock is not set" -> CAB_RF_CLOCK_UNSET. A value
 * the specification does not name (a reserved unit or type) is an error, never a
 * bare number. */
int gatt_decode(uint16_t chr, const uint8_t *b, size_t len, struct gatt_result *out);

/* Date Time (GSS, 7 bytes: year u16 1582..9999 or 0, month 0..12, day 0..31, hours,
 * minutes, seconds) to epoch ms read as UTC wall time. 0 fields mean "not known":
 * returns 1 (no time, *MS untouched); 0 with *MS; GATT_E_INVALID out of range. */
int gatt_datetime(const uint8_t b[7], int64_t *ms);

/* Weight Scale Feature (WSS 3.1): resolution of the weight in kg (0.5 .. 0.005; 0 when
 * "not specified") and of the height in m (0.01 .. 0.001; 0 not specified), from the
 * 32-bit feature field. Returns 0, or GATT_E_TRUNCATED / GATT_E_INVALID (reserved
 * resolution values). */
int gatt_weight_feature(const uint8_t *b, size_t len, double *weight_kg_res,
                        double *height_m_res, int *bmi_supported);

/* ---- Record Access Control Point (GLS 3.6, GSS "Record Access Control Point") ---- */

enum gatt_racp_op {
	GATT_RACP_REPORT_RECORDS = 1,
	GATT_RACP_DELETE_RECORDS = 2, /* never sent by Cabin: the meter's memory is kept */
	GATT_RACP_ABORT = 3,
	GATT_RACP_REPORT_NUMBER = 4,
	GATT_RACP_NUMBER_RESPONSE = 5,
	GATT_RACP_RESPONSE = 6
};
enum gatt_racp_operator {
	GATT_RACP_ALL = 1,
	GATT_RACP_LE = 2,
	GATT_RACP_GE = 3,
	GATT_RACP_RANGE = 4,
	GATT_RACP_FIRST = 5,
	GATT_RACP_LAST = 6
};
enum gatt_racp_code {
	GATT_RACP_SUCCESS = 1,
	GATT_RACP_OP_NOT_SUPPORTED = 2,
	GATT_RACP_INVALID_OPERATOR = 3,
	GATT_RACP_OPERATOR_NOT_SUPPORTED = 4,
	GATT_RACP_INVALID_OPERAND = 5,
	GATT_RACP_NO_RECORDS = 6,
	GATT_RACP_ABORT_FAILED = 7,
	GATT_RACP_NOT_COMPLETED = 8,
	GATT_RACP_OPERAND_NOT_SUPPORTED = 9
};

/* Encodes "report stored records" (OP REPORT_RECORDS or REPORT_NUMBER) with
 * OPERATOR; for GE/LE the operand is a sequence number (filter type 0x01) MIN; for
 * RANGE MIN..MAX. Writes at most 7 bytes into OUT; returns the length. */
size_t gatt_racp_encode(enum gatt_racp_op op, enum gatt_racp_operator oper, uint16_t min,
                        uint16_t max, uint8_t out[7]);

/* A decoded RACP indication. */
struct gatt_racp_reply {
	enum gatt_racp_op op;     /* NUMBER_RESPONSE or RESPONSE */
	uint16_t count;           /* NUMBER_RESPONSE: stored records matching */
	uint8_t request_op;       /* RESPONSE: the op code answered */
	uint8_t code;             /* RESPONSE: enum gatt_racp_code */
};

/* Decodes an RACP indication. Returns 0, or GATT_E_TRUNCATED / GATT_E_INVALID. */
int gatt_racp_decode(const uint8_t *b, size_t len, struct gatt_racp_reply *out);

/* Stable text of an RACP response code ("success", "no records found", ...). */
const char *gatt_racp_code_text(uint8_t code);

#endif
