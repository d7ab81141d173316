/* still_msg.c — splits an exam still into "still" link messages and reassembles
 * it with its checks (docs/link-protocol.md, "Stills"). Base64 and the digests come
 * from OpenSSL (EVP_EncodeBlock / EVP_DecodeBlock, EVP_Digest). */
#include "kiosk/link/still_msg.h"

#include "kiosk/link/message.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void hex32(const unsigned char *b, char out[65])
{
	static const char h[] = "0123456789abcdef";
	for (int i = 0; i < 32; i++) {
		out[2 * i] = h[b[i] >> 4];
		out[2 * i + 1] = h[b[i] & 15];
	}
	out[64] = 0;
}

static int digest(const EVP_MD *md, const uint8_t *d, size_t len, unsigned char *out)
{
	unsigned int n = 0;
	return EVP_Digest(d, len, out, &n, md, NULL) == 1 ? 0 : -1;
}

json_t *cab_still_msgs(const char *session, const struct cab_still_meta *meta, const uint8_t *jpeg,
                       size_t len)
{
	json_t *arr = NULL;
	char *b64 = NULL, id[37], sha[65];
	unsigned char d[32];
	if (!session || !meta || !meta->camera || !meta->time || !jpeg || len == 0 ||
	    len > (size_t)CAB_LINK_STILL_PART * CAB_LINK_STILL_PARTS_MAX || meta->width < 1 ||
	    meta->height < 1 || meta->width > 65535 || meta->height > 65535)
		return NULL;
	if (meta->still_id)
		snprintf(id, sizeof id, "%s", meta->still_id);
	else if (cab_uuid4(id))
		return NULL;
	if (digest(EVP_sha256(), jpeg, len, d))
		return NULL;
	hex32(d, sha);
	size_t parts = (len + CAB_LINK_STILL_PART - 1) / CAB_LINK_STILL_PART;
	b64 = malloc(CAB_LINK_STILL_PART / 3 * 4 + 1);
	arr = json_array();
	if (!b64 || !arr)
		goto fail;
	for (size_t i = 0; i < parts; i++) {
		size_t off = i * CAB_LINK_STILL_PART;
		size_t n = len - off < CAB_LINK_STILL_PART ? len - off : CAB_LINK_STILL_PART;
		EVP_EncodeBlock((unsigned char *)b64, jpeg + off, (int)n);
		json_t *m = cab_msg_new(CAB_MSG_STILL, NULL);
		json_t *st =
		    json_pack("{s:s, s:I, s:I, s:I, s:s, s:i, s:i, s:s, s:s}", "id", id, "part",
		              (json_int_t)i, "parts", (json_int_t)parts, "size", (json_int_t)len,
		              "sha256", sha, "width", meta->width, "height", meta->height, "camera",
		              meta->camera, "time", meta->time);
		if (!m || !st) {
			json_decref(m);
			json_decref(st);
			goto fail;
		}
		if (meta->request)
			json_object_set_new(st, "request", json_string(meta->request));
		if (meta->body_site && *meta->body_site)
			json_object_set_new(st, "body_site", json_string(meta->body_site));
		json_object_set_new(m, "session", json_string(session));
		json_object_set_new(m, "still", st);
		json_object_set_new(m, "data", json_string(b64));
		json_array_append_new(arr, m);
	}
	free(b64);
	return arr;
fail:
	free(b64);
	json_decref(arr);
	return NULL;
}

/* Fields that must be equal in every part of one still. */
static const char *const same_fields[] = {"id",     "parts",  "size", "sha256",  "width",
                                          "height", "camera", "time", "request", "body_site"};

