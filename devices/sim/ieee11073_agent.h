/* ieee11073_agent.h — a simulated IEEE 11073-20601 agent: it produces the very
 * APDUs a thermometer (10408), BP monitor (10407), pulse oximeter (10404), scale
 * (10415) or glucometer (10417) sends — association request with its standard
 * configuration (or an extended one with its configuration report), fixed
 * measurement reports with settable values, confirmed reports, Get MDS and
 * Set-Time answers, release — built on the same encoders as the manager. For the
 * kiosk demo and the tests. Public to devices/ and tests: prefix cab_sim11073_. */
#ifndef CABIN_SIM_IEEE11073_AGENT_H
#define CABIN_SIM_IEEE11073_AGENT_H

#include <stddef.h>
#include <stdint.h>

#include "cabin/reading.h"
#include "devices/proto/ieee11073/config.h"

/* The agent's state and settings (set fields after cab_sim11073_init). */
struct cab_sim11073 {
	enum cab_device_kind kind;
	struct ieee_config cfg;       /* objects it reports (a standard configuration) */
	int extended;                 /* 1: announce 0x4000 and send cfg as a config report */
	int confirmed;                /* 1: confirmed measurement reports (default) */
	int set_time_supported;       /* 1: MDS says the clock can be set (default) */
	uint8_t system_id[8];
	uint16_t invoke;              /* next invoke-id */
	int64_t clock_ms;             /* the agent's clock (changed by Set-Time) */
	/* what the manager told it */
	int assoc_result;             /* last AARE result, -1 before any */
	int config_result;            /* last config report result, -1 before any */
	int reports_confirmed;        /* confirmations received */
	int time_set;                 /* Set-Time actions received */
	int mds_answered;             /* Get MDS requests answered */
	int released;                 /* RLRE received or RLRQ answered */
	int aborted;                  /* ABRT received */
};

/* Sets up an agent of KIND (thermometer, blood-pressure, pulse-oximeter, scale,
 * glucometer) with its standard configuration. Returns 0, or -1 for another kind. */
int cab_sim11073_init(struct cab_sim11073 *a, enum cab_device_kind kind);

/* Each writes one APDU into BUF (CAP bytes) and returns its length (0 if it does
 * not fit). */
size_t cab_sim11073_aarq(struct cab_sim11073 *a, uint8_t *buf, size_t cap);
size_t cab_sim11073_config_report(struct cab_sim11073 *a, uint8_t *buf, size_t cap);
/* A fixed scan report of VALUES in reading order (e.g. BP: systolic, diastolic,
 * mean, pulse; pulse oximeter: SpO2, pulse), measured at TIME_MS (epoch ms read as
 * the agent's local wall time). N must equal the number of values of the
 * configuration. */
size_t cab_sim11073_measurement(struct cab_sim11073 *a, const double *values, size_t n,
                                int64_t time_ms, uint8_t *buf, size_t cap);
size_t cab_sim11073_rlrq(struct cab_sim11073 *a, uint8_t *buf, size_t cap);
size_t cab_sim11073_abrt(struct cab_sim11073 *a, uint16_t reason, uint8_t *buf, size_t cap);

/* Number of values a measurement of this agent carries. */
size_t cab_sim11073_value_count(const struct cab_sim11073 *a);

/* Takes one APDU from the manager; writes the answer (if any) into REPLY and
 * returns its length (0 = nothing to answer). Handles AARE, the config report
 * response, event report confirmations, Get MDS, Set-Time, RLRQ, RLRE, ABRT. */
size_t cab_sim11073_receive(struct cab_sim11073 *a, const uint8_t *apdu, size_t len,
                            uint8_t *reply, size_t cap);

#endif
