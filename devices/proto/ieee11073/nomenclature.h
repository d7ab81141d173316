/* nomenclature.h — the IEEE 11073-10101 / 20601 codes the manager needs beyond
 * cabin/mdc.h: object classes, attribute ids, notifications, actions, APDU and
 * DATA choices, association results. Values from IEEE 11073-20601 Annex A as
 * reproduced in Signove Antidote src/dim/nomenclature.h and PROTOCOLS.md 1.1.
 * Internal: prefix IEEE_. */
#ifndef CABIN_IEEE11073_NOMENCLATURE_H
#define CABIN_IEEE11073_NOMENCLATURE_H

/* APDU choices (20601 clause 8.1 / Annex F.1). */
#define IEEE_APDU_AARQ 0xE200u
#define IEEE_APDU_AARE 0xE300u
#define IEEE_APDU_RLRQ 0xE400u
#define IEEE_APDU_RLRE 0xE500u
#define IEEE_APDU_ABRT 0xE600u
#define IEEE_APDU_PRST 0xE700u

/* DATA-apdu message choices. */
#define IEEE_ROIV_EVENT_REPORT      0x0100u
#define IEEE_ROIV_CONF_EVENT_REPORT 0x0101u
#define IEEE_ROIV_GET               0x0103u
#define IEEE_ROIV_SET               0x0104u
#define IEEE_ROIV_CONF_SET          0x0105u
#define IEEE_ROIV_ACTION            0x0106u
#define IEEE_ROIV_CONF_ACTION       0x0107u
#define IEEE_RORS_CONF_EVENT_REPORT 0x0201u
#define IEEE_RORS_GET               0x0203u
#define IEEE_RORS_CONF_SET          0x0205u
#define IEEE_RORS_CONF_ACTION       0x0207u
#define IEEE_ROER                   0x0300u
#define IEEE_RORJ                   0x0400u

/* Association. */
#define IEEE_DATA_PROTO_20601       0x5079u
#define IEEE_ASSOC_VERSION1         0x80000000u
#define IEEE_PROTOCOL_VERSION1      0x80000000u
#define IEEE_NOM_VERSION1           0x80000000u
#define IEEE_ENC_MDER               0x8000u
#define IEEE_SYS_TYPE_MANAGER       0x80000000u
#define IEEE_SYS_TYPE_AGENT         0x00800000u
#define IEEE_DATA_REQ_SUPP_INIT_AGENT 0x0001u
/* AARE results. */
#define IEEE_AARE_ACCEPTED                 0u
#define IEEE_AARE_REJECTED_PERMANENT       1u
#define IEEE_AARE_REJECTED_TRANSIENT       2u
#define IEEE_AARE_ACCEPTED_UNKNOWN_CONFIG  3u
#define IEEE_AARE_REJECTED_NO_COMMON_PROTOCOL 4u
#define IEEE_AARE_REJECTED_NO_COMMON_PARAMETER 5u
/* Release (RLRQ/RLRE) and abort reasons. */
#define IEEE_RELEASE_NORMAL         0u
#define IEEE_ABORT_UNDEFINED        0u
#define IEEE_ABORT_BUFFER_OVERFLOW  1u
#define IEEE_ABORT_RESPONSE_TIMEOUT 2u
#define IEEE_ABORT_CONFIG_TIMEOUT   3u
/* Config report results (ConfigResult). */
#define IEEE_CONFIG_ACCEPTED        0u
#define IEEE_CONFIG_UNSUPPORTED     1u
#define IEEE_CONFIG_STD_UNKNOWN     2u
/* Extended configurations use dev-config-id 0x4000..0x7FFF. */
#define IEEE_CONFIG_EXTENDED_MIN    0x4000u
#define IEEE_CONFIG_EXTENDED_MAX    0x7FFFu
/* roer error values (ErrorResult). */
#define IEEE_ROER_NO_SUCH_ACTION    9u
#define IEEE_ROER_PROTOCOL_VIOLATION 23u
#define IEEE_ROER_NOT_ALLOWED_BY_OBJECT 24u
/* Invoke-id the agent uses for agent-initiated reports (data-req-id). */
#define IEEE_DATA_REQ_ID_AGENT_INIT 0xF000u

/* Object classes (partition 1). */
#define IEEE_MOC_VMO_METRIC         4u
#define IEEE_MOC_VMO_METRIC_ENUM    5u
#define IEEE_MOC_VMO_METRIC_NU      6u
#define IEEE_MOC_VMO_METRIC_SA_RT   9u
#define IEEE_MOC_SCAN_CFG_EPI      18u
#define IEEE_MOC_SCAN_CFG_PERI     19u
#define IEEE_MOC_VMS_MDS_SIMP      37u
#define IEEE_MOC_VMO_PMSTORE       61u

