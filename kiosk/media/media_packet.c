/* media_packet.c — writer and bounded parser of the media link message
 * (docs/media.md "The sender's packets"). A cursor with a sticky error reads big-endian fields. */
#include "media_packet.h"

#include <openssl/evp.h>
#include <string.h>

/* Read cursor: every read checks the remaining length first; after the first
 * failure (err set) reads return zero and the cursor stays put. */
struct rd {
	const uint8_t *p;
	size_t left;
	int err;
};

static uint64_t rd_be(struct rd *r, unsigned n)
{
	uint64_t v = 0;
	if (r->err || r->left < n) {
		r->err = 1;
		return 0;
	}
	for (unsigned i = 0; i < n; i++)
		v = (v << 8) | r->p[i];
	r->p += n;
	r->left -= n;
	return v;
}

static const uint8_t *rd_bytes(struct rd *r, size_t n)
{
	const uint8_t *p = r->p;
	if (r->err || r->left < n) {
		r->err = 1;
		return NULL;
	}
	r->p += n;
	r->left -= n;
	return p;
}

static void put_be(uint8_t **w, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		(*w)[i] = (uint8_t)(v >> (8 * (n - 1 - i)));
	*w += n;
}

int cab_media_sha256(const uint8_t *data, size_t len, uint8_t out[32])
{
	unsigned int olen = 0;
	if (!EVP_Digest(data, len, out, &olen, EVP_sha256(), NULL) || olen != 32)
		return -1;
	return 0;
}

static int codec_ok(uint8_t type, uint8_t codec)
{
	if (type == CAB_MEDIA_PKT_MEDIA)
		return codec == CAB_MEDIA_CODEC_H264 || codec == CAB_MEDIA_CODEC_OPUS;
	return codec == CAB_MEDIA_CODEC_JPEG;
}

static int parse_ext(const struct rd *whole, uint8_t type, uint8_t flags,
                     struct cab_media_packet *out)
{
	struct rd r = *whole;
	if (type == CAB_MEDIA_PKT_STILL) {
		if (r.left != CAB_MEDIA_STILL_EXT_LEN)
			return CAB_MEDIA_PKT_EEXT;
		out->still_width = (uint16_t)rd_be(&r, 2);
		out->still_height = (uint16_t)rd_be(&r, 2);
		memcpy(out->still_sha256, rd_bytes(&r, 32), 32);
		return CAB_MEDIA_PKT_OK;
	}
	if (!(flags & CAB_MEDIA_FLAG_CONFIG))
		return r.left == 0 ? CAB_MEDIA_PKT_OK : CAB_MEDIA_PKT_EEXT;
	struct cab_media_config *c = &out->config;
	c->width = (uint16_t)rd_be(&r, 2);
	c->height = (uint16_t)rd_be(&r, 2);
	c->sample_rate = (uint32_t)rd_be(&r, 4);
	c->channels = (uint8_t)rd_be(&r, 1);
	c->fps = (uint8_t)rd_be(&r, 1);
	c->extradata_len = (uint16_t)rd_be(&r, 2);
	if (r.err || r.left != c->extradata_len)
		return CAB_MEDIA_PKT_EEXT;
	c->extradata = c->extradata_len ? rd_bytes(&r, c->extradata_len) : NULL;
	out->has_config = 1;
	return CAB_MEDIA_PKT_OK;
}

int cab_media_packet_parse(const uint8_t *msg, size_t len, struct cab_media_packet *out)
{
	struct rd r = {msg, msg ? len : 0, 0};
	memset(out, 0, sizeof *out);
	if (!msg || len < CAB_MEDIA_PKT_HEADER_LEN)
		return CAB_MEDIA_PKT_ETRUNC;
	uint8_t version = (uint8_t)rd_be(&r, 1);
	out->type = (uint8_t)rd_be(&r, 1);
	out->stream = (uint8_t)rd_be(&r, 1);
	out->codec = (uint8_t)rd_be(&r, 1);
	out->flags = (uint8_t)rd_be(&r, 1);
	uint8_t reserved = (uint8_t)rd_be(&r, 1);
	uint16_t ext_len = (uint16_t)rd_be(&r, 2);
	out->seq = (uint32_t)rd_be(&r, 4);
	out->pts_us = (int64_t)rd_be(&r, 8);
	out->payload_len = (uint32_t)rd_be(&r, 4);
	if (version != CAB_MEDIA_PKT_VERSION)
		return CAB_MEDIA_PKT_EVERSION;
	if (out->type != CAB_MEDIA_PKT_MEDIA && out->type != CAB_MEDIA_PKT_STILL)
		return CAB_MEDIA_PKT_ETYPE;
	if (out->stream > CAB_MEDIA_STREAM_MAX)
		return CAB_MEDIA_PKT_ESTREAM;
	if (!codec_ok(out->type, out->codec))
		return CAB_MEDIA_PKT_ECODEC;
	if (reserved || (out->flags & ~(CAB_MEDIA_FLAG_KEY | CAB_MEDIA_FLAG_CONFIG)) ||
	    (out->type == CAB_MEDIA_PKT_STILL && (out->flags & CAB_MEDIA_FLAG_CONFIG)))
		return CAB_MEDIA_PKT_EFLAGS;
	if (ext_len > CAB_MEDIA_PKT_MAX_EXT)
		return CAB_MEDIA_PKT_EEXT;
	if (out->payload_len == 0 || out->payload_len > CAB_MEDIA_PKT_MAX_PAYLOAD)
		return CAB_MEDIA_PKT_EPAYLOAD;
	if (out->pts_us < 0)
		return CAB_MEDIA_PKT_EPTS;
	/* Both lengths are bounded above, so the sum cannot overflow. */
	if ((size_t)ext_len + out->payload_len != r.left)
		return CAB_MEDIA_PKT_ELENGTH;
	struct rd ext = {r.p, ext_len, 0};
	int rc = parse_ext(&ext, out->type, out->flags, out);
	if (rc)
		return rc;
	rd_bytes(&r, ext_len);
	out->payload = rd_bytes(&r, out->payload_len);
	if (r.err || !out->payload)
		return CAB_MEDIA_PKT_ELENGTH;
	if (out->type == CAB_MEDIA_PKT_STILL) {
		uint8_t sha[32];
		if (cab_media_sha256(out->payload, out->payload_len, sha) ||
		    memcmp(sha, out->still_sha256, 32) != 0)
			return CAB_MEDIA_PKT_ESHA;
	}
	return CAB_MEDIA_PKT_OK;
}

