/* communes.c — loads the commune and country lists and searches them for the
 * identity screen's place-of-birth list (see communes.h). */
#include "kiosk/identity/communes.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/identity/utf8.h"
#include "log.h"

/* Another name of a country (country_names.tsv), pointing at its entry. */
struct alias {
	char code[6];
	char *name, *folded; /* one allocation */
	const struct cab_place *e;
};

struct cab_places {
	struct cab_place *v; /* sorted by code, current communes before former ones */
	size_t n, cap;
	struct alias *a;     /* other names of the countries */
	size_t na;
};

/* Base letters of U+0100..U+017F (Latin Extended-A); Œ/œ and Ĳ/ĳ are expanded
 * separately. */
static const char latin_ext_a[128 + 1] =
	"aaaaaa" "cccccccc" "dddd" "eeeeeeeeee" "gggggggg" "hhhh" "iiiiiiiiii" "ii" "jj"
	"kkk" "llllllllll" "nnnnnnnnn" "oooooo" "oo" "rrrrrr" "ssssssss" "tttttt"
	"uuuuuuuuuuuu" "ww" "yyy" "zzzzzz" "s";

/* ASCII for U+00C0..U+00FF; "" = a separator (× and ÷). */
static const char *const latin1[64] = {
	"a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
	"d", "n", "o", "o", "o", "o", "o", "", "o", "u", "u", "u", "u", "y", "th", "ss",
	"a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
	"d", "n", "o", "o", "o", "o", "o", "", "o", "u", "u", "u", "u", "y", "th", "y",
};

static bool is_separator(uint32_t c)
{
	return c == ' ' || c == '\t' || c == '-' || c == '\'' || c == 0x2019 || c == '(' ||
	       c == ')' || c == ',' || c == '.' || c == '/' || c == 0xd7 || c == 0xf7;
}

char *cab_places_fold(const char *text, char *out, size_t size)
{
	size_t o = 0, len = text ? strlen(text) : 0;
	bool space = false;
	const unsigned char *s = (const unsigned char *)text;
	if (size == 0)
		return out;
	for (size_t i = 0; i < len;) {
		uint32_t c;
		char one[2] = {0, 0};
		const char *rep;
		size_t n = cab_utf8_decode(s + i, len - i, &c);
		if (n == 0) { /* invalid byte: skip it */
			i++;
			continue;
		}
		if (is_separator(c)) {
			space = o > 0;
			i += n;
			continue;
		}
		if (c < 0x80) {
			one[0] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
			rep = one;
		} else if (c >= 0xc0 && c <= 0xff) {
			rep = latin1[c - 0xc0];
		} else if (c == 0x152 || c == 0x153) {
			rep = "oe";
		} else if (c == 0x132 || c == 0x133) {
			rep = "ij";
		} else if (c >= 0x100 && c <= 0x17f) {
			one[0] = latin_ext_a[c - 0x100];
			rep = one;
		} else {
			rep = NULL; /* other scripts: kept as they are */
		}
		size_t rl = rep ? strlen(rep) : n;
		if (o + (space ? 1 : 0) + rl + 1 > size)
			break;
		if (space) {
			out[o++] = ' ';
			space = false;
		}
		memcpy(out + o, rep ? rep : (const char *)s + i, rl);
		o += rl;
		i += n;
	}
	out[o] = '\0';
	return out;
}

/* True when NAME is non-empty, valid UTF-8 and has no control character. */
static bool name_ok(const char *name)
{
	const unsigned char *s = (const unsigned char *)name;
	size_t len = strlen(name);
	if (len == 0)
		return false;
	for (size_t i = 0; i < len;) {
		uint32_t c;
		size_t n = cab_utf8_decode(s + i, len - i, &c);
		if (n == 0 || c < 0x20 || c == 0x7f)
			return false;
		i += n;
	}
	return true;
}

static bool code_ok(const char *c, bool country)
{
	if (strlen(c) != 5)
		return false;
	for (int i = 0; i < 5; i++) {
		bool corsica = !country && i == 1 && c[0] == '2' && (c[1] == 'A' || c[1] == 'B');
		if (!corsica && (c[i] < '0' || c[i] > '9'))
			return false;
	}
	return country ? !strncmp(c, "99", 2) : strncmp(c, "99", 2) != 0;
}

