/* test_communes.c — the place-of-birth lists: loading (and refusing malformed files)
 * and the search the identity screen uses, on the generated INSEE commune asset
 * (BUILD/assets/communes.tsv, made by scripts/gen-assets) and the committed country
 * list (assets/identity/countries.tsv). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kiosk/identity/communes.h"
#include "log.h"

static char communes_path[4096], countries_path[4096];
static struct cab_places *real;

static int setup(void **state)
{
	(void)state;
	const char *build = getenv("BUILD");
	const char *src = getenv("CABIN_SRC");
	snprintf(communes_path, sizeof communes_path, "%s/assets/communes.tsv", build ? build : "build");
	snprintf(countries_path, sizeof countries_path, "%s/assets/identity/countries.tsv",
	         src ? src : ".");
	if (access(communes_path, R_OK) == 0)
		real = cab_places_load(communes_path, countries_path);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	cab_places_free(real);
	return 0;
}

#define NEED_ASSET()                                                                    \
	do {                                                                                \
		if (!real) {                                                                    \
			print_message("# %s absent: run `make` (scripts/gen-assets) first\n",       \
			              communes_path);                                               \
			skip();                                                                     \
		}                                                                               \
	} while (0)

static void fold(void **state)
{
	(void)state;
	char out[64];
	assert_string_equal(cab_places_fold("Saint-Étienne", out, sizeof out), "saint etienne");
	assert_string_equal(cab_places_fold("  L'Haÿ-les-Roses ", out, sizeof out), "l hay les roses");
	assert_string_equal(cab_places_fold("Œuilly", out, sizeof out), "oeuilly");
	assert_string_equal(cab_places_fold("Côte d’Ivoire", out, sizeof out), "cote d ivoire");
	assert_string_equal(cab_places_fold("Łódź (Pologne)", out, sizeof out), "lodz pologne");
	assert_string_equal(cab_places_fold("ÅLAND", out, sizeof out), "aland");
	assert_string_equal(cab_places_fold("Straße", out, sizeof out), "strasse");
	char tiny[6];
	assert_string_equal(cab_places_fold("Saint-Étienne", tiny, sizeof tiny), "saint");
}

static void loads_the_generated_asset(void **state)
{
	(void)state;
	NEED_ASSET();
	/* COG 2026: 34969 communes, 45 arrondissements, 2576 former communes; 232 countries */
	assert_true(cab_places_count(real) > 37000);
	const struct cab_place *p = cab_places_find(real, "75056");
	assert_non_null(p);
	assert_string_equal(p->name, "Paris");
	assert_string_equal(p->dept, "75");
	assert_int_equal(p->type, CAB_PLACE_TYPE_COMMUNE);
	p = cab_places_find(real, "2A004");
	assert_non_null(p);
	assert_string_equal(p->name, "Ajaccio");
	assert_string_equal(p->dept, "2A");
	p = cab_places_find(real, "97411");
	assert_non_null(p);
	assert_string_equal(p->name, "Saint-Denis");
	assert_string_equal(p->dept, "974");
	p = cab_places_find(real, "75112");
	assert_non_null(p);
	assert_int_equal(p->type, CAB_PLACE_TYPE_ARRONDISSEMENT);
	p = cab_places_find(real, "99352");
	assert_non_null(p);
	assert_string_equal(p->name, "Algérie");
	assert_int_equal(p->type, CAB_PLACE_TYPE_COUNTRY);
	assert_string_equal(p->dept, "99");
	assert_null(cab_places_find(real, "00000"));
	assert_null(cab_places_find(real, "99100")); /* France is not a foreign country */
}

static void search_exact_first_accent_and_case_insensitive(void **state)
{
	(void)state;
	NEED_ASSET();
	const struct cab_place *r[10];
	const char *queries[] = {"paris", "PARIS", "Pâris", " paris "};
	for (size_t i = 0; i < 4; i++) {
		size_t n = cab_places_search(real, queries[i], CAB_PLACES_COMMUNES, r, 10);
		assert_true(n >= 21); /* Paris + its 20 arrondissements at least */
		assert_string_equal(r[0]->code, "75056");
	}
	size_t n = cab_places_search(real, "saint etienne", CAB_PLACES_COMMUNES, r, 10);
	assert_true(n > 10);
	assert_string_equal(r[0]->code, "42218"); /* the exact name first */
	assert_string_equal(r[0]->name, "Saint-Étienne");
	n = cab_places_search(real, "St-Étienne", CAB_PLACES_COMMUNES, r, 10);
	assert_string_equal(r[0]->code, "42218"); /* abbreviation spelled out */
	n = cab_places_search(real, "ste maxime", CAB_PLACES_COMMUNES, r, 10);
	assert_true(n >= 1);
	assert_string_equal(r[0]->name, "Sainte-Maxime");
	n = cab_places_search(real, "stenay", CAB_PLACES_COMMUNES, r, 10);
	assert_string_equal(r[0]->name, "Stenay"); /* plain words still match */
	n = cab_places_search(real, "ajac", CAB_PLACES_COMMUNES, r, 10);
	assert_true(n >= 2);
	assert_string_equal(r[0]->code, "11003"); /* Ajac (Aude) is an exact match */
	assert_string_equal(r[1]->code, "2A004"); /* then Ajaccio */
	assert_string_equal(r[1]->dept, "2A");
	n = cab_places_search(real, "Lyon", CAB_PLACES_COMMUNES, r, 10);
	assert_string_equal(r[0]->code, "69123");
}