int cab_still_assemble(json_t *const *parts, size_t n, uint8_t **jpeg, size_t *len, char *err,
                       size_t errsz)
{
	uint8_t *buf = NULL;
	unsigned char d[32];
	char sha[65];
	int rc = -1;
	*jpeg = NULL;
	*len = 0;
	if (n == 0) {
		snprintf(err, errsz, "no part");
		return -2;
	}
	json_t *first = json_object_get(parts[0], "still");
	json_int_t nparts = json_integer_value(json_object_get(first, "parts"));
	json_int_t size = json_integer_value(json_object_get(first, "size"));
	if (nparts < 1 || nparts > (json_int_t)CAB_LINK_STILL_PARTS_MAX || size < 1 ||
	    size > nparts * (json_int_t)CAB_LINK_STILL_PART) {
		snprintf(err, errsz, "still parts/size out of range");
		return -1;
	}
	if ((json_int_t)n < nparts) {
		snprintf(err, errsz, "%zu of %lld parts received", n, (long long)nparts);
		return -2;
	}
	if ((json_int_t)n > nparts) {
		snprintf(err, errsz, "%zu parts for a still of %lld", n, (long long)nparts);
		return -1;
	}
	char seen[CAB_LINK_STILL_PARTS_MAX] = {0};
	buf = malloc((size_t)size + 3); /* decoding may write up to 2 padding bytes more */
	if (!buf) {
		snprintf(err, errsz, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		json_t *st = json_object_get(parts[i], "still");
		for (size_t f = 0; f < sizeof same_fields / sizeof same_fields[0]; f++) {
			json_t *a = json_object_get(first, same_fields[f]);
			json_t *b = json_object_get(st, same_fields[f]);
			if (!(a == NULL && b == NULL) && !(a && b && json_equal(a, b))) {
				snprintf(err, errsz, "part %zu differs from part 0 in \"%s\"", i,
				         same_fields[f]);
				goto out;
			}
		}
		json_int_t p = json_integer_value(json_object_get(st, "part"));
		if (p < 0 || p >= nparts || seen[p]) {
			snprintf(err, errsz, "part %lld repeated or out of range", (long long)p);
			goto out;
		}
		seen[p] = 1;
		size_t want = p == nparts - 1 ? (size_t)(size - p * (json_int_t)CAB_LINK_STILL_PART)
		                              : CAB_LINK_STILL_PART;
		const char *b64 = json_string_value(json_object_get(parts[i], "data"));
		size_t blen = b64 ? strlen(b64) : 0;
		if (blen != (want + 2) / 3 * 4) {
			snprintf(err, errsz, "part %lld holds %zu base64 characters, %zu expected",
			         (long long)p, blen, (want + 2) / 3 * 4);
			goto out;
		}
		uint8_t *dst = buf + (size_t)p * CAB_LINK_STILL_PART;
		/* The last part may write up to 2 padding zeros past SIZE: inside the +3. */
		int got = EVP_DecodeBlock(dst, (const unsigned char *)b64, (int)blen);
		if (got < 0 || (size_t)got != (want + 2) / 3 * 3) {
			snprintf(err, errsz, "part %lld is not valid base64", (long long)p);
			goto out;
		}
	}
	if (digest(EVP_sha256(), buf, (size_t)size, d)) {
		snprintf(err, errsz, "SHA-256 unavailable");
		goto out;
	}
	hex32(d, sha);
	if (strcmp(sha, json_string_value(json_object_get(first, "sha256")))) {
		snprintf(err, errsz, "SHA-256 mismatch: the still was damaged");
		goto out;
	}
	*jpeg = buf;
	*len = (size_t)size;
	buf = NULL;
	rc = 0;
out:
	free(buf);
	return rc;
}

const char *cab_still_file_name(const char *session, const char *still_id, char *out, size_t n)
{
	snprintf(out, n, "%s-still-%s.jpg", session, still_id);
	return out;
}

int cab_still_sha1_b64(const uint8_t *data, size_t len, char out[29])
{
	unsigned char d[20];
	if (digest(EVP_sha1(), data, len, d))
		return -1;
	EVP_EncodeBlock((unsigned char *)out, d, 20);
	return 0;
}