/* Appends one entry; the name and its folded form share one allocation. */
static int add(struct cab_places *p, const char *code, const char *dept,
               enum cab_place_type type, unsigned long population, const char *name)
{
	if (p->n >= CAB_PLACES_MAX_ENTRIES)
		return -1;
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 1024;
		struct cab_place *v = realloc(p->v, cap * sizeof *v);
		if (!v)
			return -1;
		p->v = v;
		p->cap = cap;
	}
	size_t nl = strlen(name);
	char *mem = malloc(2 * (nl + 1) + 1);
	if (!mem)
		return -1;
	memcpy(mem, name, nl + 1);
	cab_places_fold(name, mem + nl + 1, nl + 2);
	struct cab_place *e = &p->v[p->n++];
	memset(e, 0, sizeof *e);
	snprintf(e->code, sizeof e->code, "%s", code);
	snprintf(e->dept, sizeof e->dept, "%s", dept);
	e->type = type;
	e->population = population;
	e->name = mem;
	e->folded = mem + nl + 1;
	return 0;
}

/* Splits LINE at tabs into at most MAX fields; returns the count. */
static int split(char *line, char **f, int max)
{
	int n = 0;
	f[n++] = line;
	for (char *s = line; *s && n < max; s++)
		if (*s == '\t') {
			*s = '\0';
			f[n++] = s + 1;
		}
	return n;
}

static int parse_type(const char *s, enum cab_place_type *t)
{
	if (!strcmp(s, "commune"))
		*t = CAB_PLACE_TYPE_COMMUNE;
	else if (!strcmp(s, "arrondissement"))
		*t = CAB_PLACE_TYPE_ARRONDISSEMENT;
	else if (!strcmp(s, "deleguee") || !strcmp(s, "associee"))
		*t = CAB_PLACE_TYPE_DELEGATED;
	else
		return -1;
	return 0;
}

