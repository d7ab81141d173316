/* freestyle.h — pure codec of the Abbott FreeStyle "shared HID protocol" (FreeStyle
 * Optium Neo / Precision Neo, Libre reader, InsuLinx): 64-byte reports framed as
 * type, length, payload; text commands of type 0x60 whose replies end with
 * "CKSM:xxxxxxxx\r\nCMD OK\r\n"; multi-record replies ending "count,checksum".
 * Sources: glucometer-protocols (glucometers-tech), abbott/shared-hid-protocol.md,
 * abbott/freestyle-precision-neo.md ($result? records, type 7 = blood glucose,
 * value digits or "HI"), abbott/freestyle-libre.md ($arresult? records, type 2 =
 * reading, reading-type 0 blood glucose, value in mg/dL, error bitfield 0x8000);
 * PROTOCOLS.md 1.4. Records are always stored in mg/dL (the display unit is a
 * setting, $gunits?/$uom?), so no conversion is made. An unset clock reports 255 in
 * every date and time field. Bytes in, records out: no I/O, no clock. */
#ifndef CABIN_PROTO_FREESTYLE_H
#define CABIN_PROTO_FREESTYLE_H

#include <stddef.h>
#include <stdint.h>

#include "cabin/reading.h"

#define FS_REPORT 64            /* every report, both ways */
#define FS_PAYLOAD 62           /* payload bytes per report */
#define FS_REPLY_MAX (256 * 1024) /* hard maximum of one reassembled text reply */

/* Message types (shared-hid-protocol.md). */
#define FS_TYPE_INIT 0x01       /* host: INIT 01 00 */
#define FS_TYPE_INIT_REPLY 0x71 /* device: 71 01 01 */
#define FS_TYPE_SERIAL 0x05
#define FS_TYPE_SYNC 0x22       /* device: synchronisation packet, ignored */
#define FS_TYPE_ERROR 0x30      /* device: 30 01 85 unknown message */
#define FS_TYPE_TEXT 0x60       /* text command / reply */
#define FS_TYPE_TEXT_LIBRE 0x21 /* Libre's own software sends text as 0x21 */

/* Errors (negative). */
enum fs_err {
	FS_OK = 0,
	FS_E_LENGTH = -1,    /* a report's length byte exceeds 62 (or the report is short) */
	FS_E_LIMIT = -2,     /* the reply exceeds FS_REPLY_MAX */
	FS_E_FORMAT = -3,    /* the text does not follow the documented grammar */
	FS_E_CHECKSUM = -4,  /* CKSM or record-set checksum mismatch */
	FS_E_FAIL = -5,      /* the meter answered "CMD Fail!" */
	FS_E_UNKNOWN_CMD = -6 /* the meter answered 30 01 85 (unknown message) */
};

/* Stable English text of an error. */
const char *fs_err_text(int err);

/* Encodes one report: TYPE, LEN (<= 62) and PAYLOAD, zero-padded to 64 bytes. Returns
 * 64, or FS_E_LENGTH. */
int fs_encode(uint8_t type, const uint8_t *payload, size_t len, uint8_t out[FS_REPORT]);

/* Encodes a text command (e.g. "$result?") as one 0x60 report. FS_E_LENGTH if > 62. */
int fs_encode_text(const char *cmd, uint8_t out[FS_REPORT]);

/* Parses a received report (LEN bytes, at least 2): *TYPE, *PAYLOAD (points into
 * REPORT) and *PLEN. Returns 0 or FS_E_LENGTH (the length byte is larger than the
 * report holds or than 62: e.g. a Libre 2's encrypted messages). */
int fs_report(const uint8_t *report, size_t len, uint8_t *type, const uint8_t **payload,
              size_t *plen);

/* Reassembly of a text reply across reports. Zero it (or fs_text_reset) to start. */
struct fs_text {
	char *buf;      /* grows up to FS_REPLY_MAX; freed by fs_text_free */
	size_t n, cap;
};
void fs_text_reset(struct fs_text *t);
void fs_text_free(struct fs_text *t);

/* Adds one received report. Returns 1 when the reply is complete (it ends with
 * "CMD OK\r\n" or "CMD Fail!\r\n"), 0 when more is needed (sync packets and other
 * types than text are skipped), or a negative fs_err (FS_E_UNKNOWN_CMD for 30 01 85,
 * FS_E_LIMIT, FS_E_LENGTH). */
int fs_text_add(struct fs_text *t, const uint8_t *report, size_t len);

/* Checks a complete reply (TEXT, LEN): the CKSM field equals the sum of the message
 * bytes and the status is OK. *MSG and *MSGLEN get the message. 0, FS_E_FORMAT,
 * FS_E_CHECKSUM or FS_E_FAIL. */
int fs_reply_check(const char *text, size_t len, const char **msg, size_t *msglen);

/* Builds a reply as a meter does: MSG + "CKSM:%08X\r\nCMD OK\r\n" (FAIL: the
 * checksum 00000000 and "CMD Fail!"). Returns the length written (< SIZE), or -1. */
int fs_reply_build(const char *msg, int fail, char *out, size_t size);

/* Splits a multi-record message (MSG, LEN): checks "Log Empty" or the final
 * "count,checksum" line (count = records, checksum = sum of the record bytes with
 * their CRLF). Calls EACH(record line without CRLF, its length, USER) per record;
 * EACH returning non-zero stops with that value. Returns the count, or FS_E_FORMAT /
 * FS_E_CHECKSUM. */
int fs_records(const char *msg, size_t len, int (*each)(const char *rec, size_t n, void *user),
               void *user);

/* A glucose record from either family. */
struct fs_glucose {
	long id;                 /* the meter's record id */
	int64_t device_time_ms;  /* month/day/year hour:minute[:second] read as UTC wall
	                            time, INT64_MIN when a field is 255 (clock unset) */
	int high, low;           /* "HI" (Neo) / LO marker (Libre field 12 with value 0) */
	int error;               /* Libre error bitfield 0x8000: the reading is invalid */
	int value_mgdl;          /* mg/dL as stored, meaningful when !high && !low && !error */
};

/* Parses a Neo $result? record (REC, N). Returns 1 for a blood-glucose record (type
 * 7) into *G, 0 for another record type (insulin 10, ketones 9: skipped), or
 * FS_E_FORMAT. */
int fs_neo_record(const char *rec, size_t n, struct fs_glucose *g);

/* Parses a Libre $arresult? record. Returns 1 for a blood-glucose reading (record
 * type 2, reading-type 0), 0 for other records (time changes, ketones, sensor
 * scans), or FS_E_FORMAT. */
int fs_libre_record(const char *rec, size_t n, struct fs_glucose *g);

/* Parses "$date?" ("m,d,y") and "$time?" ("h,m") messages into the meter's clock as
 * epoch ms read as UTC wall time. Returns 0, 1 when the clock is unset (255 fields),
 * or FS_E_FORMAT. */
int fs_clock(const char *date_msg, size_t dlen, const char *time_msg, size_t tlen, int64_t *ms);

/* The reading of a record: MDC_CONC_GLU_CAPILLARY_PLASMA "mg/dL" (FreeStyle strips
 * report plasma-equivalent values), CAB_RF_STORED; HI/LO -> +INF/-INF with
 * CAB_RF_OUT_OF_RANGE; error -> NaN with CAB_RF_INVALID; unset clock ->
 * CAB_RF_CLOCK_UNSET. */
struct cab_reading fs_glucose_reading(const struct fs_glucose *g);

#endif
