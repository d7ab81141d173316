/* onetouch.h — pure decoder of the LifeScan OneTouch Ultra 2 serial ASCII protocol
 * (bytes in, values out; no I/O, no clock). Source: LifeScan, "OneTouch Ultra 2
 * RS-232 Communication Protocol" (the vendor's published document, as summarised by
 * glucometer-protocols: lifescan/onetouch-ultra2.md, and implemented by
 * glucometerutils' otultra2 driver, whose field layouts are the facts used here).
 *
 * Link: 9600 baud 8N1, no flow control. A command is DC1 CR, the command, CR
 * ("\x11\rDM?\r"). Each answer line is BODY, a space, the 16-bit sum of BODY's bytes
 * as 4 upper-case hex digits, CR LF. Commands used (never DMT set-clock, never DMZ
 * erase):
 *   DM?    -> ?P02.00.00 30/08/06               software version
 *   DM@    -> @ "XXXXXXXXY"                     serial: 9 characters, 'Y' last on an Ultra 2
 *   DMF    -> F "THU","04/26/12","14:09:42   "  the meter's clock (MM/DD/YY, 24 h)
 *   DMSU?  -> SU?,"MG/DL " or SU?,"MMOL/L"      the unit the meter displays
 *   DMP    -> P 003,"XXXXXXXXY","MG/DL "        header: record count, serial, unit
 *             then COUNT lines, newest first:
 *             P "MON","05/17/24","08:30:00   ","  095 ","N","00", 00
 *             value field: [C ] control solution, space, 3 digits, [? ] parity error;
 *             meal N/B/A (none, before, after), comment 00..11.
 * Stored values are always mg/dL, whatever the display unit (the meter's internal
 * unit). Internal to devices/: prefix ot_. */
#ifndef CABIN_PROTO_ONETOUCH_H
#define CABIN_PROTO_ONETOUCH_H

#include <stddef.h>
#include <stdint.h>

enum ot_err {
	OT_OK = 0,
	OT_E_FORMAT = -1,   /* not the line layout the command answers with */
	OT_E_CHECKSUM = -2, /* the 16-bit sum does not match, or is missing */
	OT_E_RANGE = -3     /* a date or number out of its domain */
};

/* Stable English text of an error. */
const char *ot_err_text(int err);

/* The meter's measuring range (OneTouch Ultra 2 owner's booklet: 20-600 mg/dL);
 * stored values outside are its "LO" / "HI" results. */
#define OT_MGDL_MIN 20
#define OT_MGDL_MAX 600

/* Builds the bytes of command CMD ("DM?") into OUT; returns the length, 0 when it
 * does not fit. */
size_t ot_command(const char *cmd, char *out, size_t size);

/* The 16-bit sum of LEN bytes (the protocol's checksum). */
uint16_t ot_checksum(const char *b, size_t len);

/* Checks one answer line (LEN bytes, trailing CR LF optional) and copies its BODY
 * (without the checksum) into OUT (SIZE bytes). 0, OT_E_FORMAT, OT_E_CHECKSUM. */
int ot_line(const char *line, size_t len, char *out, size_t size);

/* DM? body -> version text after '?'. 0 or OT_E_FORMAT. */
int ot_version(const char *body, char *out, size_t size);
/* DM@ body -> the 9-character serial (OUT >= 10 bytes); *ULTRA2 1 when it ends in Y. */
int ot_serial(const char *body, char out[10], int *ultra2);
/* DMF body -> the meter's clock read as UTC wall ms (the meter has no time zone);
 * *YEAR the full year (2000 + YY). 0, OT_E_FORMAT, OT_E_RANGE. */
int ot_clock(const char *body, int64_t *ms, int *year);
/* DMSU? body -> *MMOL 1 for mmol/L, 0 for mg/dL. 0 or OT_E_FORMAT. */
int ot_unit(const char *body, int *mmol);
/* DMP header body -> record count, serial, display unit. */
int ot_dump_header(const char *body, int *count, char serial[10], int *mmol);

/* One stored record. */
struct ot_record {
	int64_t time_ms;  /* the meter's clock, read as UTC wall ms */
	int year;         /* 2000 + YY */
	int mgdl;         /* stored value, mg/dL */
	int control;      /* 1: a control-solution test */
	int parity_error; /* 1: the meter flagged the record's parity bad */
	char meal;        /* 'N', 'B', 'A' */
	int comment;      /* 0..11 */
};
/* DMP record body -> *R. 0, OT_E_FORMAT, OT_E_RANGE. */
int ot_record(const char *body, struct ot_record *r);

#endif
