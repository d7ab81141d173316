/* fixture.h — loading the IEEE 11073 replay fixtures of tests/devices/ieee11073/
 * (hex bytes and the decoded values beside them) for the unit tests. */
#ifndef CABIN_TEST_IEEE11073_FIXTURE_H
#define CABIN_TEST_IEEE11073_FIXTURE_H

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hexfile.h"

/* Path of fixture NAME + EXT under tests/devices/ieee11073 (from $CABIN_SRC or .). */
static inline void fx_path(const char *name, const char *ext, char *out, size_t size)
{
	const char *root = getenv("CABIN_SRC");
	snprintf(out, size, "%s/tests/devices/ieee11073/%s%s", root ? root : ".", name, ext);
}

/* Loads NAME.hex; returns malloc'd bytes (caller frees) and *LEN; aborts the test
 * binary when missing (a missing fixture is a failure, not a skip). */
static inline uint8_t *fx_hex(const char *name, size_t *len)
{
	char path[512], err[128];
	uint8_t *buf = NULL;
	FILE *f;

	fx_path(name, ".hex", path, sizeof path);
	f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "fixture %s missing\n", path);
		abort();
	}
	if (cab_capture_read(f, &buf, len, err, sizeof err)) {
		fprintf(stderr, "fixture %s: %s\n", path, err);
		abort();
	}
	fclose(f);
	return buf;
}

/* Loads NAME.json's "decoded" object (caller json_decref's the returned root; *DEC
 * borrows from it). */
static inline json_t *fx_json(const char *name, json_t **dec)
{
	char path[512];
	json_error_t je;
	json_t *root;

	fx_path(name, ".json", path, sizeof path);
	root = json_load_file(path, 0, &je);
	if (!root) {
		fprintf(stderr, "fixture %s: %s\n", path, je.text);
		abort();
	}
	*dec = json_object_get(root, "decoded");
	return root;
}

/* Reads a "0x1234 ..." or "1234 ..." hex prefix of a JSON string. */
static inline unsigned long fx_hexval(json_t *s)
{
	return strtoul(json_string_value(s), NULL, 16);
}

/* Concatenates fixtures NAMES (NULL-terminated) into one buffer (caller frees). */
static inline uint8_t *fx_concat(const char *const *names, size_t *len)
{
	uint8_t *all = NULL;
	*len = 0;
	for (; *names; names++) {
		size_t n;
		uint8_t *b = fx_hex(*names, &n);
		all = realloc(all, *len + n);
		memcpy(all + *len, b, n);
		*len += n;
		free(b);
	}
	return all;
}

#endif
