/* tiletext.c — instrument tile texts from readings (tiletext.h). */
#include "kiosk/app/tiletext.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cabin/mdc.h"

int cab_tile_slot(int tile, uint32_t mdc)
{
	if ((mdc >> 16) != MDC_PART_SCADA)
		return -1;
	uint16_t c = (uint16_t)(mdc & 0xFFFF);
	switch (tile) {
	case 0:
		return c == MDC_TEMP_BODY || c == MDC_TEMP_TYMP ? 0 : -1;
	case 1:
		return c == MDC_PRESS_BLD_NONINV_SYS   ? 0
		       : c == MDC_PRESS_BLD_NONINV_DIA ? 1
		       : c == MDC_PULS_RATE_NON_INV    ? 2
		                                       : -1;
	case 2:
		return c == MDC_PULS_OXIM_SAT_O2 ? 0 : c == MDC_PULS_OXIM_PULS_RATE ? 1 : -1;
	case 3:
		return c == MDC_MASS_BODY_ACTUAL ? 0 : -1;
	case 4:
		return c == MDC_CONC_GLU_CAPILLARY_WHOLEBLOOD || c == MDC_CONC_GLU_CAPILLARY_PLASMA ? 0
		                                                                                    : -1;
	default:
		return -1;
	}
}

/* V with DEC decimals, comma for French. */
static void num(double v, int dec, int fr, char *out, size_t n)
{
	snprintf(out, n, "%.*f", dec, v);
	char *dot = strchr(out, '.');
	if (dot && fr)
		*dot = ',';
}

char *cab_tile_text(int tile, const double val[CAB_TILE_SLOTS], const char *lang, char *buf,
                    size_t size)
{
	int fr = lang && !strcmp(lang, "fr");
	char a[24], b[24], c[24];
	buf[0] = 0;
	switch (tile) {
	case 0:
		if (!isnan(val[0])) {
			num(val[0], 1, fr, a, sizeof a);
			snprintf(buf, size, "%s °C", a);
		}
		break;
	case 1:
		if (!isnan(val[0]) && !isnan(val[1])) {
			num(val[0], 0, fr, a, sizeof a);
			num(val[1], 0, fr, b, sizeof b);
			if (!isnan(val[2])) {
				num(val[2], 0, fr, c, sizeof c);
				snprintf(buf, size, "%s/%s mmHg · %s /min", a, b, c);
			} else {
				snprintf(buf, size, "%s/%s mmHg", a, b);
			}
		}
		break;
	case 2:
		if (!isnan(val[0])) {
			num(val[0], 0, fr, a, sizeof a);
			if (!isnan(val[1])) {
				num(val[1], 0, fr, b, sizeof b);
				snprintf(buf, size, "SpO2 %s %% · %s /min", a, b);
			} else {
				snprintf(buf, size, "SpO2 %s %%", a);
			}
		}
		break;
	case 3:
		if (!isnan(val[0])) {
			num(val[0], 1, fr, a, sizeof a);
			snprintf(buf, size, "%s kg", a);
		}
		break;
	case 4:
		if (!isnan(val[0])) {
			num(val[0], 0, fr, a, sizeof a);
			snprintf(buf, size, "%s mg/dL", a);
		}
		break;
	default:
		break;
	}
	return buf;
}
