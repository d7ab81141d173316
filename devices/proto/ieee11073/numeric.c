/* numeric.c — FLOAT/SFLOAT/AbsoluteTime of IEEE 11073-20601 (see numeric.h). */
#include "devices/proto/ieee11073/numeric.h"

#include <math.h>
#include <time.h>

#include "devices/proto/ieee11073/mder.h"

/* mantissa * 10^exp, correctly rounded while 10^|exp| is exact in a double. */
static double scale10(int32_t m, int e)
{
	double p = 1.0;
	int a = e < 0 ? -e : e;

	if (a > 22)
		return (double)m * pow(10.0, e);
	for (int i = 0; i < a; i++)
		p *= 10.0;
	return e < 0 ? (double)m / p : (double)m * p;
}

struct ieee_num ieee_float_decode(uint32_t raw)
{
	struct ieee_num n = {0};
	uint32_t m = raw & 0x00FFFFFFu;

	n.exponent = (int8_t)(raw >> 24);
	n.mantissa = (m & 0x800000u) ? (int32_t)m - 0x1000000 : (int32_t)m;
	switch (m) {
	case 0x7FFFFFu: n.kind = CAB_VALUE_NAN; return n;
	case 0x800000u: n.kind = CAB_VALUE_NRES; return n;
	case 0x7FFFFEu: n.kind = CAB_VALUE_PINF; return n;
	case 0x800002u: n.kind = CAB_VALUE_NINF; return n;
	case 0x800001u: n.kind = CAB_VALUE_RESERVED; return n;
	default: break;
	}
	n.kind = CAB_VALUE_NUMBER;
	n.value = scale10(n.mantissa, n.exponent);
	return n;
}

struct ieee_num ieee_sfloat_decode(uint16_t raw)
{
	struct ieee_num n = {0};
	unsigned m = raw & 0x0FFFu;
	int e = (raw >> 12) & 0xF;

	n.exponent = (int8_t)(e >= 8 ? e - 16 : e);
	n.mantissa = (m & 0x800u) ? (int32_t)m - 0x1000 : (int32_t)m;
	switch (m) {
	case 0x7FFu: n.kind = CAB_VALUE_NAN; return n;
	case 0x800u: n.kind = CAB_VALUE_NRES; return n;
	case 0x7FEu: n.kind = CAB_VALUE_PINF; return n;
	case 0x802u: n.kind = CAB_VALUE_NINF; return n;
	case 0x801u: n.kind = CAB_VALUE_RESERVED; return n;
	default: break;
	}
	n.kind = CAB_VALUE_NUMBER;
	n.value = scale10(n.mantissa, n.exponent);
	return n;
}

/* Finds mantissa/exponent for V: exponent >= -DECIMALS, |mantissa| <= MAXM, trailing
 * zeros of the mantissa moved into the exponent. Returns 0 when V cannot be held. */
static int split(double v, int decimals, long maxm, int emin, int emax, long *m, int *e)
{
	double x;

	if (!isfinite(v))
		return 0;
	*e = -decimals < emin ? emin : -decimals;
	for (;;) {
		x = round(v / pow(10.0, *e));
		if (fabs(x) <= (double)maxm)
			break;
		if (++*e > emax)
			return 0;
	}
	*m = (long)x;
	while (*m != 0 && *m % 10 == 0 && *e < 0) {
		*m /= 10;
		++*e;
	}
	if (*m == 0)
		*e = 0;
	return 1;
}

uint32_t ieee_float_from_double(double v, int decimals)
{
	long m;
	int e;

	if (!split(v, decimals, 0x7FFFFD, -128, 127, &m, &e))
		return 0x007FFFFFu;
	return (uint32_t)(uint8_t)(int8_t)e << 24 | ((uint32_t)m & 0x00FFFFFFu);
}

uint16_t ieee_sfloat_from_double(double v, int decimals)
{
	long m;
	int e;

	if (!split(v, decimals, 0x7FD, -8, 7, &m, &e))
		return 0x07FFu;
	return (uint16_t)(((unsigned)e & 0xFu) << 12 | ((unsigned)m & 0x0FFFu));
}

static int bcd(uint8_t b, int *out)
{
	if ((b >> 4) > 9 || (b & 0xF) > 9)
		return -1;
	*out = (b >> 4) * 10 + (b & 0xF);
	return 0;
}

int ieee_abstime_decode(const uint8_t b[8], int64_t *ms)
{
	int f[8];
	static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	struct tm tm = {0};
	int year;

	for (int i = 0; i < 8; i++)
		if (bcd(b[i], &f[i]))
			return IEEE_E_INVALID;
	year = f[0] * 100 + f[1];
	if (f[2] < 1 || f[2] > 12 || f[3] < 1 || f[3] > mdays[f[2] - 1] || f[4] > 23 ||
	    f[5] > 59 || f[6] > 59)
		return IEEE_E_INVALID;
	if (f[2] == 2 && f[3] == 29 && !((year % 4 == 0 && year % 100 != 0) || year % 400 == 0))
		return IEEE_E_INVALID;
	tm.tm_year = year - 1900;
	tm.tm_mon = f[2] - 1;
	tm.tm_mday = f[3];
	tm.tm_hour = f[4];
	tm.tm_min = f[5];
	tm.tm_sec = f[6];
	*ms = (int64_t)timegm(&tm) * 1000 + f[7] * 10;
	return 0;
}

static uint8_t tobcd(int v)
{
	return (uint8_t)((v / 10) << 4 | (v % 10));
}

void ieee_abstime_encode(int64_t ms, uint8_t b[8])
{
	time_t s = (time_t)(ms / 1000);
	struct tm tm;
	int year;

	gmtime_r(&s, &tm);
	year = tm.tm_year + 1900;
	b[0] = tobcd(year / 100 % 100);
	b[1] = tobcd(year % 100);
	b[2] = tobcd(tm.tm_mon + 1);
	b[3] = tobcd(tm.tm_mday);
	b[4] = tobcd(tm.tm_hour);
	b[5] = tobcd(tm.tm_min);
	b[6] = tobcd(tm.tm_sec);
	b[7] = tobcd((int)(ms % 1000) / 10);
}
