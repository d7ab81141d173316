/* report.h — measurement event reports (IEEE 11073-20601 clause 8.9.3.3 / 6.3.8:
 * ScanReportInfoFixed, -Var, -MPFixed, -MPVar and their unbuffered/buffered
 * scanner variants) turned into Cabin readings, one per value: compound values
 * (e.g. NIBP) give one reading per member of the object's physio list. Units are
 * mapped MDC -> UCUM, time stamps decoded, measurement-status bits kept.
 * Internal: prefix ieee_. */
#ifndef CABIN_IEEE11073_REPORT_H
#define CABIN_IEEE11073_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "cabin/reading.h"
#include "devices/proto/ieee11073/config.h"

/* Hard maximum of readings from one report. */
#define IEEE_REPORT_READINGS_MAX 128
/* Hard maxima of the lists of a report. */
#define IEEE_REPORT_OBS_MAX      255  /* observations in one (per-person) list */
#define IEEE_REPORT_PERSONS_MAX  32   /* persons in one multi-person report */

/* What the decoder needs besides the bytes. */
struct ieee_report_ctx {
	const struct ieee_config *cfg;       /* configuration the agent associated with */
	const struct cab_device_id *device;  /* copied into every reading (may be NULL) */
	int64_t cabin_time_ms;               /* epoch ms when the report arrived */
	int64_t session_start_ms;            /* device time (same literal scale as
	                                        cab_reading.device_time_ms) before which a
	                                        reading is CAB_RF_BEFORE_SESSION;
	                                        INT64_MIN = no session */
	int stored;                          /* 1: delivered as stored data (data-request
	                                        response, buffered scanner) */
	int64_t clock_offset_ms;             /* cabin clock minus agent clock when known
	                                        (0 otherwise): added to a time stamp before
	                                        it is compared with session_start_ms */
};

/* 1 when EVENT_TYPE is a measurement report this decoder reads (fixed, var, MP
 * fixed, MP var, and the unbuffered/buffered scanner variants of those). */
int ieee_is_scan_report(uint16_t event_type);

/* Decodes the event-info INFO (LEN bytes) of an EVENT_TYPE report into OUT (CAP
 * entries), *N readings. On error *N still counts the readings of the observations
 * decoded before the faulty one. Returns 0 or an ieee_err with a message in ERR:
 * IEEE_E_CONFIG for a handle outside the configuration or data not matching the
 * value map, IEEE_E_INVALID for a bad time stamp, IEEE_E_LIMIT past CAP. */
int ieee_scan_report_decode(uint16_t event_type, const uint8_t *info, size_t len,
                            const struct ieee_report_ctx *ctx, struct cab_reading *out,
                            size_t cap, size_t *n, char *err, size_t errsz);

#endif
