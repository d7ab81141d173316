/* check_config.c — `cabin --check-config FILE`: the effective configuration on
 * stdout (secrets masked) and exit 0, or every problem as "FILE:LINE: key: why" on
 * stderr and exit 2. */
#include <stdio.h>
#include <stdlib.h>

#include "kiosk/config/config.h"

int cab_config_check_main(const char *path, FILE *out, FILE *err)
{
	struct cab_config_errors *errs = malloc(sizeof *errs);
	struct cab_config cfg;
	if (!errs) {
		fprintf(err, "cabin: out of memory\n");
		return 2;
	}
	int n = cab_config_load(path, &cfg, errs);
	if (n) {
		int kept = n < CAB_CONFIG_MAX_ERRORS ? n : CAB_CONFIG_MAX_ERRORS;
		for (int i = 0; i < kept; i++)
			fprintf(err, "%s\n", errs->e[i].text);
		if (n > kept)
			fprintf(err, "%s: ... and %d more problems\n", path, n - kept);
		fprintf(err, "%s: %d problem%s\n", path, n, n == 1 ? "" : "s");
		free(errs);
		return 2;
	}
	free(errs);
	fprintf(out, "# effective configuration of %s\n", path);
	cab_config_print(&cfg, out);
	return 0;
}
