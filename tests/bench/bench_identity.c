/* bench_identity.c — figures for the identity screen: loading the place lists, one
 * place search as the patient types, NIR checks and flow transitions per second.
 * Prints JSON lines for tests/bench/run; no assertions on time. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kiosk/flow/flow.h"
#include "kiosk/identity/communes.h"
#include "kiosk/identity/nir.h"

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void line(const char *name, double value, const char *unit, const char *note)
{
	printf("{\"name\": \"%s\", \"value\": %.3f, \"unit\": \"%s\", \"note\": \"%s\"}\n", name,
	       value, unit, note);
}

int main(void)
{
	char communes[4096], countries[4096];
	const char *build = getenv("BUILD"), *src = getenv("CABIN_SRC");
	snprintf(communes, sizeof communes, "%s/assets/communes.tsv", build ? build : "build");
	snprintf(countries, sizeof countries, "%s/assets/identity/countries.tsv", src ? src : ".");

	double t0 = now_s();
	struct cab_places *p = cab_places_load(communes, countries);
	double t1 = now_s();
	if (p) {
		line("places_load_ms", (t1 - t0) * 1000, "ms", "INSEE communes 2026 + countries, one load");
		const char *typed[] = {"s", "sa", "sai", "sain", "saint", "saint e", "saint et",
		                       "p", "pa", "par", "pari", "paris", "2a0", "denis"};
		const struct cab_place *out[20];
		int rounds = 20;
		size_t total = 0;
		t0 = now_s();
		for (int r = 0; r < rounds; r++)
			for (size_t i = 0; i < sizeof typed / sizeof typed[0]; i++)
				total += cab_places_search(p, typed[i], CAB_PLACES_COMMUNES, out, 20);
		t1 = now_s();
		line("places_search_ms", (t1 - t0) * 1000 / (rounds * (sizeof typed / sizeof typed[0])),
		     "ms", "one keystroke's search over ~37600 places (prefixes of 'saint etienne', 'paris')");
		if (total == 0)
			return 1;
		cab_places_free(p);
	} else {
		fprintf(stderr, "bench_identity: %s absent, place figures skipped\n", communes);
	}

	struct cab_nir n;
	int ok = 0, count = 1000000;
	t0 = now_s();
	for (int i = 0; i < count; i++)
		ok += cab_nir_parse(i & 1 ? "184127505612355" : "175012A00432190", &n) == CAB_ID_OK;
	t1 = now_s();
	line("nir_parse_per_s", count / (t1 - t0), "1/s", "NIR parse with key check");
	if (ok != count)
		return 1;

	struct cab_flow *f = cab_flow_new(NULL);
	count = 200000;
	t0 = now_s();
	for (int i = 0; i < count; i++)
		cab_flow_handle(f, i & 1 ? CAB_EV_EMERGENCY_CLOSE : CAB_EV_EMERGENCY);
	t1 = now_s();
	line("flow_events_per_s", count / (t1 - t0), "1/s", "table lookup + observers (none)");
	cab_flow_free(f);
	return 0;
}
