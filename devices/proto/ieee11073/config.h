/* config.h — agent configurations: the object list (class, handle, type, unit,
 * attribute-value-map) that says how to read fixed measurement reports. Standard
 * configurations of the specializations are built in (std_config.c); extended
 * ones come from an MDC_NOTI_CONFIG report (config_report.c), validated, and are
 * kept per system-id (config_store.c). Source: IEEE 11073-20601 clause 8.9.2 and
 * 6.3 (DIM); specializations 10404, 10407, 10408, 10415, 10417. Internal: ieee_. */
#ifndef CABIN_IEEE11073_CONFIG_H
#define CABIN_IEEE11073_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "cabin/reading.h"

#define IEEE_CFG_OBJS_MAX 32  /* objects in one configuration */
#define IEEE_VALMAP_MAX   16  /* entries of one attribute-value-map */
#define IEEE_PHYSIO_MAX   8   /* entries of one MetricIdList */

/* One entry of MDC_ATTR_ATTRIBUTE_VAL_MAP: the attribute and its byte length in a
 * fixed report. */
struct ieee_valmap_entry {
	uint16_t attr_id;
	uint16_t len;
};

/* One object of a configuration. */
struct ieee_cfg_obj {
	uint16_t obj_class;        /* IEEE_MOC_* */
	uint16_t handle;           /* obj-handle, non-zero, unique */
	uint16_t type_part;        /* MDC_ATTR_ID_TYPE partition (2 = SCADA) */
	uint16_t type_code;        /* MDC_ATTR_ID_TYPE term code, 0 when absent */
	uint16_t unit;             /* MDC_ATTR_UNIT_CODE (partition 4 term code), 0 absent */
	uint16_t metric_spec_small;
	uint16_t n_valmap;
	struct ieee_valmap_entry valmap[IEEE_VALMAP_MAX];
	uint16_t n_physio;         /* MDC_ATTR_ID_PHYSIO_LIST (compound members) */
	uint16_t physio[IEEE_PHYSIO_MAX];
	uint16_t n_unknown_attrs;  /* attributes Cabin does not know (skipped) */
};

/* A configuration. */
struct ieee_config {
	uint16_t dev_config_id;
	enum cab_device_kind kind; /* what the objects measure (from types) */
	uint16_t n_objs;
	struct ieee_cfg_obj objs[IEEE_CFG_OBJS_MAX];
};

/* The built-in standard configuration for DEV_CONFIG_ID (0x0190, 0x0191, 0x02BC,
 * 0x0320, 0x05DC, 0x06A4), or NULL. */
const struct ieee_config *ieee_std_config(uint16_t dev_config_id);

/* Object with HANDLE in C, or NULL. */
const struct ieee_cfg_obj *ieee_config_find(const struct ieee_config *c, uint16_t handle);

/* Fixed length of ATTR_ID's value in a fixed report for object O (compound values
 * depend on O's physio list), or -1 when Cabin does not know the attribute's type
 * (its bytes are then skipped by the length the map gives). */
int ieee_attr_fixed_len(uint16_t attr_id, const struct ieee_cfg_obj *o);

/* Parses the event-info of an MDC_NOTI_CONFIG report (ConfigReport: report-id,
 * ConfigObjectList) into OUT, then validates it (ieee_config_validate). Returns 0,
 * or an ieee_err with a clear message in ERR. */
int ieee_config_report_parse(const uint8_t *info, size_t len, struct ieee_config *out,
                             char *err, size_t errsz);

/* Checks that C does not contradict itself: non-zero unique handles; metric objects
 * with a type; value-map entries not repeated and of the length their attribute
 * type has; compound maps matching the physio list. Returns 0 or IEEE_E_CONFIG
 * with the reason in ERR. */
int ieee_config_validate(const struct ieee_config *c, char *err, size_t errsz);

/* Device kind the object types of C belong to (CAB_KIND_UNKNOWN if none). */
enum cab_device_kind ieee_config_kind(const struct ieee_config *c);

/* --- configurations kept per agent system-id --------------------------------- */

/* Where extended configurations are kept between associations. The in-memory
 * store below implements it; the kiosk may provide a persistent one. */
struct ieee_config_store {
	/* Copies the configuration known for SYSTEM_ID with DEV_CONFIG_ID into OUT;
	 * returns 0, or -1 when none. */
	int (*load)(void *user, const uint8_t system_id[8], uint16_t dev_config_id,
	            struct ieee_config *out);
	/* Keeps C for SYSTEM_ID (replacing any with the same dev-config-id). 0 or -1. */
	int (*save)(void *user, const uint8_t system_id[8], const struct ieee_config *c);
	void *user;
};

#define IEEE_MEM_STORE_MAX 8
/* A bounded in-memory store (oldest entry replaced when full). */
struct ieee_mem_store {
	unsigned n, next;
	struct {
		uint8_t system_id[8];
		struct ieee_config cfg;
	} e[IEEE_MEM_STORE_MAX];
};

/* Fills S (empty) and returns the store interface over it in *OUT. */
void ieee_mem_store_init(struct ieee_mem_store *s, struct ieee_config_store *out);

#endif
