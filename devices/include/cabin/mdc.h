/* mdc.h — IEEE 11073-10101 nomenclature codes Cabin uses, and their UCUM units.
 *
 * A full code is partition << 16 | term code. Partitions: 1 object (MDC_PART_OBJ),
 * 2 SCADA (measured quantities), 4 dimensions (units), 8 infrastructure.
 * Term codes from IEEE 11073-10101 as used by IEEE 11073-20601 Annex A and the
 * device specializations 10404, 10407, 10408, 10415, 10417 (see PROTOCOLS.md 1.1). */
#ifndef CABIN_MDC_H
#define CABIN_MDC_H

#include <stdint.h>

#define MDC_PART_OBJ   1u
#define MDC_PART_SCADA 2u
#define MDC_PART_DIM   4u
#define MDC_PART_INFRA 8u

/* Builds a full code from a partition and a term code. */
#define MDC_FULL(part, code) (((uint32_t)(part) << 16) | (uint16_t)(code))

/* Measured quantities (partition 2, SCADA). */
#define MDC_PULS_OXIM_PULS_RATE        18458u /* 0x481A pulse rate from the oximeter */
#define MDC_PULS_RATE_NON_INV          18474u /* 0x482A pulse rate from the BP cuff */
#define MDC_PRESS_BLD_NONINV           18948u /* 0x4A04 NIBP compound */
#define MDC_PRESS_BLD_NONINV_SYS       18949u /* 0x4A05 */
#define MDC_PRESS_BLD_NONINV_DIA       18950u /* 0x4A06 */
#define MDC_PRESS_BLD_NONINV_MEAN      18951u /* 0x4A07 */
#define MDC_TEMP_BODY                  19292u /* 0x4B5C */
#define MDC_TEMP_TYMP                  19320u /* 0x4B78 tympanic */
#define MDC_PULS_OXIM_PERF_REL         19376u /* 0x4BB0 perfusion index */
#define MDC_PULS_OXIM_PLETH            19380u /* 0x4BB4 plethysmogram */
#define MDC_PULS_OXIM_SAT_O2           19384u /* 0x4BB8 SpO2 */
#define MDC_CONC_GLU_CAPILLARY_WHOLEBLOOD 29112u /* 0x71B8 */
#define MDC_CONC_GLU_CAPILLARY_PLASMA  29116u /* 0x71BC */
#define MDC_CONC_GLU_VENOUS_WHOLEBLOOD 29120u /* 0x71C0 */
#define MDC_CONC_GLU_VENOUS_PLASMA     29124u /* 0x71C4 */
#define MDC_CONC_GLU_ARTERIAL_WHOLEBLOOD 29128u /* 0x71C8 */
#define MDC_CONC_GLU_ARTERIAL_PLASMA   29132u /* 0x71CC */
#define MDC_CONC_GLU_CONTROL           29136u /* 0x71D0 control solution (never a patient value) */
#define MDC_CONC_GLU_ISF               29140u /* 0x71D4 interstitial fluid */
#define MDC_CONC_GLU_UNDETERMINED_WHOLEBLOOD 29292u /* 0x726C */
#define MDC_CONC_GLU_UNDETERMINED_PLASMA 29296u /* 0x7270 */
#define MDC_MASS_BODY_ACTUAL           57664u /* 0xE140 body weight */
#define MDC_LEN_BODY_ACTUAL            57668u /* 0xE144 body height */
#define MDC_BODY_FAT                   57676u /* 0xE14C */
#define MDC_RATIO_MASS_BODY_LEN_SQ     57680u /* 0xE150 BMI */

/* Units (partition 4, DIM). */
#define MDC_DIM_DIMLESS                512u   /* 0x0200 "1" */
#define MDC_DIM_PERCENT                544u   /* 0x0220 "%" */
#define MDC_DIM_CENTI_M                1297u  /* 0x0511 "cm" */
#define MDC_DIM_INCH                   1376u  /* 0x0560 "[in_i]" */
#define MDC_DIM_KILO_G                 1731u  /* 0x06C3 "kg" */
#define MDC_DIM_LB                     1760u  /* 0x06E0 "[lb_av]" */
#define MDC_DIM_KG_PER_M_SQ            1952u  /* 0x07A0 "kg/m2" */
#define MDC_DIM_MILLI_G_PER_DL         2130u  /* 0x0852 "mg/dL" */
#define MDC_DIM_BEAT_PER_MIN           2720u  /* 0x0AA0 "/min" */
#define MDC_DIM_KILO_PA                3843u  /* 0x0F03 "kPa" */
#define MDC_DIM_MMHG                   3872u  /* 0x0F20 "mm[Hg]" */
#define MDC_DIM_FAHR                   4416u  /* 0x1140 "[degF]" */
#define MDC_DIM_MILLI_MOLE_PER_L       4722u  /* 0x1272 "mmol/L" */
#define MDC_DIM_DEGC                   6048u  /* 0x17A0 "Cel" */

/* Reference id of a full code, e.g. MDC_FULL(2, 19384) -> "MDC_PULS_OXIM_SAT_O2";
 * NULL when the code is not in Cabin's table. */
const char *cab_mdc_name(uint32_t full_code);

/* UCUM code of a unit term code of partition 4 (e.g. 3872 -> "mm[Hg]"); NULL when
 * unknown. Mapping per IEEE 11073-10101 / the FHIR vital-signs profile's units. */
const char *cab_mdc_unit_ucum(uint16_t dim_code);

#endif