static int load_file(struct cab_places *p, const char *path, bool countries)
{
	char line[CAB_PLACES_MAX_LINE + 2];
	int rc = -1;
	unsigned lineno = 0;
	FILE *fp = fopen(path, "r");
	if (!fp) {
		cab_err("identity", "%s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof line, fp)) {
		lineno++;
		size_t len = strlen(line);
		if (len && line[len - 1] == '\n')
			line[--len] = '\0';
		else if (!feof(fp)) {
			cab_err("identity", "%s:%u: line too long", path, lineno);
			goto out;
		}
		if (len && line[len - 1] == '\r')
			line[--len] = '\0';
		if (len == 0 || line[0] == '#')
			continue;
		char *f[6];
		int nf = split(line, f, 6);
		enum cab_place_type type = CAB_PLACE_TYPE_COUNTRY;
		unsigned long pop = 0;
		const char *dept = "99";
		if (countries) {
			if (nf != 2 || !code_ok(f[0], true) || !name_ok(f[1]))
				goto bad;
		} else {
			if (nf < 4 || nf > 5 || !code_ok(f[0], false) || !name_ok(f[1]) ||
			    strlen(f[2]) < 2 || strlen(f[2]) > 3 || parse_type(f[3], &type) < 0)
				goto bad;
			if (nf == 5) {
				char *end;
				errno = 0;
				pop = strtoul(f[4], &end, 10);
				if (errno || *end || end == f[4])
					goto bad;
			}
			dept = f[2];
		}
		if (add(p, f[0], dept, type, pop, f[1]) < 0) {
			cab_err("identity", "%s:%u: too many places or out of memory", path, lineno);
			goto out;
		}
		continue;
	bad:
		cab_err("identity", "%s:%u: malformed line", path, lineno);
		goto out;
	}
	if (ferror(fp)) {
		cab_err("identity", "%s: read error", path);
		goto out;
	}
	rc = 0;
out:
	fclose(fp);
	return rc;
}

static int type_order(enum cab_place_type t)
{
	return t == CAB_PLACE_TYPE_DELEGATED ? 1 : 0;
}

static int by_code(const void *a, const void *b)
{
	const struct cab_place *x = a, *y = b;
	int c = strcmp(x->code, y->code);
	if (c)
		return c;
	c = type_order(x->type) - type_order(y->type);
	return c ? c : strcmp(x->name, y->name);
}

#define CAB_PLACES_MAX_ALIASES 4096

/* Loads country_names.tsv next to COUNTRIES_TSV when it exists: code (99xxx) <TAB>
 * name, each code one of the loaded countries. Same checks as the other lists. */
static int load_aliases(struct cab_places *p, const char *countries_tsv)
{
	char path[4096], line[CAB_PLACES_MAX_LINE + 2];
	const char *slash = strrchr(countries_tsv, '/');
	int dl = slash ? (int)(slash - countries_tsv + 1) : 0;
	if (snprintf(path, sizeof path, "%.*scountry_names.tsv", dl, countries_tsv) >= (int)sizeof path)
		return -1;
	FILE *fp = fopen(path, "r");
	if (!fp)
		return errno == ENOENT ? 0 : -1;
	unsigned lineno = 0;
	int rc = -1;
	while (fgets(line, sizeof line, fp)) {
		lineno++;
		size_t len = strlen(line);
		if (len && line[len - 1] == '\n')
			line[--len] = '\0';
		else if (!feof(fp))
			goto bad;
		if (len == 0 || line[0] == '#')
			continue;
		char *f[3];
		const struct cab_place *e;
		if (split(line, f, 3) != 2 || !code_ok(f[0], true) || !name_ok(f[1]) ||
		    !(e = cab_places_find(p, f[0])) || e->type != CAB_PLACE_TYPE_COUNTRY)
			goto bad;
		if (p->na >= CAB_PLACES_MAX_ALIASES)
			goto bad;
		struct alias *na = realloc(p->a, (p->na + 1) * sizeof *na);
		if (!na)
			goto out;
		p->a = na;
		size_t nl = strlen(f[1]);
		char *mem = malloc(2 * (nl + 1) + 1);
		if (!mem)
			goto out;
		memcpy(mem, f[1], nl + 1);
		cab_places_fold(f[1], mem + nl + 1, nl + 2);
		struct alias *al = &p->a[p->na++];
		snprintf(al->code, sizeof al->code, "%s", f[0]);
		al->name = mem;
		al->folded = mem + nl + 1;
		al->e = e;
		if (!e->other)
			((struct cab_place *)e)->other = mem; /* the first is the English name */
		continue;
	bad:
		cab_err("identity", "%s:%u: malformed line", path, lineno);
		goto out;
	}
	rc = 0;
out:
	fclose(fp);
	return rc;
}

struct cab_places *cab_places_load(const char *communes_tsv, const char *countries_tsv)
{
	struct cab_places *p = calloc(1, sizeof *p);
	if (!p)
		return NULL;
	if ((communes_tsv && load_file(p, communes_tsv, false) < 0) ||
	    (countries_tsv && load_file(p, countries_tsv, true) < 0)) {
		cab_places_free(p);
		return NULL;
	}
	if (p->n)
		qsort(p->v, p->n, sizeof *p->v, by_code);
	if (countries_tsv && load_aliases(p, countries_tsv) < 0) {
		cab_places_free(p);
		return NULL;
	}
	return p;
}

void cab_places_free(struct cab_places *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n; i++)
		free((char *)p->v[i].name);
	for (size_t i = 0; i < p->na; i++)
		free(p->a[i].name);
	free(p->a);
	free(p->v);
	free(p);
}

size_t cab_places_count(const struct cab_places *p)
{
	return p ? p->n : 0;
}

const struct cab_place *cab_places_at(const struct cab_places *p, size_t i)
{
	return p && i < p->n ? &p->v[i] : NULL;
}

