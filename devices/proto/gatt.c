/* gatt.c — Bluetooth SIG health characteristic decoders and RACP codec (gatt.h).
 * Each decoder cites the clause of the service specification whose field table it
 * follows; the cursor below checks the remaining length before every read. */
#include "devices/proto/gatt.h"

#include <stdio.h>
#include <string.h>

#include "cabin/mdc.h"
#include "devices/proto/ieee11073/numeric.h"

/* A bounded little-endian reader with a sticky error (after Antidote's bytelib). */
struct cur {
	const uint8_t *b;
	size_t len, pos;
	int err;
};

static int need(struct cur *c, size_t n)
{
	if (c->err || c->len - c->pos < n) {
		c->err = GATT_E_TRUNCATED;
		return 0;
	}
	return 1;
}

static uint8_t u8(struct cur *c)
{
	if (!need(c, 1))
		return 0;
	return c->b[c->pos++];
}

static uint16_t u16(struct cur *c)
{
	if (!need(c, 2))
		return 0;
	uint16_t v = (uint16_t)(c->b[c->pos] | c->b[c->pos + 1] << 8);
	c->pos += 2;
	return v;
}

static uint32_t u24(struct cur *c)
{
	if (!need(c, 3))
		return 0;
	uint32_t v = (uint32_t)c->b[c->pos] | (uint32_t)c->b[c->pos + 1] << 8 |
	             (uint32_t)c->b[c->pos + 2] << 16;
	c->pos += 3;
	return v;
}

static uint32_t u32(struct cur *c)
{
	uint32_t lo = u16(c);
	return lo | (uint32_t)u16(c) << 16;
}

static const uint8_t *bytes(struct cur *c, size_t n)
{
	if (!need(c, n))
		return NULL;
	const uint8_t *p = c->b + c->pos;
	c->pos += n;
	return p;
}

