/* fuzz_places.c — libFuzzer target for the place-list loader (the communes.tsv and
 * countries.tsv formats) and the search over what it accepted. The first input byte
 * chooses which format the rest is read as; the rest goes through a memfd. Checks:
 * every accepted entry is found by its code and by its own name. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kiosk/identity/communes.h"
#include "log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cab_log_set_level(CAB_LOG_ERROR);
	if (size < 1 || size > 65536)
		return 0;
	int fd = memfd_create("places", 0);
	if (fd < 0)
		return 0;
	if (write(fd, data + 1, size - 1) != (ssize_t)(size - 1)) {
		close(fd);
		return 0;
	}
	char path[64];
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	bool countries = data[0] & 1;
	struct cab_places *p = cab_places_load(countries ? NULL : path, countries ? path : NULL);
	close(fd);
	if (!p)
		return 0;
	const struct cab_place *out[8];
	for (size_t i = 0; i < cab_places_count(p) && i < 16; i++) {
		const struct cab_place *e = cab_places_at(p, i);
		const struct cab_place *f = cab_places_find(p, e->code);
		if (!f || strcmp(f->code, e->code))
			abort();
		if (e->folded[0] && cab_places_search(p, e->name, CAB_PLACES_COMMUNES |
		                                      CAB_PLACES_COUNTRIES, out, 8) == 0)
			abort();
	}
	cab_places_free(p);
	return 0;
}
