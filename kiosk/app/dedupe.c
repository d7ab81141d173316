/* dedupe.c — one measurement reaches the record once (see dedupe.h). */
#include "kiosk/app/dedupe.h"

#include <string.h>

/* FNV-1a 64 over N bytes (http://www.isthe.com/chongo/tech/comp/fnv/). */
static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++) {
		h ^= b[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

static uint64_t fnv_str(uint64_t h, const char *s)
{
	return fnv(h, s, strlen(s) + 1);
}

void cab_dedupe_reset(struct cab_dedupe *d)
{
	memset(d, 0, sizeof *d);
}

bool cab_dedupe_seen(struct cab_dedupe *d, const struct cab_reading *r)
{
	if (r->device_time_ms == INT64_MIN)
		return false;
	uint64_t h = 0xcbf29ce484222325ULL;
	int kind = (int)r->device.kind, vk = (int)r->value_kind;
	h = fnv(h, &kind, sizeof kind);
	h = fnv_str(h, r->device.model);
	h = fnv_str(h, r->device.serial);
	h = fnv(h, &r->mdc, sizeof r->mdc);
	h = fnv(h, &vk, sizeof vk);
	if (r->value_kind == CAB_VALUE_NUMBER)
		h = fnv(h, &r->value, sizeof r->value);
	h = fnv_str(h, r->ucum);
	h = fnv(h, &r->device_time_ms, sizeof r->device_time_ms);
	unsigned have = d->n < CAB_DEDUPE_KEEP ? d->n : CAB_DEDUPE_KEEP;
	for (unsigned i = 0; i < have; i++)
		if (d->fp[i] == h)
			return true;
	d->fp[d->n % CAB_DEDUPE_KEEP] = h;
	d->n++;
	return false;
}
