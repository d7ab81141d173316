/* std_config.c — the standard configurations of the five specializations Cabin
 * accepts without a configuration report. Object lists per the specialization
 * standards as reproduced by Signove Antidote (src/specializations/ files, commit
 * 42bf238) and universAAL LDDI (ExtendedCfg10404), checked against the Annex H style
 * examples in tests/devices/ieee11073/:
 *  - 10404 pulse oximeter 0x0190: SpO2 handle 1 and pulse rate handle 10, each
 *    {Basic-Nu SFLOAT 2, Absolute-Time-Stamp 8} (the time stamp is present in the
 *    H.2.4.1 style report antidote_H241_ID_0190 and in LDDI's config of the same
 *    layout); 0x0191: the same objects without time stamp (Basic-Nu only, as in
 *    Antidote's std config).
 *  - 10407 blood pressure 0x02BC: NIBP handle 1 compound Basic-Nu of
 *    {SYS, DIA, MEAN} + time (10 + 8 bytes), pulse rate handle 2 Basic-Nu + time.
 *  - 10408 thermometer 0x0320: body temperature handle 1, Basic-Nu + time, Cel.
 *  - 10415 weighing scale 0x05DC: body mass handle 1, Simple-Nu FLOAT + time, kg.
 *  - 10417 glucose 0x06A4: capillary whole-blood glucose handle 1, Basic-Nu + time,
 *    mg/dL. */
#include "devices/proto/ieee11073/config.h"

#include "cabin/mdc.h"
#include "devices/proto/ieee11073/nomenclature.h"

#define NU IEEE_MOC_VMO_METRIC_NU
#define BASIC_TIME 2, {{IEEE_ATTR_NU_VAL_OBS_BASIC, 2}, {IEEE_ATTR_TIME_STAMP_ABS, 8}}
#define SIMP_TIME 2, {{IEEE_ATTR_NU_VAL_OBS_SIMP, 4}, {IEEE_ATTR_TIME_STAMP_ABS, 8}}

static const struct ieee_config std_configs[] = {
	{0x0190, CAB_KIND_PULSE_OXIMETER, 2, {
		{NU, 1, 2, MDC_PULS_OXIM_SAT_O2, MDC_DIM_PERCENT, 0x4040, BASIC_TIME, 0, {0}, 0},
		{NU, 10, 2, MDC_PULS_OXIM_PULS_RATE, MDC_DIM_BEAT_PER_MIN, 0x4040, BASIC_TIME, 0, {0}, 0},
	}},
	{0x0191, CAB_KIND_PULSE_OXIMETER, 2, {
		{NU, 1, 2, MDC_PULS_OXIM_SAT_O2, MDC_DIM_PERCENT, 0x4040, 1,
		 {{IEEE_ATTR_NU_VAL_OBS_BASIC, 2}}, 0, {0}, 0},
		{NU, 10, 2, MDC_PULS_OXIM_PULS_RATE, MDC_DIM_BEAT_PER_MIN, 0x4040, 1,
		 {{IEEE_ATTR_NU_VAL_OBS_BASIC, 2}}, 0, {0}, 0},
	}},
	{0x02BC, CAB_KIND_BLOOD_PRESSURE, 2, {
		{NU, 1, 2, MDC_PRESS_BLD_NONINV, MDC_DIM_MMHG, 0xF040, 2,
		 {{IEEE_ATTR_NU_CMPD_VAL_OBS_BASIC, 10}, {IEEE_ATTR_TIME_STAMP_ABS, 8}}, 3,
		 {MDC_PRESS_BLD_NONINV_SYS, MDC_PRESS_BLD_NONINV_DIA, MDC_PRESS_BLD_NONINV_MEAN}, 0},
		{NU, 2, 2, MDC_PULS_RATE_NON_INV, MDC_DIM_BEAT_PER_MIN, 0xF040, BASIC_TIME, 0, {0}, 0},
	}},
	{0x0320, CAB_KIND_THERMOMETER, 1, {
		{NU, 1, 2, MDC_TEMP_BODY, MDC_DIM_DEGC, 0xF040, BASIC_TIME, 0, {0}, 0},
	}},
	{0x05DC, CAB_KIND_SCALE, 1, {
		{NU, 1, 2, MDC_MASS_BODY_ACTUAL, MDC_DIM_KILO_G, 0xF040, SIMP_TIME, 0, {0}, 0},
	}},
	{0x06A4, CAB_KIND_GLUCOMETER, 1, {
		{NU, 1, 2, MDC_CONC_GLU_CAPILLARY_WHOLEBLOOD, MDC_DIM_MILLI_G_PER_DL, 0xF040,
		 BASIC_TIME, 0, {0}, 0},
	}},
};

const struct ieee_config *ieee_std_config(uint16_t dev_config_id)
{
	for (size_t k = 0; k < sizeof std_configs / sizeof std_configs[0]; k++)
		if (std_configs[k].dev_config_id == dev_config_id)
			return &std_configs[k];
	return NULL;
}
