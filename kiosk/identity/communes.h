/* communes.h — the places of birth the identity screen offers: French communes
 * (INSEE code, name, department) from the generated asset BUILD/assets/communes.tsv
 * (INSEE Code officiel géographique via @etalab/decoupage-administratif, see
 * docs/identity.md) and foreign countries (INSEE country codes 99xxx) from
 * assets/identity/countries.tsv. Loading, lookup by code, and the search behind the
 * UI's list: by name prefix, accent- and case-insensitive, exact matches first. */
#ifndef CABIN_IDENTITY_COMMUNES_H
#define CABIN_IDENTITY_COMMUNES_H

#include <stddef.h>

/* What a place entry is. */
enum cab_place_type {
	CAB_PLACE_TYPE_COMMUNE = 0,     /* a current commune */
	CAB_PLACE_TYPE_ARRONDISSEMENT,  /* a municipal arrondissement (Paris, Lyon, Marseille) */
	CAB_PLACE_TYPE_DELEGATED,       /* a former commune merged into another (commune
	                                   déléguée or associée); its code may be shared */
	CAB_PLACE_TYPE_COUNTRY,         /* a foreign country or territory */
};

/* One place. */
struct cab_place {
	char code[6];   /* INSEE commune code ("75056", "2A004", "97411") or "99xxx" */
	char dept[4];   /* department code ("75", "2A", "974"); "99" for countries */
	enum cab_place_type type;
	unsigned long population; /* legal population (0 when unknown), for ranking */
	const char *name;   /* official name, UTF-8 ("Saint-Étienne") */
	const char *folded; /* NAME lower-cased, accents removed, - and ' as spaces */
	const char *other;  /* countries: the English name (first line of
	                       country_names.tsv for the code), or NULL */
};

struct cab_places;

/* Hard limits on the input files (a corrupt asset cannot exhaust memory). */
#define CAB_PLACES_MAX_ENTRIES 100000
#define CAB_PLACES_MAX_LINE 512

/* Loads the commune list COMMUNES_TSV and the country list COUNTRIES_TSV (either may
 * be NULL to skip it). Format, one place a line, tab-separated, UTF-8; lines starting
 * with '#' are comments:
 *   communes.tsv:  code <TAB> name <TAB> department <TAB> type ("commune",
 *                  "arrondissement", "deleguee", "associee") [<TAB> population]
 *   countries.tsv: code (99xxx) <TAB> name
 * and, when COUNTRIES_TSV is given and a file country_names.tsv lies next to it, the
 * countries' other names (code <TAB> name, several lines per code, the English name
 * first: scripts/gen-country-names, from Debian's iso-codes), which the search
 * matches as well as the official name (issue 16: "UK", "England" find Royaume-Uni).
 * Returns the table, or NULL when a file cannot be read, a line is malformed (bad
 * code, empty name, name not valid UTF-8 or with control characters, line too long)
 * or there are too many entries; the reason is
 * logged (component "identity") with the file and line number. */
struct cab_places *cab_places_load(const char *communes_tsv, const char *countries_tsv);

/* Frees P (NULL allowed). */
void cab_places_free(struct cab_places *p);

/* Number of entries loaded. */
size_t cab_places_count(const struct cab_places *p);

/* The I-th entry in code order (0 <= I < cab_places_count()), or NULL. */
const struct cab_place *cab_places_at(const struct cab_places *p, size_t i);

/* The entry with INSEE code CODE, or NULL; when a former commune shares its code
 * with the current one, the current commune is returned. */
const struct cab_place *cab_places_find(const struct cab_places *p, const char *code);

/* Which kinds of place a search returns. */
#define CAB_PLACES_COMMUNES  1u /* communes and arrondissements */
#define CAB_PLACES_COUNTRIES 2u

/* Folds UTF-8 TEXT for comparison into OUT (SIZE bytes): lower case, Latin accents
 * removed (é -> e, œ -> oe, ß -> ss), punctuation ('-', '\'', U+2019, parentheses,
 * commas, dots, slashes) and runs of spaces made one space, surrounding spaces
 * dropped; truncated to fit. Returns OUT. */
char *cab_places_fold(const char *text, char *out, size_t size);

/* Finds places whose folded name starts with the folded QUERY (or one of whose words
 * does, e.g. "denis" finds "Saint-Denis"), or whose code starts with QUERY when it
 * looks like a code (digits, 2A/2B). The abbreviations st, ste, sts, stes also match saint, sainte, saints,
 * saintes ("st etienne" finds "Saint-Étienne"). Ranks: exact name first, then name prefix, then word prefix; within a rank
 * current communes and countries before former communes, then larger population
 * first, then alphabetical, then by code. Writes at most MAX pointers
 * into OUT and returns how many matched in total (may exceed MAX). An empty QUERY
 * matches nothing. */
size_t cab_places_search(const struct cab_places *p, const char *query, unsigned kinds,
                         const struct cab_place **out, size_t max);

#endif
