/* text_cache.c — rendered text kept as textures (text_cache.h): an open-addressing
 * hash table of UI_TEXT_CACHE_MAX * 2 slots over an array of entries with a use
 * stamp; eviction removes the least recently used entry (a linear scan, rare: only
 * when the cache is full). */
#include "kiosk/ui/text_cache.h"

#include <stdlib.h>
#include <string.h>

#define SLOTS (UI_TEXT_CACHE_MAX * 2) /* power of two, load factor <= 1/2 */

struct entry {
	uint64_t hash;
	const TTF_Font *font;
	uint32_t rgba;
	char *s; /* NULL: free entry */
	SDL_Texture *tex;
	int w, h;
	uint64_t used;
};

struct wrapped {
	uint64_t hash;
	const TTF_Font *font;
	int max_w;
	char *s; /* NULL: free */
	size_t n;
	struct ui_line lines[UI_WRAP_LINES_MAX];
	uint64_t used;
};

struct ui_text_cache {
	SDL_Renderer *r;
	struct wrapped w[UI_WRAP_CACHE_MAX];
	uint64_t wrap_hits, wrap_misses;
	struct entry e[UI_TEXT_CACHE_MAX];
	int16_t slot[SLOTS]; /* index into e, -1 empty */
	size_t entries, bytes;
	uint64_t clock, hits, misses;
};

/* FNV-1a 64 over the string, mixed with the font address and the colour. */
static uint64_t hash_of(const TTF_Font *font, uint32_t rgba, const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		h = (h ^ *p) * 0x100000001b3ULL;
	h ^= (uint64_t)(uintptr_t)font * 0x9e3779b97f4a7c15ULL;
	h ^= (uint64_t)rgba * 0xc2b2ae3d27d4eb4fULL;
	return h ^ (h >> 29);
}

struct ui_text_cache *ui_text_cache_new(SDL_Renderer *r)
{
	struct ui_text_cache *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	c->r = r;
	memset(c->slot, 0xff, sizeof c->slot);
	return c;
}

static void entry_clear(struct ui_text_cache *c, struct entry *x)
{
	if (x->tex)
		SDL_DestroyTexture(x->tex);
	c->bytes -= (size_t)x->w * (size_t)x->h * 4;
	free(x->s);
	memset(x, 0, sizeof *x);
	c->entries--;
}

/* Rebuilds the slot table from the entries (after removals: keeps probing simple). */
static void rehash(struct ui_text_cache *c)
{
	memset(c->slot, 0xff, sizeof c->slot);
	for (int i = 0; i < UI_TEXT_CACHE_MAX; i++) {
		if (!c->e[i].s)
			continue;
		size_t k = c->e[i].hash & (SLOTS - 1);
		while (c->slot[k] >= 0)
			k = (k + 1) & (SLOTS - 1);
		c->slot[k] = (int16_t)i;
	}
}

void ui_text_cache_free(struct ui_text_cache *c)
{
	if (!c)
		return;
	for (int i = 0; i < UI_WRAP_CACHE_MAX; i++)
		free(c->w[i].s);
	for (int i = 0; i < UI_TEXT_CACHE_MAX; i++)
		if (c->e[i].s)
			entry_clear(c, &c->e[i]);
	free(c);
}

void ui_text_cache_forget_font(struct ui_text_cache *c, const TTF_Font *font)
{
	if (!c)
		return;
	for (int i = 0; i < UI_WRAP_CACHE_MAX; i++)
		if (c->w[i].s && c->w[i].font == font) {
			free(c->w[i].s);
			memset(&c->w[i], 0, sizeof c->w[i]);
		}
	int n = 0;
	for (int i = 0; i < UI_TEXT_CACHE_MAX; i++)
		if (c->e[i].s && c->e[i].font == font) {
			entry_clear(c, &c->e[i]);
			n++;
		}
	if (n)
		rehash(c);
}

/* Evicts least recently used entries until one entry and NEED bytes fit. */
static void make_room(struct ui_text_cache *c, size_t need)
{
	int removed = 0;
	while (c->entries && (c->entries >= UI_TEXT_CACHE_MAX || c->bytes + need > UI_TEXT_CACHE_BYTES)) {
		int lru = -1;
		for (int i = 0; i < UI_TEXT_CACHE_MAX; i++)
			if (c->e[i].s && (lru < 0 || c->e[i].used < c->e[lru].used))
				lru = i;
		if (lru < 0)
			break;
		entry_clear(c, &c->e[lru]);
		removed = 1;
	}
	if (removed)
		rehash(c);
}

