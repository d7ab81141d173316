/* cms50.h — pure decoder and command encoder for the Contec CMS50D+ family serial
 * protocol. Source: Contec "Communication Protocol of Pulse Oximeter V7.0" (2010),
 * published in albertcbraun/CMS50FW; summary in PROTOCOLS.md 1.2. Bytes in,
 * packets and readings out: no I/O, no clock. */
#ifndef CABIN_PROTO_CMS50_H
#define CABIN_PROTO_CMS50_H

#include <stddef.h>
#include <stdint.h>

#include "cabin/reading.h"

/* Packet types (byte 0, bit 7 clear), V7.0 section "package type". */
#define CMS50_TYPE_REALTIME 0x01 /* 9 bytes, 60 per second */
#define CMS50_TYPE_STORAGE  0x0F /* 8 bytes, three (SpO2, PR) pairs */
#define CMS50_TYPE_COMMAND  0x7D /* 9 bytes, host to device */

/* Longest packet the parser holds (a longer run without a type byte is garbage). */
#define CMS50_MAX_PACKET 9

/* Commands (byte 2 of a 0x7D packet), V7.0 "control commands". */
enum cms50_cmd {
	CMS50_CMD_START_REALTIME = 0xA1,
	CMS50_CMD_STOP_REALTIME = 0xA2,
	CMS50_CMD_STORAGE_SEGMENTS = 0xA3,
	CMS50_CMD_STORAGE_LENGTH = 0xA4,
	CMS50_CMD_STORAGE_START_TIME = 0xA5,
	CMS50_CMD_STORAGE_DATA = 0xA6,
	CMS50_CMD_DEVICE_ID = 0xAA,
	CMS50_CMD_PI_SUPPORT = 0xAC,
	CMS50_CMD_KEEP_ALIVE = 0xAF, /* send at least every 5 s during real-time */
	CMS50_CMD_STORAGE_FLAG = 0xB0
};

/* Seconds between keep-alive commands the device needs during real-time. */
#define CMS50_KEEPALIVE_S 5

/* One decoded real-time packet (type 0x01), bit 7 of every data byte restored. */
struct cms50_realtime {
	uint8_t signal;          /* b2 bits 0-3: signal strength 0..8 */
	uint8_t searching_too_long, low_spo2, beep, probe_error; /* b2 bits 4,5,6,7 */
	uint8_t pleth;           /* b3 bits 0-6: pleth wave sample 0..127 */
	uint8_t searching;       /* b3 bit 7: searching for a pulse */
	uint8_t bargraph;        /* b4 bits 0-3 */
	uint8_t pi_invalid;      /* b4 bit 4 */
	int pulse_rate;          /* b5 in /min, -1 when 0xFF (invalid) */
	int spo2;                /* b6 in %, -1 when 0x7F (invalid) */
	int pi_x100;             /* b7 (low) b8 (high): PI x 100, -1 when 0xFFFF or pi_invalid */
};

/* One decoded storage packet (type 0x0F): three one-second (SpO2, PR) pairs;
 * -1 marks 0x7F / 0xFF invalid values. */
struct cms50_storage {
	int spo2[3];
	int pulse_rate[3];
};

/* A packet out of the stream. */
struct cms50_packet {
	uint8_t type;               /* CMS50_TYPE_* or another type byte */
	uint8_t len;                /* bytes in raw */
	uint8_t raw[CMS50_MAX_PACKET]; /* as received */
	uint8_t data[CMS50_MAX_PACKET]; /* bytes 2.. with bit 7 restored (data[0] = byte 2) */
	union {
		struct cms50_realtime rt;
		struct cms50_storage st;
		uint8_t cmd;            /* for CMS50_TYPE_COMMAND */
	} u;
};

/* Stream parser state: resynchronises on bytes with bit 7 clear. Zero it to start. */
struct cms50_parser {
	uint8_t buf[CMS50_MAX_PACKET];
	uint8_t n;                  /* bytes held */
	uint64_t skipped;           /* bytes dropped while resynchronising (garbage) */
	uint64_t truncated;         /* packets cut short by a new type byte */
	uint64_t unknown;           /* packets of unknown type skipped */
};

/* Result of cms50_parse_next. */
enum cms50_res {
	CMS50_NEED_MORE = 0, /* all input consumed, no complete packet */
	CMS50_PACKET = 1,    /* *PKT filled */
	CMS50_ERR_TRUNCATED = -1, /* a packet was cut short (new type byte inside) */
	CMS50_ERR_GARBAGE = -2    /* bytes with bit 7 set outside a packet were dropped */
};

/* Stable text of a result ("truncated packet", ...). */
const char *cms50_res_text(enum cms50_res r);

/* Consumes bytes from IN (LEN) into P until one packet completes (returns
 * CMS50_PACKET, *USED = bytes consumed), an error is seen (returns it, *USED =
 * bytes consumed up to the fault; parsing may resume after it), or the input ends
 * (CMS50_NEED_MORE). Known types complete at their length; unknown types complete
 * when CMS50_MAX_PACKET bytes are held and are counted in P->unknown, not returned. */
enum cms50_res cms50_parse_next(struct cms50_parser *p, const uint8_t *in, size_t len,
                                size_t *used, struct cms50_packet *pkt);

/* Decodes one whole packet RAW (LEN bytes) into *PKT. Returns 0, or -1 when the
 * length does not fit the type, byte 0 has bit 7 set, or a data byte lacks bit 7. */
int cms50_packet_decode(const uint8_t *raw, size_t len, struct cms50_packet *pkt);

/* Encodes a 9-byte command packet `7D 81 CMD 80 80 80 80 80 80` (data bytes' bit 7
 * carried in the high byte, V7.0 framing). */
void cms50_encode_cmd(uint8_t cmd, uint8_t out[9]);

/* Readings of a real-time packet, in this order: SpO2 (MDC_PULS_OXIM_SAT_O2, "%"),
 * pulse rate (MDC_PULS_OXIM_PULS_RATE, "/min"), PI (MDC_PULS_OXIM_PERF_REL, "%"),
 * pleth (MDC_PULS_OXIM_PLETH, "1"). Invalid markers and values under probe error
 * are CAB_VALUE_NAN with CAB_RF_INVALID, never numbers. Flags: probe error ->
 * CAB_RF_NO_FINGER; signal < 2 or searching too long -> CAB_RF_SIGNAL_WEAK;
 * searching -> CAB_RF_ONGOING. Device identity and times are left to the caller
 * (device_time_ms INT64_MIN). Returns the count written (4; OUT holds >= 4). */
int cms50_realtime_readings(const struct cms50_realtime *rt, struct cab_reading *out);

/* Readings of a storage packet: three (SpO2, PR) pairs flagged CAB_RF_STORED, in order;
 * 0x7F/0xFF markers and 0 (the padding of an unfilled slot) are NaN + CAB_RF_INVALID.
 * Returns the count written (6; OUT holds >= 6). */
int cms50_storage_readings(const struct cms50_storage *st, struct cab_reading *out);

#endif
