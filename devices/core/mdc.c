/* mdc.c — names and UCUM units of the IEEE 11073-10101 codes in cabin/mdc.h. */
#include "cabin/mdc.h"

#include <stddef.h>

struct mdc_name { uint32_t code; const char *name; };

static const struct mdc_name names[] = {
	{MDC_FULL(2, MDC_PULS_OXIM_PULS_RATE), "MDC_PULS_OXIM_PULS_RATE"},
	{MDC_FULL(2, MDC_PULS_RATE_NON_INV), "MDC_PULS_RATE_NON_INV"},
	{MDC_FULL(2, MDC_PRESS_BLD_NONINV), "MDC_PRESS_BLD_NONINV"},
	{MDC_FULL(2, MDC_PRESS_BLD_NONINV_SYS), "MDC_PRESS_BLD_NONINV_SYS"},
	{MDC_FULL(2, MDC_PRESS_BLD_NONINV_DIA), "MDC_PRESS_BLD_NONINV_DIA"},
	{MDC_FULL(2, MDC_PRESS_BLD_NONINV_MEAN), "MDC_PRESS_BLD_NONINV_MEAN"},
	{MDC_FULL(2, MDC_TEMP_BODY), "MDC_TEMP_BODY"},
	{MDC_FULL(2, MDC_TEMP_TYMP), "MDC_TEMP_TYMP"},
	{MDC_FULL(2, MDC_PULS_OXIM_PERF_REL), "MDC_PULS_OXIM_PERF_REL"},
	{MDC_FULL(2, MDC_PULS_OXIM_PLETH), "MDC_PULS_OXIM_PLETH"},
	{MDC_FULL(2, MDC_PULS_OXIM_SAT_O2), "MDC_PULS_OXIM_SAT_O2"},
	{MDC_FULL(2, MDC_CONC_GLU_CAPILLARY_WHOLEBLOOD), "MDC_CONC_GLU_CAPILLARY_WHOLEBLOOD"},
	{MDC_FULL(2, MDC_CONC_GLU_CAPILLARY_PLASMA), "MDC_CONC_GLU_CAPILLARY_PLASMA"},
	{MDC_FULL(2, MDC_CONC_GLU_VENOUS_WHOLEBLOOD), "MDC_CONC_GLU_VENOUS_WHOLEBLOOD"},
	{MDC_FULL(2, MDC_CONC_GLU_VENOUS_PLASMA), "MDC_CONC_GLU_VENOUS_PLASMA"},
	{MDC_FULL(2, MDC_CONC_GLU_ARTERIAL_WHOLEBLOOD), "MDC_CONC_GLU_ARTERIAL_WHOLEBLOOD"},
	{MDC_FULL(2, MDC_CONC_GLU_ARTERIAL_PLASMA), "MDC_CONC_GLU_ARTERIAL_PLASMA"},
	{MDC_FULL(2, MDC_CONC_GLU_CONTROL), "MDC_CONC_GLU_CONTROL"},
	{MDC_FULL(2, MDC_CONC_GLU_ISF), "MDC_CONC_GLU_ISF"},
	{MDC_FULL(2, MDC_CONC_GLU_UNDETERMINED_WHOLEBLOOD), "MDC_CONC_GLU_UNDETERMINED_WHOLEBLOOD"},
	{MDC_FULL(2, MDC_CONC_GLU_UNDETERMINED_PLASMA), "MDC_CONC_GLU_UNDETERMINED_PLASMA"},
	{MDC_FULL(2, MDC_MASS_BODY_ACTUAL), "MDC_MASS_BODY_ACTUAL"},
	{MDC_FULL(2, MDC_LEN_BODY_ACTUAL), "MDC_LEN_BODY_ACTUAL"},
	{MDC_FULL(2, MDC_BODY_FAT), "MDC_BODY_FAT"},
	{MDC_FULL(2, MDC_RATIO_MASS_BODY_LEN_SQ), "MDC_RATIO_MASS_BODY_LEN_SQ"},
};

struct mdc_unit { uint16_t code; const char *ucum; };

static const struct mdc_unit units[] = {
	{MDC_DIM_DIMLESS, "1"},          {MDC_DIM_PERCENT, "%"},
	{MDC_DIM_CENTI_M, "cm"},         {MDC_DIM_INCH, "[in_i]"},
	{MDC_DIM_KILO_G, "kg"},          {MDC_DIM_LB, "[lb_av]"},
	{MDC_DIM_KG_PER_M_SQ, "kg/m2"},  {MDC_DIM_MILLI_G_PER_DL, "mg/dL"},
	{MDC_DIM_BEAT_PER_MIN, "/min"},  {MDC_DIM_KILO_PA, "kPa"},
	{MDC_DIM_MMHG, "mm[Hg]"},        {MDC_DIM_FAHR, "[degF]"},
	{MDC_DIM_MILLI_MOLE_PER_L, "mmol/L"}, {MDC_DIM_DEGC, "Cel"},
};

const char *cab_mdc_name(uint32_t full_code)
{
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (names[i].code == full_code)
			return names[i].name;
	return NULL;
}

const char *cab_mdc_unit_ucum(uint16_t dim_code)
{
	for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
		if (units[i].code == dim_code)
			return units[i].ucum;
	return NULL;
}