int ui_text_cache_get(struct ui_text_cache *c, TTF_Font *font, uint32_t rgba, const char *s,
                      struct ui_text_tex *out)
{
	uint64_t h = hash_of(font, rgba, s);
	size_t k = h & (SLOTS - 1);
	for (; c->slot[k] >= 0; k = (k + 1) & (SLOTS - 1)) {
		struct entry *x = &c->e[c->slot[k]];
		if (x->hash == h && x->font == font && x->rgba == rgba && !strcmp(x->s, s)) {
			x->used = ++c->clock;
			c->hits++;
			*out = (struct ui_text_tex){x->tex, x->w, x->h};
			return 0;
		}
	}
	c->misses++;
	SDL_Color col = {(Uint8)(rgba >> 24), (Uint8)(rgba >> 16), (Uint8)(rgba >> 8), (Uint8)rgba};
	SDL_Surface *surf = TTF_RenderUTF8_Blended(font, s, col);
	if (!surf)
		return -1;
	SDL_Texture *t = SDL_CreateTextureFromSurface(c->r, surf);
	int w = surf->w, hh = surf->h;
	SDL_FreeSurface(surf);
	char *copy = t ? strdup(s) : NULL;
	if (!t || !copy) {
		if (t)
			SDL_DestroyTexture(t);
		return -1;
	}
	size_t bytes = (size_t)w * (size_t)hh * 4;
	make_room(c, bytes);
	int i = 0;
	while (i < UI_TEXT_CACHE_MAX && c->e[i].s)
		i++;
	/* make_room leaves a free entry (the table is never full after it) */
	struct entry *x = &c->e[i];
	*x = (struct entry){h, font, rgba, copy, t, w, hh, ++c->clock};
	c->entries++;
	c->bytes += bytes;
	k = h & (SLOTS - 1);
	while (c->slot[k] >= 0)
		k = (k + 1) & (SLOTS - 1);
	c->slot[k] = (int16_t)i;
	*out = (struct ui_text_tex){t, w, hh};
	return 0;
}

void ui_text_cache_stats(const struct ui_text_cache *c, struct ui_text_cache_stats *out)
{
	memset(out, 0, sizeof *out);
	if (!c)
		return;
	out->entries = c->entries;
	out->bytes = c->bytes;
	out->hits = c->hits;
	out->misses = c->misses;
	out->wrap_hits = c->wrap_hits;
	out->wrap_misses = c->wrap_misses;
}

size_t ui_wrap_cached(struct ui_text_cache *c, TTF_Font *font, int max_w, const char *s,
                      ui_measure_fn measure, struct ui_line *lines, size_t max)
{
	if (!c)
		return ui_wrap(s, max_w, measure, font, lines, max);
	uint64_t h = hash_of(font, (uint32_t)max_w, s);
	int lru = 0;
	for (int i = 0; i < UI_WRAP_CACHE_MAX; i++) {
		struct wrapped *x = &c->w[i];
		if (x->s && x->hash == h && x->font == font && x->max_w == max_w &&
		    !strcmp(x->s, s)) {
			x->used = ++c->clock;
			c->wrap_hits++;
			size_t k = x->n < max ? x->n : max;
			memcpy(lines, x->lines, k * sizeof *lines);
			return x->n;
		}
		if (!x->s || (c->w[lru].s && x->used < c->w[lru].used))
			lru = i;
	}
	c->wrap_misses++;
	struct ui_line tmp[UI_WRAP_LINES_MAX];
	size_t n = ui_wrap(s, max_w, measure, font, tmp, UI_WRAP_LINES_MAX);
	size_t k = n < UI_WRAP_LINES_MAX ? n : UI_WRAP_LINES_MAX;
	if (n <= UI_WRAP_LINES_MAX) { /* longer paragraphs are not kept */
		struct wrapped *x = &c->w[lru];
		char *copy = strdup(s);
		if (copy) {
			free(x->s);
			x->hash = h;
			x->font = font;
			x->max_w = max_w;
			x->s = copy;
			x->n = n;
			memcpy(x->lines, tmp, k * sizeof *tmp);
			x->used = ++c->clock;
		}
	}
	if (max < k)
		k = max;
	memcpy(lines, tmp, k * sizeof *lines);
	return n;
}