const char *gatt_err_text(int err)
{
	switch (err) {
	case GATT_OK: return "ok";
	case GATT_E_TRUNCATED: return "truncated: the flags announce more bytes than were sent";
	case GATT_E_INVALID: return "a field holds a value the specification does not define";
	case GATT_E_UNKNOWN: return "not a characteristic Cabin decodes";
	default: return "unknown error";
	}
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's civil algorithm). */
static int64_t days_from_civil(int y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static unsigned mdays(int y, unsigned m)
{
	static const unsigned d[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return d[m - 1];
}

int gatt_datetime(const uint8_t b[7], int64_t *ms)
{
	int y = b[0] | b[1] << 8;
	unsigned mo = b[2], d = b[3], h = b[4], mi = b[5], s = b[6];
	if (y == 0 || mo == 0 || d == 0)
		return 1; /* GSS Date Time: 0 = "not known" */
	if (y < 1582 || y > 9999 || mo > 12 || d > mdays(y, mo) || h > 23 || mi > 59 || s > 59)
		return GATT_E_INVALID;
	*ms = ((days_from_civil(y, mo, d) * 24 + h) * 60 + mi) * 60000LL + s * 1000LL;
	return 0;
}

/* Appends a reading of a decoded SFLOAT/FLOAT. */
static struct cab_reading *add(struct gatt_result *o, uint32_t term, struct ieee_num n,
                               const char *ucum, double factor)
{
	if (o->n >= GATT_MAX_READINGS)
		return NULL;
	struct cab_reading *r = &o->r[o->n++];
	memset(r, 0, sizeof *r);
	r->mdc = MDC_FULL(MDC_PART_SCADA, term);
	r->value_kind = n.kind;
	r->value = n.kind == CAB_VALUE_NUMBER ? n.value * factor : 0;
	snprintf(r->ucum, sizeof r->ucum, "%s", ucum);
	r->device_time_ms = INT64_MIN;
	r->person_id = 0xFFFF;
	if (n.kind != CAB_VALUE_NUMBER)
		r->flags |= CAB_RF_INVALID;
	return r;
}

static void stamp(struct gatt_result *o, int64_t t, uint32_t flags, uint16_t status, uint16_t person)
{
	for (int i = 0; i < o->n; i++) {
		o->r[i].device_time_ms = t;
		o->r[i].flags |= flags;
		o->r[i].measurement_status = status;
		o->r[i].person_id = person;
	}
}

/* Reads an optional Date Time; *T stays INT64_MIN when absent/unknown. */
static void datetime(struct cur *c, int64_t *t)
{
	const uint8_t *p = bytes(c, 7);
	if (!p)
		return;
	int r = gatt_datetime(p, t);
	if (r < 0)
		c->err = r;
}

/* HTS 3.1 Temperature Measurement: Flags (bit 0 Fahrenheit, bit 1 Time Stamp, bit 2
 * Temperature Type), Temperature Measurement Value (FLOAT), [Time Stamp], [Type]. */
static int dec_temp(struct cur *c, struct gatt_result *o)
{
	uint8_t f = o->flags = u8(c);
	struct ieee_num v = ieee_float_decode(u32(c));
	int64_t t = INT64_MIN;
	if (f & 0x02)
		datetime(c, &t);
	if (f & 0x04) {
		o->temp_type = u8(c);
		if (!c->err && (o->temp_type < 1 || o->temp_type > 9))
			return GATT_E_INVALID; /* GSS Temperature Type: 1..9 defined */
	}
	if (c->err)
		return c->err;
	add(o, o->temp_type == 9 ? MDC_TEMP_TYMP : MDC_TEMP_BODY, v, f & 0x01 ? "[degF]" : "Cel", 1);
	stamp(o, t, 0, 0, 0xFFFF);
	return 0;
}

/* BLS 3.1 Blood Pressure Measurement: Flags (bit 0 kPa, 1 Time Stamp, 2 Pulse Rate, 3
 * User ID, 4 Measurement Status), Systolic, Diastolic, MAP (SFLOAT), [Time Stamp],
 * [Pulse Rate SFLOAT], [User ID u8, 0xFF unknown user], [Measurement Status u16:
 * bit 0 body movement, 1 cuff too loose, 2 irregular pulse, 3-4 pulse rate range,
 * 5 improper measurement position]. */
static int dec_bp(struct cur *c, struct gatt_result *o)
{
	uint8_t f = o->flags = u8(c);
	const char *unit = f & 0x01 ? "kPa" : "mm[Hg]";
	struct ieee_num sys = ieee_sfloat_decode(u16(c));
	struct ieee_num dia = ieee_sfloat_decode(u16(c));
	struct ieee_num map = ieee_sfloat_decode(u16(c));
	struct ieee_num pr = {.kind = CAB_VALUE_NAN};
	int64_t t = INT64_MIN;
	uint16_t user = 0xFFFF, status = 0;
	if (f & 0x02)
		datetime(c, &t);
	if (f & 0x04)
		pr = ieee_sfloat_decode(u16(c));
	if (f & 0x08) {
		uint8_t u = u8(c);
		user = u == 0xFF ? 0xFFFF : u;
	}
	if (f & 0x10)
		status = u16(c);
	if (c->err)
		return c->err;
	add(o, MDC_PRESS_BLD_NONINV_SYS, sys, unit, 1);
	add(o, MDC_PRESS_BLD_NONINV_DIA, dia, unit, 1);
	add(o, MDC_PRESS_BLD_NONINV_MEAN, map, unit, 1);
	if (f & 0x04)
		add(o, MDC_PULS_RATE_NON_INV, pr, "/min", 1);
	uint32_t fl = 0;
	if (status & 0x0001)
		fl |= CAB_RF_MOTION;
	if (status & 0x0002)
		fl |= CAB_RF_CUFF_ERROR;
	if (status & 0x0004)
		fl |= CAB_RF_IRREGULAR_HB;
	o->bp_status = status;
	stamp(o, t, fl, status, user);
	return 0;
}

/* Reading flags from the PLX Measurement Status (GSS: bit 5 measurement ongoing, 9
 * data from measurement storage, 10 demonstration data, 11 testing data, 13
 * measurement unavailable, 14 questionable, 15 invalid) and the Device and Sensor
 * Status (GSS: 1 equipment malfunction, 3 inadequate signal, 4 poor signal, 5 low
 * perfusion, 11 sensor unconnected to user, 13 sensor displaced, 15 sensor
 * disconnected). Demonstration/testing data is never a patient value: invalid. */
static uint32_t plx_flags(uint16_t ms, uint32_t ds)
{
	uint32_t fl = 0;
	if (ms & (1u << 5))
		fl |= CAB_RF_ONGOING;
	if (ms & (1u << 9))
		fl |= CAB_RF_STORED;
	if (ms & ((1u << 10) | (1u << 11) | (1u << 13) | (1u << 15)))
		fl |= CAB_RF_INVALID;
	if (ds & (1u << 1))
		fl |= CAB_RF_INVALID;
	if (ds & ((1u << 3) | (1u << 4) | (1u << 5)))
		fl |= CAB_RF_SIGNAL_WEAK;
	if (ds & ((1u << 11) | (1u << 13) | (1u << 15)))
		fl |= CAB_RF_NO_FINGER;
	return fl;
}

/* PLXS 3.1 PLX Spot-check Measurement: Flags (bit 0 Timestamp, 1 Measurement Status,
 * 2 Device and Sensor Status, 3 Pulse Amplitude Index, 4 device clock not set),
 * SpO2PR-Spot-Check (SpO2 SFLOAT, PR SFLOAT), [Timestamp], [Measurement Status u16],
 * [Device and Sensor Status u24], [PAI SFLOAT]. */
static int dec_plx_spot(struct cur *c, struct gatt_result *o)
{
	uint8_t f = o->flags = u8(c);
	struct ieee_num spo2 = ieee_sfloat_decode(u16(c));
	struct ieee_num pr = ieee_sfloat_decode(u16(c));
	struct ieee_num pai = {.kind = CAB_VALUE_NAN};
	int64_t t = INT64_MIN;
	uint16_t ms = 0;
	if (f & 0x01)
		datetime(c, &t);
	if (f & 0x02)
		ms = u16(c);
	if (f & 0x04)
		o->plx_sensor_status = u24(c);
	if (f & 0x08)
		pai = ieee_sfloat_decode(u16(c));
	if (c->err)
		return c->err;
	add(o, MDC_PULS_OXIM_SAT_O2, spo2, "%", 1);
	add(o, MDC_PULS_OXIM_PULS_RATE, pr, "/min", 1);
	if (f & 0x08)
		add(o, MDC_PULS_OXIM_PERF_REL, pai, "%", 1);
	uint32_t fl = 0;
	if (f & 0x10) {
		fl |= CAB_RF_CLOCK_UNSET;
		t = INT64_MIN;
	}
	fl |= plx_flags(ms, o->plx_sensor_status);
	stamp(o, t, fl, ms, 0xFFFF);
	return 0;
}

/* PLXS 3.2 PLX Continuous Measurement: Flags (bit 0 SpO2PR-Fast, 1 SpO2PR-Slow, 2
 * Measurement Status, 3 Device and Sensor Status, 4 PAI), SpO2PR-Normal, [Fast],
 * [Slow], [Measurement Status u16], [Device and Sensor Status u24], [PAI]. Only the
 * Normal pair and PAI become readings (flagged ongoing: a live value). */
static int dec_plx_cont(struct cur *c, struct gatt_result *o)
{
	uint8_t f = o->flags = u8(c);
	struct ieee_num spo2 = ieee_sfloat_decode(u16(c));
	struct ieee_num pr = ieee_sfloat_decode(u16(c));
	struct ieee_num pai = {.kind = CAB_VALUE_NAN};
	uint16_t ms = 0;
	if (f & 0x01)
		bytes(c, 4);
	if (f & 0x02)
		bytes(c, 4);
	if (f & 0x04)
		ms = u16(c);
	if (f & 0x08)
		o->plx_sensor_status = u24(c);
	if (f & 0x10)
		pai = ieee_sfloat_decode(u16(c));
	if (c->err)
		return c->err;
	add(o, MDC_PULS_OXIM_SAT_O2, spo2, "%", 1);
	add(o, MDC_PULS_OXIM_PULS_RATE, pr, "/min", 1);
	if (f & 0x10)
		add(o, MDC_PULS_OXIM_PERF_REL, pai, "%", 1);
	uint32_t fl = CAB_RF_ONGOING | plx_flags(ms, o->plx_sensor_status);
	stamp(o, INT64_MIN, fl, ms, 0xFFFF);
	return 0;
}

/* WSS 3.2 Weight Measurement: Flags (bit 0 imperial, 1 Time Stamp, 2 User ID, 3 BMI and
 * Height), Weight u16 (SI 0.005 kg, imperial 0.01 lb; 0xFFFF measurement unsuccessful),
 * [Time Stamp], [User ID u8], [BMI u16 0.1 kg/m2, Height u16 (SI 0.001 m, imperial
 * 0.1 in)]. */
static int dec_weight(struct cur *c, struct gatt_result *o)
{
	uint8_t f = o->flags = u8(c);
	int imperial = f & 0x01;
	uint16_t w = u16(c);
	int64_t t = INT64_MIN;
	uint16_t user = 0xFFFF, bmi = 0, height = 0;
	if (f & 0x02)
		datetime(c, &t);
	if (f & 0x04) {
		uint8_t u = u8(c);
		user = u == 0xFF ? 0xFFFF : u;
	}
	if (f & 0x08) {
		bmi = u16(c);
		height = u16(c);
	}
	if (c->err)
		return c->err;
	struct ieee_num n = {.kind = CAB_VALUE_NUMBER, .value = w};
	if (w == 0xFFFF)
		n.kind = CAB_VALUE_NAN;
	add(o, MDC_MASS_BODY_ACTUAL, n, imperial ? "[lb_av]" : "kg", imperial ? 0.01 : 0.005);
	if (f & 0x08) {
		struct ieee_num b = {.kind = CAB_VALUE_NUMBER, .value = bmi};
		struct ieee_num h = {.kind = CAB_VALUE_NUMBER, .value = height};
		add(o, MDC_RATIO_MASS_BODY_LEN_SQ, b, "kg/m2", 0.1);
		add(o, MDC_LEN_BODY_ACTUAL, h, imperial ? "[in_i]" : "cm", imperial ? 0.1 : 0.1);
	}
	stamp(o, t, 0, 0, user);
	return 0;
}

/* GLS Glucose Measurement type nibble (GSS "Type") to the 10101 glucose code. */
static uint32_t glucose_mdc(int type)
{
	static const uint16_t map[11] = {
	    0, MDC_CONC_GLU_CAPILLARY_WHOLEBLOOD, MDC_CONC_GLU_CAPILLARY_PLASMA,
	    MDC_CONC_GLU_VENOUS_WHOLEBLOOD, MDC_CONC_GLU_VENOUS_PLASMA,
	    MDC_CONC_GLU_ARTERIAL_WHOLEBLOOD, MDC_CONC_GLU_ARTERIAL_PLASMA,
	    MDC_CONC_GLU_UNDETERMINED_WHOLEBLOOD, MDC_CONC_GLU_UNDETERMINED_PLASMA,
	    MDC_CONC_GLU_ISF, MDC_CONC_GLU_CONTROL};
	return type >= 1 && type <= 10 ? map[type] : 0;
}

/* GLS 3.1 Glucose Measurement: Flags (bit 0 Time Offset, 1 Concentration + Type-Sample
 * Location, 2 unit mol/L instead of kg/L, 3 Sensor Status Annunciation, 4 Context
 * Information follows), Sequence Number u16, Base Time (Date Time), [Time Offset s16
 * minutes], [Concentration SFLOAT, Type (low nibble) and Sample Location (high
 * nibble)], [Sensor Status Annunciation u16: bit 5 result higher than the device can
 * process, bit 6 lower]. */
static int dec_glucose(struct cur *c, struct gatt_result *o)
{
	uint8_t f = o->flags = u8(c);
	o->glucose_seq = u16(c);
	int64_t t = INT64_MIN;
	datetime(c, &t);
	int16_t off = 0;
	struct ieee_num v = {.kind = CAB_VALUE_NAN};
	if (f & 0x01)
		off = (int16_t)u16(c);
	if (f & 0x02) {
		v = ieee_sfloat_decode(u16(c));
		uint8_t tl = u8(c);
		o->glucose_type = tl & 0x0F;
		o->glucose_location = tl >> 4;
	}
	if (f & 0x08)
		o->glucose_annunciation = u16(c);
	o->glucose_context_follows = !!(f & 0x10);
	if (c->err)
		return c->err;
	if (!(f & 0x02))
		return 0; /* a record without a concentration: nothing to report */
	uint32_t term = glucose_mdc(o->glucose_type);
	if (!term)
		return GATT_E_INVALID; /* reserved type: never a bare number */
	if (t != INT64_MIN)
		t += off * 60000LL;
	int mol = f & 0x04;
	struct cab_reading *r = add(o, term, v, mol ? "mmol/L" : "mg/dL", mol ? 1000.0 : 100000.0);
	if (v.kind == CAB_VALUE_NUMBER) /* round away the float noise of the scaling */
		r->value = mol ? (double)(long long)(r->value * 100 + (r->value >= 0 ? 0.5 : -0.5)) / 100
		               : (double)(long long)(r->value * 10 + (r->value >= 0 ? 0.5 : -0.5)) / 10;
	uint32_t fl = CAB_RF_STORED;
	if (o->glucose_type == 10)
		fl |= CAB_RF_CONTROL_SOLUTION;
	if (o->glucose_annunciation & (1u << 5)) {
		r->value_kind = CAB_VALUE_PINF;
		r->value = 0;
		fl |= CAB_RF_OUT_OF_RANGE;
	} else if (o->glucose_annunciation & (1u << 6)) {
		r->value_kind = CAB_VALUE_NINF;
		r->value = 0;
		fl |= CAB_RF_OUT_OF_RANGE;
	}
	if (o->glucose_annunciation & 0x0001)
		fl |= CAB_RF_LOW_BATTERY;
	if (o->glucose_annunciation & 0x0716) /* malfunction, sample, strip, interrupted, fault */
		fl |= CAB_RF_INVALID;
	if (o->glucose_annunciation & (1u << 11)) { /* time fault: the clock is not trusted */
		fl |= CAB_RF_CLOCK_UNSET;
		t = INT64_MIN;
	}
	stamp(o, t, fl, o->glucose_annunciation, 0xFFFF);
	return 0;
}

int gatt_decode(uint16_t chr, const uint8_t *b, size_t len, struct gatt_result *out)
{
	struct cur c = {.b = b, .len = b ? len : 0};
	int r;
	memset(out, 0, sizeof *out);
	out->chr = chr;
	switch (chr) {
	case GATT_CHR_TEMP_MEAS: r = dec_temp(&c, out); break;
	case GATT_CHR_BP_MEAS: r = dec_bp(&c, out); break;
	case GATT_CHR_PLX_SPOT: r = dec_plx_spot(&c, out); break;
	case GATT_CHR_PLX_CONT: r = dec_plx_cont(&c, out); break;
	case GATT_CHR_WEIGHT_MEAS: r = dec_weight(&c, out); break;
	case GATT_CHR_GLUCOSE_MEAS: r = dec_glucose(&c, out); break;
	default: r = GATT_E_UNKNOWN; break;
	}
	if (r < 0)
		out->n = 0;
	return r;
}

int gatt_weight_feature(const uint8_t *b, size_t len, double *wres, double *hres, int *bmi)
{
	static const double wkg[8] = {0, 0.5, 0.2, 0.1, 0.05, 0.02, 0.01, 0.005};
	static const double hm[4] = {0, 0.01, 0.005, 0.001};
	struct cur c = {.b = b, .len = b ? len : 0};
	uint32_t f = u32(&c);
	if (c.err)
		return c.err;
	unsigned w = (f >> 3) & 0x0F, h = (f >> 7) & 0x07;
	if (w > 7 || h > 3)
		return GATT_E_INVALID;
	*wres = wkg[w];
	*hres = hm[h];
	*bmi = !!(f & 0x04);
	return 0;
}

size_t gatt_racp_encode(enum gatt_racp_op op, enum gatt_racp_operator oper, uint16_t min,
                        uint16_t max, uint8_t out[7])
{
	size_t n = 0;
	out[n++] = (uint8_t)op;
	out[n++] = (uint8_t)oper;
	if (oper == GATT_RACP_GE || oper == GATT_RACP_LE || oper == GATT_RACP_RANGE) {
		out[n++] = 0x01; /* filter type: sequence number */
		out[n++] = (uint8_t)(min & 0xFF);
		out[n++] = (uint8_t)(min >> 8);
		if (oper == GATT_RACP_RANGE) {
			out[n++] = (uint8_t)(max & 0xFF);
			out[n++] = (uint8_t)(max >> 8);
		}
	}
	return n;
}

int gatt_racp_decode(const uint8_t *b, size_t len, struct gatt_racp_reply *out)
{
	struct cur c = {.b = b, .len = b ? len : 0};
	memset(out, 0, sizeof *out);
	uint8_t op = u8(&c);
	uint8_t oper = u8(&c);
	if (c.err)
		return c.err;
	if (oper != 0)
		return GATT_E_INVALID; /* responses use the Null operator */
	if (op == GATT_RACP_NUMBER_RESPONSE) {
		out->count = u16(&c);
	} else if (op == GATT_RACP_RESPONSE) {
		out->request_op = u8(&c);
		out->code = u8(&c);
		if (!c.err && (out->code < 1 || out->code > 9))
			return GATT_E_INVALID;
	} else {
		return GATT_E_INVALID;
	}
	if (c.err)
		return c.err;
	out->op = (enum gatt_racp_op)op;
	return 0;
}

const char *gatt_racp_code_text(uint8_t code)
{
	static const char *const t[] = {
	    "reserved", "success", "op code not supported", "invalid operator",
	    "operator not supported", "invalid operand", "no records found",
	    "abort unsuccessful", "procedure not completed", "operand not supported"};
	return code < sizeof t / sizeof t[0] ? t[code] : "reserved";
}