const char *cab_media_packet_strerror(int err)
{
	switch (err) {
	case CAB_MEDIA_PKT_OK:
		return "ok";
	case CAB_MEDIA_PKT_ETRUNC:
		return "truncated header";
	case CAB_MEDIA_PKT_EVERSION:
		return "unsupported version";
	case CAB_MEDIA_PKT_ETYPE:
		return "unknown message type";
	case CAB_MEDIA_PKT_ESTREAM:
		return "stream id out of range";
	case CAB_MEDIA_PKT_ECODEC:
		return "codec not allowed for this type";
	case CAB_MEDIA_PKT_EFLAGS:
		return "reserved flag or byte set";
	case CAB_MEDIA_PKT_EEXT:
		return "malformed extension";
	case CAB_MEDIA_PKT_ELENGTH:
		return "length mismatch";
	case CAB_MEDIA_PKT_EPAYLOAD:
		return "payload empty or too large";
	case CAB_MEDIA_PKT_EPTS:
		return "negative timestamp";
	case CAB_MEDIA_PKT_ESHA:
		return "still SHA-256 mismatch";
	default:
		return "unknown error";
	}
}

static size_t ext_size(const struct cab_media_packet *pkt)
{
	if (pkt->type == CAB_MEDIA_PKT_STILL)
		return CAB_MEDIA_STILL_EXT_LEN;
	if (pkt->has_config)
		return CAB_MEDIA_CONFIG_FIXED + pkt->config.extradata_len;
	return 0;
}

size_t cab_media_packet_size(const struct cab_media_packet *pkt)
{
	return CAB_MEDIA_PKT_HEADER_LEN + ext_size(pkt) + pkt->payload_len;
}

long cab_media_packet_write(const struct cab_media_packet *pkt, uint8_t *buf, size_t cap)
{
	size_t ext = ext_size(pkt), need = cab_media_packet_size(pkt);
	uint8_t flags = pkt->flags & CAB_MEDIA_FLAG_KEY;
	if (pkt->type != CAB_MEDIA_PKT_MEDIA && pkt->type != CAB_MEDIA_PKT_STILL)
		return CAB_MEDIA_PKT_ETYPE;
	if (pkt->stream > CAB_MEDIA_STREAM_MAX)
		return CAB_MEDIA_PKT_ESTREAM;
	if (!codec_ok(pkt->type, pkt->codec))
		return CAB_MEDIA_PKT_ECODEC;
	if (ext > CAB_MEDIA_PKT_MAX_EXT || (pkt->type == CAB_MEDIA_PKT_MEDIA && pkt->has_config &&
	                                    pkt->config.extradata_len && !pkt->config.extradata))
		return CAB_MEDIA_PKT_EEXT;
	if (pkt->payload_len == 0 || pkt->payload_len > CAB_MEDIA_PKT_MAX_PAYLOAD || !pkt->payload)
		return CAB_MEDIA_PKT_EPAYLOAD;
	if (pkt->pts_us < 0)
		return CAB_MEDIA_PKT_EPTS;
	if (cap < need)
		return CAB_MEDIA_PKT_ELENGTH;
	if (pkt->type == CAB_MEDIA_PKT_MEDIA && pkt->has_config)
		flags |= CAB_MEDIA_FLAG_CONFIG;
	uint8_t *w = buf;
	put_be(&w, CAB_MEDIA_PKT_VERSION, 1);
	put_be(&w, pkt->type, 1);
	put_be(&w, pkt->stream, 1);
	put_be(&w, pkt->codec, 1);
	put_be(&w, flags, 1);
	put_be(&w, 0, 1);
	put_be(&w, ext, 2);
	put_be(&w, pkt->seq, 4);
	put_be(&w, (uint64_t)pkt->pts_us, 8);
	put_be(&w, pkt->payload_len, 4);
	if (pkt->type == CAB_MEDIA_PKT_STILL) {
		put_be(&w, pkt->still_width, 2);
		put_be(&w, pkt->still_height, 2);
		memcpy(w, pkt->still_sha256, 32);
		w += 32;
	} else if (pkt->has_config) {
		const struct cab_media_config *c = &pkt->config;
		put_be(&w, c->width, 2);
		put_be(&w, c->height, 2);
		put_be(&w, c->sample_rate, 4);
		put_be(&w, c->channels, 1);
		put_be(&w, c->fps, 1);
		put_be(&w, c->extradata_len, 2);
		if (c->extradata_len)
			memcpy(w, c->extradata, c->extradata_len);
		w += c->extradata_len;
	}
	memcpy(w, pkt->payload, pkt->payload_len);
	w += pkt->payload_len;
	return (long)(w - buf);
}
