/* omron_hem.h — pure codec for the Omron HEM-790IT family USB HID protocol (USB
 * 0590:0028: HEM-790IT, HEM-7080IT-E, HJ-720IT). Source: libomron's protocol notes
 * and USBlyzer captures (openyou/libomron, commit 7febf17, doc/), the reading layout
 * as corrected in libomron issue #25; summary in PROTOCOLS.md 1.3. No I/O. */
#ifndef CABIN_PROTO_OMRON_HEM_H
#define CABIN_PROTO_OMRON_HEM_H

#include <stddef.h>
#include <stdint.h>

#include "cabin/reading.h"

#define OMRON_VID 0x0590
#define OMRON_PID_HEM790IT 0x0028

/* Every HID report is 8 bytes; byte 0 counts the valid bytes that follow (1..7);
 * bytes after them are stale buffer contents and are ignored. */
#define OMRON_REPORT_LEN 8
#define OMRON_REPORT_PAYLOAD 7

/* Longest message Cabin accepts (hard maximum for reassembly). */
#define OMRON_MSG_MAX 64

/* Modes selected with a 2-byte feature report (libomron omron_set_mode). */
#define OMRON_MODE_DEVICE_INFO 0x0101
#define OMRON_MODE_DAILY       0x74BC
#define OMRON_MODE_WEEKLY      0x1074

/* Encodes the mode-select feature report payload (2 bytes, big-endian mode). */
void omron_encode_mode(uint16_t mode, uint8_t out[2]);

/* Command encoders. Each writes the message bytes into OUT (>= 8) and returns the
 * length. VER00 and END FF FF carry no checksum; GDC and GME end with the XOR of
 * their argument bytes (libomron omron_get_daily_data_count / _individual_data). */
size_t omron_cmd_ver(uint8_t *out);
size_t omron_cmd_gdc(uint8_t bank, uint8_t *out);
size_t omron_cmd_gme(uint8_t bank, uint16_t index, uint8_t *out);
size_t omron_cmd_end(uint8_t *out);

/* Splits a message into 8-byte reports (count byte + up to 7 bytes, rest zero).
 * Returns the number of reports written to REPORTS (room for MAXR), 0 if too long. */
size_t omron_split_reports(const uint8_t *msg, size_t len, uint8_t (*reports)[8], size_t maxr);

/* Message reassembly from reports. Zero to start. */
struct omron_asm {
	uint8_t buf[OMRON_MSG_MAX];
	size_t n;
};

/* Adds one report (LEN must be 8; a longer read is an error). Returns 1 when the
 * report was short (count < 7: the message ends here), 0 when more may follow, -1
 * for a bad report (length != 8, count 0 or > 7) or a message over OMRON_MSG_MAX. */
int omron_asm_add(struct omron_asm *a, const uint8_t *report, size_t len);

/* Kind of reply. */
enum omron_reply {
	OMRON_REPLY_OK = 0,    /* "OK" + status 00 + data + XOR */
	OMRON_REPLY_NO = 1,    /* "NO": retry the command */
	OMRON_REPLY_OK_BARE = 2, /* just "OK" (reply to END) */
	OMRON_REPLY_OFF = 3,   /* "OFF\r\n" after END */
	OMRON_REPLY_BAD = -1   /* anything else, or a checksum mismatch */
};

/* Classifies reply MSG (LEN). For OMRON_REPLY_OK checks the XOR of every byte after
 * "OK" (status, data, checksum) is 0, and sets *DATA / *DATA_LEN to the data
 * between the status byte and the checksum. */
enum omron_reply omron_reply_parse(const uint8_t *msg, size_t len, const uint8_t **data,
                                   size_t *data_len);

/* Expected reply length of commands whose reply has a fixed size (GDC 8, GME 17,
 * END 2), 0 when it varies (VER). CMD is the 3 ASCII letters. */
size_t omron_reply_len(const uint8_t *cmd3);

/* Record count from a GDC reply's data (4 bytes: unknown, unknown, count BE16).
 * Returns the count or -1 if DATA_LEN != 4. */
int omron_gdc_count(const uint8_t *data, size_t data_len);

/* Version string from a VER reply's data (ASCII, e.g. "M7080IT 207") into OUT
 * (OUTSZ), non-printable bytes replaced by '?'. Returns 0 or -1 (empty). */
int omron_ver_string(const uint8_t *data, size_t data_len, char *out, size_t outsz);

/* One stored blood-pressure record (GME reply data, 13 bytes, issue #25 layout):
 * YY MM DD hh mm ss (binary), unit number, SYS big-endian 16, DIA, pulse, flags. */
struct omron_record {
	int year, month, day, hour, minute, second; /* year full (2000 + YY) */
	int unit;                  /* user/unit number byte */
	int sys, dia, pulse;       /* mmHg, mmHg, /min */
	uint16_t flags;            /* OMRON_FLAG_* */
};

#define OMRON_FLAG_IRREGULAR 0x0001 /* irregular heartbeat */
#define OMRON_FLAG_MOVEMENT  0x0002 /* body movement during measurement */
#define OMRON_FLAG_TRUREAD   0x0030 /* TruRead count bits */

/* Parses GME reply data. Returns 0, or -1 when DATA_LEN != 13 or a field is out
 * of its range (month 1-12, day 1-31, hour < 24, minute/second < 60). */
int omron_record_parse(const uint8_t *data, size_t data_len, struct omron_record *rec);

/* Readings of a record, in order: systolic (MDC_PRESS_BLD_NONINV_SYS, "mm[Hg]"),
 * diastolic (MDC_PRESS_BLD_NONINV_DIA), pulse (MDC_PULS_RATE_NON_INV, "/min"), each
 * with the device time and flags (irregular -> CAB_RF_IRREGULAR_HB, movement ->
 * CAB_RF_MOTION) plus EXTRA_FLAGS. No mean pressure: this device does not give one.
 * Returns 3 (OUT holds >= 3). */
int omron_record_readings(const struct omron_record *rec, uint32_t extra_flags,
                          struct cab_reading *out);

/* Encodes a GME reply for RECORD (simulators, tests): "OK" 00 data XOR. Returns 17. */
size_t omron_encode_gme_reply(const struct omron_record *rec, uint8_t *out);

#endif
