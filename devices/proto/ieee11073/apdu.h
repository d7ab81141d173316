/* apdu.h — IEEE 11073-20601 APDUs as Cabin's manager sees them: parsed views of
 * AARQ, AARE, RLRQ, RLRE, ABRT and PRST (with its DATA-apdu choices), and the
 * encoders for what the manager (and the simulated agent) sends.
 * Source: IEEE 11073-20601 clause 8 and Annex F (MDER encoding), Annex H examples
 * as reproduced by Signove Antidote; PROTOCOLS.md 1.1. Parsed views point into the
 * caller's buffer: they are valid while it lives. Internal: prefix ieee_. */
#ifndef CABIN_IEEE11073_APDU_H
#define CABIN_IEEE11073_APDU_H

#include <stddef.h>
#include <stdint.h>

#include "devices/proto/ieee11073/mder.h"

/* Hard maxima on counts read from the wire. */
#define IEEE_ATTRS_MAX      64  /* attributes in one AttributeList */
#define IEEE_GET_IDS_MAX    32  /* attribute ids in one Get */
#define IEEE_SET_MODS_MAX   16  /* modifications in one Set */
#define IEEE_PROTOS_MAX     8   /* data-protos in one AARQ */
#define IEEE_SYSID_MAX      8   /* EUI-64 system-id */
/* Largest APDU Cabin sends (the manager's APDUs are small). */
#define IEEE_TX_MAX         256

/* PhdAssociationInformation (20601 clause 8.7.3). */
struct ieee_assoc_info {
	uint32_t protocol_version;
	uint16_t encoding_rules;          /* 0x8000 MDER, 0x4000 XER, 0x2000 PER */
	uint32_t nomenclature_version;
	uint32_t functional_units;
	uint32_t system_type;             /* 0x00800000 agent, 0x80000000 manager */
	uint8_t system_id[IEEE_SYSID_MAX];
	uint8_t system_id_len;
	uint16_t dev_config_id;
	uint16_t data_req_mode_flags;
	uint8_t data_req_init_agent_count;
	uint8_t data_req_init_manager_count;
	uint16_t option_count;            /* option-list entries (skipped) */
};

/* AARQ: association request from the agent. */
struct ieee_aarq {
	uint32_t assoc_version;
	uint16_t n_protos;     /* entries in data-proto-list */
	int has_20601;         /* 1 when one entry is data-proto-id 20601 (parsed into INFO) */
	struct ieee_assoc_info info;
};

/* AARE: association response (result and the selected data-proto). */
struct ieee_aare {
	uint16_t result;       /* IEEE_AARE_* */
	uint16_t proto_id;     /* 20601, or 0 when rejected */
	struct ieee_assoc_info info;
};

/* One AVA-Type (attribute id and value). */
struct ieee_ava {
	uint16_t id;
	uint16_t len;
	const uint8_t *val;
};

/* AttributeList. */
struct ieee_attr_list {
	uint16_t count;
	struct ieee_ava a[IEEE_ATTRS_MAX];
};

/* EventReportArgumentSimple (roiv) and EventReportResultSimple (rors): TIME is
 * event-time or currentTime; INFO is event-info or event-reply-info. */
struct ieee_event_report {
	uint16_t obj_handle;
	uint32_t time;
	uint16_t event_type;
	const uint8_t *info;
	uint16_t info_len;
};

/* GetArgumentSimple. */
struct ieee_get_arg {
	uint16_t obj_handle;
	uint16_t n_ids;
	uint16_t ids[IEEE_GET_IDS_MAX];
};

/* GetResultSimple / SetResultSimple. */
struct ieee_attr_result {
	uint16_t obj_handle;
	struct ieee_attr_list attrs;
};

/* SetArgumentSimple. */
struct ieee_set_arg {
	uint16_t obj_handle;
	uint16_t n_mods;
	struct {
		uint16_t op;  /* replace 0, add-values 1, remove-values 2, set-to-default 3 */
		struct ieee_ava ava;
	} mods[IEEE_SET_MODS_MAX];
};

/* ActionArgumentSimple / ActionResultSimple. */
struct ieee_action {
	uint16_t obj_handle;
	uint16_t action_type;
	const uint8_t *info;
	uint16_t info_len;
};

/* DATA-apdu inside a PRST. */
struct ieee_data_apdu {
	uint16_t invoke_id;
	uint16_t choice;       /* IEEE_ROIV_*, IEEE_RORS_*, IEEE_ROER, IEEE_RORJ */
	union {
		struct ieee_event_report event;   /* ROIV_(CONF_)EVENT_REPORT, RORS_CONF_EVENT_REPORT */
		struct ieee_get_arg get;          /* ROIV_GET */
		struct ieee_attr_result attrs;    /* RORS_GET, RORS_CONF_SET */
		struct ieee_set_arg set;          /* ROIV_(CONF_)SET */
		struct ieee_action action;        /* ROIV_(CONF_)ACTION, RORS_CONF_ACTION */
		struct {
			uint16_t error_value;
			const uint8_t *param;
			uint16_t param_len;
		} roer;
		uint16_t rorj_problem;
	} u;
};