static void search_by_later_word_and_code(void **state)
{
	(void)state;
	NEED_ASSET();
	const struct cab_place *r[400];
	size_t n = cab_places_search(real, "denis", CAB_PLACES_COMMUNES, r, 400);
	assert_true(n < 400);
	bool seen93 = false, seen974 = false;
	for (size_t i = 0; i < n; i++) {
		seen93 |= !strcmp(r[i]->code, "93066");
		seen974 |= !strcmp(r[i]->code, "97411");
	}
	assert_true(seen93 && seen974);
	n = cab_places_search(real, "75056", CAB_PLACES_COMMUNES, r, 10);
	assert_int_equal(n, 1);
	assert_string_equal(r[0]->name, "Paris");
	n = cab_places_search(real, "2a00", CAB_PLACES_COMMUNES, r, 10);
	assert_true(n >= 3);
	for (size_t i = 0; i < n && i < 10; i++)
		assert_memory_equal(r[i]->code, "2A00", 4);
	assert_string_equal(r[0]->code, "2A004"); /* the largest first */
}

static void search_countries(void **state)
{
	(void)state;
	NEED_ASSET();
	const struct cab_place *r[10];
	size_t n = cab_places_search(real, "allem", CAB_PLACES_COUNTRIES, r, 10);
	assert_int_equal(n, 3);
	assert_string_equal(r[0]->code, "99109");
	n = cab_places_search(real, "algerie", CAB_PLACES_COUNTRIES, r, 10);
	assert_int_equal(n, 1);
	assert_string_equal(r[0]->name, "Algérie");
	n = cab_places_search(real, "ivoire", CAB_PLACES_COUNTRIES, r, 10);
	assert_int_equal(n, 1);
	assert_string_equal(r[0]->code, "99326");
	assert_int_equal(cab_places_search(real, "paris", CAB_PLACES_COUNTRIES, r, 10), 0);
	assert_int_equal(cab_places_search(real, "algerie", CAB_PLACES_COMMUNES, r, 10), 0);
	/* both kinds at once; MAX limits what is written, not the count */
	n = cab_places_search(real, "saint", CAB_PLACES_COMMUNES | CAB_PLACES_COUNTRIES, r, 2);
	assert_true(n > 1000);
	assert_int_equal(cab_places_search(real, "", CAB_PLACES_COMMUNES, r, 10), 0);
	assert_int_equal(cab_places_search(real, " - ", CAB_PLACES_COMMUNES, r, 10), 0);
	assert_int_equal(cab_places_search(NULL, "paris", CAB_PLACES_COMMUNES, r, 10), 0);
}

/* Issue 16: a country is found by its English name and common names in both
 * languages (assets/identity/country_names.tsv, loaded next to countries.tsv). */
static void search_country_synonyms(void **state)
{
	(void)state;
	NEED_ASSET();
	const struct cab_place *r[10];
	static const char *const uk[] = {"United Kingdom", "UK", "Royaume-Uni", "Angleterre", "England",
	                                 "great brit", "ecosse", "Pays de Galles"};
	for (size_t i = 0; i < sizeof uk / sizeof uk[0]; i++) {
		size_t n = cab_places_search(real, uk[i], CAB_PLACES_COUNTRIES, r, 10);
		assert_true(n >= 1);
		assert_string_equal(r[0]->code, "99132");
		for (size_t j = 1; j < n && j < 10; j++) /* listed once, however many names match */
			assert_string_not_equal(r[j]->code, "99132");
	}
	assert_string_equal(r[0]->name, "Royaume-Uni");
	assert_string_equal(r[0]->other, "United Kingdom");
	static const char *const us[] = {"USA", "United States", "Etats-Unis", "America"};
	for (size_t i = 0; i < sizeof us / sizeof us[0]; i++) {
		assert_true(cab_places_search(real, us[i], CAB_PLACES_COUNTRIES, r, 10) >= 1);
		assert_string_equal(r[0]->code, "99404");
	}
	assert_true(cab_places_search(real, "Deutschland", CAB_PLACES_COUNTRIES, r, 10) >= 1);
	assert_string_equal(r[0]->code, "99109");
	assert_true(cab_places_search(real, "Germany", CAB_PLACES_COUNTRIES, r, 10) >= 1);
	assert_string_equal(r[0]->code, "99109");
	assert_true(cab_places_search(real, "Switzerland", CAB_PLACES_COUNTRIES, r, 10) >= 1);
	assert_string_equal(r[0]->code, "99140");
	/* other names are for countries only: no commune is found by "England" */
	assert_int_equal(cab_places_search(real, "england", CAB_PLACES_COMMUNES, r, 10), 0);
	/* the official entry keeps its code lookup */
	assert_string_equal(cab_places_find(real, "99132")->name, "Royaume-Uni");
}

