/* media_packet.h — the binary link message that carries one encoded media packet
 * (H.264 access unit, Opus packet or JPEG still) with a fixed 24-byte header.
 * Byte-by-byte layout: docs/media.md "The sender's packets". The parser is pure and bounded. */
#ifndef CABIN_MEDIA_PACKET_H
#define CABIN_MEDIA_PACKET_H

#include <stddef.h>
#include <stdint.h>

#define CAB_MEDIA_PKT_VERSION 1u
#define CAB_MEDIA_PKT_HEADER_LEN 24u
#define CAB_MEDIA_PKT_MAX_EXT 1024u                  /* extension block maximum, bytes */
#define CAB_MEDIA_PKT_MAX_PAYLOAD (8u * 1024 * 1024) /* payload maximum (a still), bytes */
#define CAB_MEDIA_PKT_MAX_LEN                                                                      \
	(CAB_MEDIA_PKT_HEADER_LEN + CAB_MEDIA_PKT_MAX_EXT + CAB_MEDIA_PKT_MAX_PAYLOAD)
#define CAB_MEDIA_CONFIG_FIXED 12u  /* fixed part of a config extension, bytes */
#define CAB_MEDIA_STILL_EXT_LEN 36u /* width, height, SHA-256 */

/* Message type (byte 1). */
enum cab_media_pkt_type {
	CAB_MEDIA_PKT_MEDIA = 1, /* one packet of a live stream */
	CAB_MEDIA_PKT_STILL = 2, /* one JPEG still image with its SHA-256 */
};

/* Stream ids (byte 2) used by Cabin; any value 0..15 parses. */
enum cab_media_stream {
	CAB_MEDIA_STREAM_VIDEO = 0,       /* room or exam camera, H.264 */
	CAB_MEDIA_STREAM_AUDIO = 1,       /* room microphone, Opus */
	CAB_MEDIA_STREAM_STETHOSCOPE = 2, /* stethoscope, Opus */
	CAB_MEDIA_STREAM_STILL = 3,       /* exam-camera stills, JPEG */
};
#define CAB_MEDIA_STREAM_MAX 15u

/* Codec (byte 3). */
enum cab_media_codec {
	CAB_MEDIA_CODEC_H264 = 1, /* ITU-T H.264 Annex B byte stream, one access unit */
	CAB_MEDIA_CODEC_OPUS = 2, /* RFC 6716 Opus packet */
	CAB_MEDIA_CODEC_JPEG = 3, /* ISO/IEC 10918-1 JFIF image */
};

/* Flags (byte 4); other bits must be zero. */
#define CAB_MEDIA_FLAG_KEY 0x01u    /* decoding can start here (IDR; every Opus packet) */
#define CAB_MEDIA_FLAG_CONFIG 0x02u /* extension holds a stream config (MEDIA type) */

/* Stream configuration carried in the extension of keyframes (MEDIA type). */
struct cab_media_config {
	uint16_t width, height;   /* video pixels, 0 for audio */
	uint32_t sample_rate;     /* audio Hz, 0 for video */
	uint8_t channels;         /* audio channels, 0 for video */
	uint8_t fps;              /* video frames per second, 0 for audio */
	const uint8_t *extradata; /* codec extradata (OpusHead for Opus), points into msg */
	uint16_t extradata_len;
};

/* A parsed message; pointers point into the parsed buffer (no copy). */
struct cab_media_packet {
	uint8_t type;   /* enum cab_media_pkt_type */
	uint8_t stream; /* 0..15 */
	uint8_t codec;  /* enum cab_media_codec */
	uint8_t flags;  /* CAB_MEDIA_FLAG_* */
	uint32_t seq;   /* per-stream sequence number, +1 per message */
	int64_t pts_us; /* presentation time, microseconds since the sender's origin */
	int has_config; /* 1 when config below is valid */
	struct cab_media_config config;
	uint16_t still_width, still_height; /* STILL type: image size in pixels */
	uint8_t still_sha256[32];           /* STILL type: SHA-256 of the payload (FIPS 180-4) */
	const uint8_t *payload;
	uint32_t payload_len;
};

/* Parse errors, each for one rule of docs/media.md "The sender's packets". */
enum cab_media_pkt_err {
	CAB_MEDIA_PKT_OK = 0,
	CAB_MEDIA_PKT_ETRUNC = -1,   /* shorter than the header */
	CAB_MEDIA_PKT_EVERSION = -2, /* version byte is not 1 */
	CAB_MEDIA_PKT_ETYPE = -3,    /* unknown type */
	CAB_MEDIA_PKT_ESTREAM = -4,  /* stream id > 15 */
	CAB_MEDIA_PKT_ECODEC = -5,   /* unknown codec or codec not allowed for the type */
	CAB_MEDIA_PKT_EFLAGS = -6,   /* reserved flag or byte set */
	CAB_MEDIA_PKT_EEXT = -7,     /* extension length over maximum or malformed */
	CAB_MEDIA_PKT_ELENGTH = -8,  /* header + ext + payload != message length */
	CAB_MEDIA_PKT_EPAYLOAD = -9, /* payload empty or over maximum */
	CAB_MEDIA_PKT_EPTS = -10,    /* negative presentation time */
	CAB_MEDIA_PKT_ESHA = -11,    /* STILL payload does not match its SHA-256 */
};

/* Parses MSG (LEN bytes) into OUT; never reads outside MSG. STILL messages have
 * their SHA-256 verified. Returns CAB_MEDIA_PKT_OK or a negative error. Pure. */
int cab_media_packet_parse(const uint8_t *msg, size_t len, struct cab_media_packet *out);

/* Short English text for an error code ("truncated header", ...). */
const char *cab_media_packet_strerror(int err);

/* Number of bytes cab_media_packet_write() needs for PKT. */
size_t cab_media_packet_size(const struct cab_media_packet *pkt);

/* Writes PKT (type, stream, codec, flags, seq, pts, config when has_config, still
 * fields for STILL, payload) into BUF of CAP bytes. Returns the length written, or a
 * negative error when PKT is not representable or CAP is too small (ELENGTH). */
long cab_media_packet_write(const struct cab_media_packet *pkt, uint8_t *buf, size_t cap);

/* Computes the SHA-256 of DATA into OUT (FIPS 180-4, via OpenSSL EVP). Returns 0 or -1. */
int cab_media_sha256(const uint8_t *data, size_t len, uint8_t out[32]);

#endif
