/* mds.h — what the manager learns from the agent's MDS object attributes (the
 * answer to a Get of all MDS attributes, IEEE 11073-20601 clause 6.3.2 / Annex
 * H.2.3.3): manufacturer and model, system-id, serial number and firmware from the
 * production specification, the specialization, and whether the agent's clock can
 * be set. Internal: prefix ieee_. */
#ifndef CABIN_IEEE11073_MDS_H
#define CABIN_IEEE11073_MDS_H

#include <stdint.h>

#include "cabin/reading.h"
#include "devices/proto/ieee11073/apdu.h"

/* What the MDS attributes said. */
struct ieee_mds_info {
	int set_time_supported;   /* MdsTimeInfo has mds-time-capab-set-clock */
	int has_time;             /* MDC_ATTR_TIME_ABS present and valid */
	int64_t agent_time_ms;    /* the agent's clock (literal, as epoch ms) */
	uint16_t dev_config_id;   /* 0 when absent */
	uint16_t spec_profile;    /* first MDC_DEV_SPEC_PROFILE_* of the type-spec list */
};

/* Reads the MDS attributes in L into D (strings made printable ASCII, truncated to
 * the fields' sizes; fields not present are left as they are) and INFO. Malformed
 * attribute values are skipped. Returns the number of attributes used. */
int ieee_mds_apply(const struct ieee_attr_list *l, struct cab_device_id *d,
                   struct ieee_mds_info *info);

/* Device kind of a specialization profile code (0x1004 pulse oximeter, ...). */
enum cab_device_kind ieee_spec_profile_kind(uint16_t profile);

/* Writes the 8-byte system-id ID as 16 upper-case hex digits into OUT (>= 17). */
void ieee_system_id_hex(const uint8_t *id, unsigned len, char *out);

#endif