/* Writes TEXT to a temporary file and returns its path (static buffer). */
static const char *temp_file(const char *text)
{
	static char path[64];
	strcpy(path, "/tmp/cabin-places-XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	FILE *fp = fdopen(fd, "w");
	fputs(text, fp);
	fclose(fp);
	return path;
}

static void small_files_and_malformed_ones(void **state)
{
	(void)state;
	const char *ok = temp_file("# comment\n"
	                           "01001\tL'Abergement-Clémenciat\t01\tcommune\t860\n"
	                           "01015\tArboys en Bugey\t01\tcommune\t700\n"
	                           "01015\tArbignieu\t01\tdeleguee\n"
	                           "\n"
	                           "2B033\tBastia\t2B\tcommune\t48000\r\n");
	struct cab_places *p = cab_places_load(ok, NULL);
	unlink(ok);
	assert_non_null(p);
	assert_int_equal(cab_places_count(p), 4);
	const struct cab_place *e = cab_places_find(p, "01015");
	assert_string_equal(e->name, "Arboys en Bugey"); /* the current commune wins the code */
	const struct cab_place *r[4];
	assert_int_equal(cab_places_search(p, "arbig", CAB_PLACES_COMMUNES, r, 4), 1);
	assert_int_equal(r[0]->type, CAB_PLACE_TYPE_DELEGATED);
	assert_int_equal(cab_places_search(p, "ab", CAB_PLACES_COMMUNES, r, 4), 1); /* "l abergement" word */
	e = cab_places_find(p, "2B033");
	assert_int_equal(e->population, 48000);
	assert_string_equal(e->name, "Bastia");
	cab_places_free(p);

	const char *bad[] = {
		"7505\tParis\t75\tcommune\n",            /* short code */
		"75056\t\t75\tcommune\n",                /* empty name */
		"75056\tParis\t75\n",                    /* missing type */
		"75056\tParis\t75\tville\n",             /* unknown type */
		"75056\tParis\t75\tcommune\tmany\n",     /* bad population */
		"99109\tAllemagne\t99\tcommune\n",       /* a country in the commune list */
		"2C001\tNowhere\t2C\tcommune\n",
		"75056\tPa\xffris\t75\tcommune\n",     /* not UTF-8 */
		"75056\tPa\x01ris\t75\tcommune\n",     /* control character */
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		const char *path = temp_file(bad[i]);
		assert_null(cab_places_load(path, NULL));
		unlink(path);
	}
	const char *badc = temp_file("75056\tParis\n");
	assert_null(cab_places_load(NULL, badc));
	unlink(badc);
	char longline[CAB_PLACES_MAX_LINE + 64];
	memset(longline, 'a', sizeof longline - 2);
	memcpy(longline, "75056\t", 6);
	longline[sizeof longline - 2] = '\n';
	longline[sizeof longline - 1] = '\0';
	const char *lp = temp_file(longline);
	assert_null(cab_places_load(lp, NULL));
	unlink(lp);
	assert_null(cab_places_load("/nonexistent/communes.tsv", NULL));
}

static void too_many_entries_refused(void **state)
{
	(void)state;
	char path[] = "/tmp/cabin-places-many-XXXXXX";
	int fd = mkstemp(path);
	FILE *fp = fdopen(fd, "w");
	for (int i = 0; i <= CAB_PLACES_MAX_ENTRIES; i++)
		fprintf(fp, "%05d\tX\t%02d\tcommune\n", 1000 + i % 90000, 1 + i % 90);
	fclose(fp);
	assert_null(cab_places_load(path, NULL));
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fold),
		cmocka_unit_test(loads_the_generated_asset),
		cmocka_unit_test(search_exact_first_accent_and_case_insensitive),
		cmocka_unit_test(search_by_later_word_and_code),
		cmocka_unit_test(search_countries),
		cmocka_unit_test(search_country_synonyms),
		cmocka_unit_test(small_files_and_malformed_ones),
		cmocka_unit_test(too_many_entries_refused),
	};
	cab_log_set_level(CAB_LOG_ERROR);
	return cmocka_run_group_tests(tests, setup, teardown);
}