/* Any APDU. */
struct ieee_apdu {
	uint16_t type;         /* IEEE_APDU_* */
	uint16_t length;       /* length field of the APDU (bytes after the header) */
	union {
		struct ieee_aarq aarq;
		struct ieee_aare aare;
		uint16_t reason;   /* RLRQ, RLRE, ABRT */
		struct ieee_data_apdu prst;
	} u;
};

/* Bytes of the first APDU in BUF (4 + its length field) when at least its 4-byte
 * header is present, else 0. The APDU itself may still be incomplete. */
size_t ieee_apdu_frame_len(const uint8_t *buf, size_t len);

/* Parses exactly one APDU from BUF[0..LEN). LEN may hold more (the next APDUs);
 * *CONSUMED (may be NULL) gets the bytes of this one. Every length is checked
 * against its container; counts above the maxima above are rejected. Returns 0,
 * or an ieee_err with a message in ERR (ERRSZ bytes). */
int ieee_apdu_parse(const uint8_t *buf, size_t len, struct ieee_apdu *out, size_t *consumed,
                    char *err, size_t errsz);

/* Parses an AttributeList from R (count, length, AVAs) into OUT. */
void ieee_attr_list_read(struct ieee_rd *r, struct ieee_attr_list *out);
/* Finds attribute ID in L; NULL when absent. */
const struct ieee_ava *ieee_attr_find(const struct ieee_attr_list *l, uint16_t id);

/* Name of an APDU type or DATA choice for logs ("AARQ", "roiv-cmip-get", ...). */
const char *ieee_apdu_name(uint16_t type);
const char *ieee_data_choice_name(uint16_t choice);

/* --- encoders: each writes one whole APDU into W (check W->err) ------------- */

/* AARQ with one data-proto (20601) carrying INFO (agent side, for the simulator). */
void ieee_aarq_encode(struct ieee_wr *w, const struct ieee_assoc_info *info);
/* AARE with RESULT; INFO is the manager's PhdAssociationInformation. */
void ieee_aare_encode(struct ieee_wr *w, uint16_t result, const struct ieee_assoc_info *info);
/* RLRQ / RLRE / ABRT with REASON. */
void ieee_rlrq_encode(struct ieee_wr *w, uint16_t reason);
void ieee_rlre_encode(struct ieee_wr *w, uint16_t reason);
void ieee_abrt_encode(struct ieee_wr *w, uint16_t reason);

/* Marks of an open PRST (see ieee_prst_begin). */
struct ieee_prst_mark {
	size_t apdu, octets, choice;
};
/* Opens PRST { invoke-id, CHOICE, ... }; the body follows; ieee_prst_end() patches
 * the three lengths. */
void ieee_prst_begin(struct ieee_wr *w, struct ieee_prst_mark *m, uint16_t invoke_id,
                     uint16_t choice);
void ieee_prst_end(struct ieee_wr *w, const struct ieee_prst_mark *m);

/* roiv-(confirmed-)event-report (agent side): EventReportArgumentSimple. */
void ieee_event_report_encode(struct ieee_wr *w, uint16_t invoke_id, int confirmed,
                              uint16_t obj_handle, uint32_t event_time, uint16_t event_type,
                              const uint8_t *info, size_t info_len);
/* rors-cmip-confirmed-event-report: EventReportResultSimple (manager's answer). */
void ieee_event_report_rsp_encode(struct ieee_wr *w, uint16_t invoke_id, uint16_t obj_handle,
                                  uint32_t current_time, uint16_t event_type,
                                  const uint8_t *reply, size_t reply_len);
/* Answer to an MDC_NOTI_CONFIG report: ConfigReportRsp {REPORT_ID, RESULT}. */
void ieee_config_rsp_encode(struct ieee_wr *w, uint16_t invoke_id, uint16_t report_id,
                            uint16_t result);
/* roiv-cmip-get of N attribute IDS of OBJ_HANDLE (0 ids = all, 20601 8.5.3). */
void ieee_get_encode(struct ieee_wr *w, uint16_t invoke_id, uint16_t obj_handle,
                     const uint16_t *ids, size_t n);
/* rors-cmip-get (agent side): the N attributes in A. */
void ieee_get_rsp_encode(struct ieee_wr *w, uint16_t invoke_id, uint16_t obj_handle,
                         const struct ieee_ava *a, size_t n);
/* roiv-cmip-(confirmed-)action / rors-cmip-confirmed-action with INFO. */
void ieee_action_encode(struct ieee_wr *w, uint16_t invoke_id, int confirmed,
                        uint16_t obj_handle, uint16_t action_type, const uint8_t *info,
                        size_t info_len);
void ieee_action_rsp_encode(struct ieee_wr *w, uint16_t invoke_id, uint16_t obj_handle,
                            uint16_t action_type, const uint8_t *info, size_t info_len);
/* Confirmed MDC_ACT_SET_TIME on the MDS: SetTimeInvoke {date-time from EPOCH_MS
 * read as local wall time, accuracy FLOAT 0} (20601 MDS Set-Time method). */
void ieee_set_time_encode(struct ieee_wr *w, uint16_t invoke_id, int64_t wall_ms);
/* roer with ERROR_VALUE (no parameter) and rorj with PROBLEM. */
void ieee_roer_encode(struct ieee_wr *w, uint16_t invoke_id, uint16_t error_value);
void ieee_rorj_encode(struct ieee_wr *w, uint16_t invoke_id, uint16_t problem);

#endif