/* Attribute ids. */
#define IEEE_ATTR_ID_MODEL          0x0928u /* SystemModel */
#define IEEE_ATTR_ID_PROD_SPECN     0x092Du /* ProductionSpec */
#define IEEE_ATTR_ID_TYPE           0x092Fu /* TYPE {partition, code} */
#define IEEE_ATTR_MSMT_STAT         0x0947u /* MeasurementStatus BITS-16 */
#define IEEE_ATTR_NU_CMPD_VAL_OBS   0x094Bu /* NuObsValueCmp */
#define IEEE_ATTR_NU_VAL_OBS        0x0950u /* NuObsValue */
#define IEEE_ATTR_SYS_ID            0x0984u /* octet string, EUI-64 */
#define IEEE_ATTR_SYS_TYPE          0x0986u
#define IEEE_ATTR_TIME_ABS          0x0987u /* AbsoluteTime */
#define IEEE_ATTR_TIME_STAMP_ABS    0x0990u /* AbsoluteTime */
#define IEEE_ATTR_TIME_STAMP_REL    0x0991u /* RelativeTime u32 */
#define IEEE_ATTR_UNIT_CODE         0x0996u /* OID-Type */
#define IEEE_ATTR_TIME_STAMP_REL_HI_RES 0x09E9u /* HighResRelativeTime (8) */
#define IEEE_ATTR_DEV_CONFIG_ID     0x0A44u
#define IEEE_ATTR_MDS_TIME_INFO     0x0A45u /* MdsTimeInfo */
#define IEEE_ATTR_METRIC_SPEC_SMALL 0x0A46u
#define IEEE_ATTR_SOURCE_HANDLE_REF 0x0A47u
#define IEEE_ATTR_ENUM_OBS_VAL_SIMP_OID 0x0A49u
#define IEEE_ATTR_NU_VAL_OBS_BASIC  0x0A4Cu /* SFLOAT */
#define IEEE_ATTR_ATTRIBUTE_VAL_MAP 0x0A55u
#define IEEE_ATTR_NU_VAL_OBS_SIMP   0x0A56u /* FLOAT */
#define IEEE_ATTR_SYS_TYPE_SPEC_LIST 0x0A5Au
#define IEEE_ATTR_SUPPLEMENTAL_TYPES 0x0A61u
#define IEEE_ATTR_ENUM_OBS_VAL_SIMP_BIT_STR 0x0A65u
#define IEEE_ATTR_ENUM_OBS_VAL_BASIC_BIT_STR 0x0A66u
#define IEEE_ATTR_METRIC_STRUCT_SMALL 0x0A73u
#define IEEE_ATTR_NU_CMPD_VAL_OBS_SIMP 0x0A74u /* count, length, FLOAT... */
#define IEEE_ATTR_NU_CMPD_VAL_OBS_BASIC 0x0A75u /* count, length, SFLOAT... */
#define IEEE_ATTR_ID_PHYSIO_LIST    0x0A76u /* MetricIdList */
#define IEEE_ATTR_OP_STAT           0x0953u

/* Notifications (event types) and actions. */
#define IEEE_NOTI_CONFIG            0x0D1Cu
#define IEEE_NOTI_SCAN_REPORT_FIXED 0x0D1Du
#define IEEE_NOTI_SCAN_REPORT_VAR   0x0D1Eu
#define IEEE_NOTI_SCAN_REPORT_MP_FIXED 0x0D1Fu
#define IEEE_NOTI_SCAN_REPORT_MP_VAR 0x0D20u
#define IEEE_NOTI_UNBUF_SCAN_REPORT_VAR 0x0D22u
#define IEEE_NOTI_UNBUF_SCAN_REPORT_FIXED 0x0D23u
#define IEEE_NOTI_UNBUF_SCAN_REPORT_MP_VAR 0x0D25u
#define IEEE_NOTI_UNBUF_SCAN_REPORT_MP_FIXED 0x0D26u
#define IEEE_NOTI_BUF_SCAN_REPORT_VAR 0x0D28u
#define IEEE_NOTI_BUF_SCAN_REPORT_FIXED 0x0D29u
#define IEEE_NOTI_BUF_SCAN_REPORT_MP_VAR 0x0D2Bu
#define IEEE_NOTI_BUF_SCAN_REPORT_MP_FIXED 0x0D2Cu
#define IEEE_ACT_SEG_CLR            0x0C0Cu /* never sent by Cabin: erases stored data */
#define IEEE_ACT_SET_TIME           0x0C17u
#define IEEE_ACT_DATA_REQUEST       0x0C1Bu

/* MeasurementStatus bits (BITS-16, bit 0 = MSB). */
#define IEEE_MS_INVALID             0x8000u
#define IEEE_MS_QUESTIONABLE        0x4000u
#define IEEE_MS_NOT_AVAILABLE       0x2000u
#define IEEE_MS_CALIBRATION_ONGOING 0x1000u
#define IEEE_MS_TEST_DATA           0x0800u
#define IEEE_MS_DEMO_DATA           0x0400u
#define IEEE_MS_VALIDATED_DATA      0x0080u
#define IEEE_MS_EARLY_INDICATION    0x0040u
#define IEEE_MS_MSMT_ONGOING        0x0020u

/* MdsTimeInfo mds-time-cap-state bits (bit 0 = MSB). */
#define IEEE_TIME_CAP_REAL_TIME_CLOCK 0x8000u
#define IEEE_TIME_CAP_SET_CLOCK       0x4000u

/* ProdSpecEntry spec-type values. */
#define IEEE_PROD_SPEC_SERIAL       1u
#define IEEE_PROD_SPEC_FW_REVISION  5u

/* Device specialization profiles (partition 8, MDC_DEV_SPEC_PROFILE_*). */
#define IEEE_DEV_SPEC_PULS_OXIM     0x1004u
#define IEEE_DEV_SPEC_BP            0x1007u
#define IEEE_DEV_SPEC_TEMP          0x1008u
#define IEEE_DEV_SPEC_SCALE         0x100Fu
#define IEEE_DEV_SPEC_GLUCOSE       0x1011u

#endif