const struct cab_place *cab_places_find(const struct cab_places *p, const char *code)
{
	if (!p || !code)
		return NULL;
	size_t lo = 0, hi = p->n;
	while (lo < hi) { /* first entry whose code is >= CODE */
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(p->v[mid].code, code) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < p->n && !strcmp(p->v[lo].code, code) ? &p->v[lo] : NULL;
}

struct hit {
	const struct cab_place *e;
	int rank;
};

static int by_rank(const void *a, const void *b)
{
	const struct hit *x = a, *y = b;
	if (x->rank != y->rank)
		return x->rank - y->rank;
	int c = type_order(x->e->type) - type_order(y->e->type);
	if (c)
		return c;
	if (x->e->population != y->e->population)
		return x->e->population > y->e->population ? -1 : 1;
	c = strcmp(x->e->folded, y->e->folded);
	return c ? c : strcmp(x->e->code, y->e->code);
}

/* 0 exact, 1 prefix, 2 prefix of a later word, -1 no match. */
static int match_rank(const char *folded, const char *q, size_t ql)
{
	if (!strncmp(folded, q, ql))
		return folded[ql] ? 1 : 0;
	for (const char *s = strchr(folded, ' '); s; s = strchr(s + 1, ' '))
		if (!strncmp(s + 1, q, ql))
			return 2;
	return -1;
}

static bool wanted(const struct cab_place *e, unsigned kinds)
{
	if (e->type == CAB_PLACE_TYPE_COUNTRY)
		return kinds & CAB_PLACES_COUNTRIES;
	return kinds & CAB_PLACES_COMMUNES;
}

/* Writes to ALT the folded query Q with the usual abbreviations spelled out
 * ("st" -> "saint", "ste" -> "sainte", "sts", "stes"), word by word. Returns false
 * when there was none (ALT is then not used). */
static bool expand_abbreviations(const char *q, char *alt, size_t size)
{
	static const char *const abbr[][2] = {
		{"st", "saint"}, {"ste", "sainte"}, {"sts", "saints"}, {"stes", "saintes"},
	};
	size_t o = 0;
	bool changed = false;
	for (const char *w = q; *w;) {
		size_t wl = strcspn(w, " ");
		const char *rep = NULL;
		for (size_t i = 0; i < sizeof abbr / sizeof abbr[0] && !rep; i++)
			if (strlen(abbr[i][0]) == wl && !strncmp(w, abbr[i][0], wl))
				rep = abbr[i][1];
		size_t rl = rep ? strlen(rep) : wl;
		if (o + rl + 2 > size)
			return false;
		memcpy(alt + o, rep ? rep : w, rl);
		o += rl;
		changed |= rep != NULL;
		w += wl;
		if (*w == ' ') {
			alt[o++] = ' ';
			w++;
		}
	}
	alt[o] = '\0';
	return changed;
}

size_t cab_places_search(const struct cab_places *p, const char *query, unsigned kinds,
                         const struct cab_place **out, size_t max)
{
	char q[CAB_PLACES_MAX_LINE], alt[CAB_PLACES_MAX_LINE + 64];
	if (!p || !query || p->n == 0)
		return 0;
	cab_places_fold(query, q, sizeof q);
	size_t ql = strlen(q);
	if (ql == 0)
		return 0;
	bool has_alt = expand_abbreviations(q, alt, sizeof alt);
	size_t al = has_alt ? strlen(alt) : 0;
	bool code_query = strspn(q, "0123456789ab") == ql && q[0] >= '0' && q[0] <= '9';
	struct hit *hits = malloc(p->n * sizeof *hits);
	if (!hits)
		return 0;
	size_t n = 0;
	for (size_t i = 0; i < p->n; i++) {
		const struct cab_place *e = &p->v[i];
		if (!wanted(e, kinds))
			continue;
		int rank;
		rank = -1;
		if (code_query) {
			char code[6];
			cab_places_fold(e->code, code, sizeof code);
			rank = strncmp(code, q, ql) ? -1 : (code[ql] ? 1 : 0);
		}
		if (rank < 0) {
			rank = match_rank(e->folded, q, ql);
			if (has_alt) {
				int r2 = match_rank(e->folded, alt, al);
				if (r2 >= 0 && (rank < 0 || r2 < rank))
					rank = r2;
			}
		}
		if (rank >= 0)
			hits[n++] = (struct hit){e, rank};
	}
	/* a country found by another name ("UK", "England") ranks as its best name did */
	for (size_t i = 0; i < p->na && !code_query && (kinds & CAB_PLACES_COUNTRIES); i++) {
		int rank = match_rank(p->a[i].folded, q, ql);
		if (rank < 0)
			continue;
		size_t j = 0;
		while (j < n && hits[j].e != p->a[i].e)
			j++;
		if (j == n)
			hits[n++] = (struct hit){p->a[i].e, rank};
		else if (rank < hits[j].rank)
			hits[j].rank = rank;
	}
	qsort(hits, n, sizeof *hits, by_rank);
	for (size_t i = 0; i < n && i < max; i++)
		out[i] = hits[i].e;
	free(hits);
	return n;
}
