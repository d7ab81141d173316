/* main.c — the cabin kiosk program. Filled by the UI and flow modules. */
#include <stdio.h>
#include <string.h>

#include "kiosk/config/config.h" /* store/config commands (issue 4) */
#include "kiosk/store/store.h"   /* store/config commands (issue 4) */

int main(int argc, char **argv)
{
	/* --- store/config commands (issue 4): run and exit before anything else ---- */
	if (argc >= 2 && !strcmp(argv[1], "--check-config")) {
		if (argc != 3) {
			fprintf(stderr, "usage: cabin --check-config FILE\n");
			return 2;
		}
		return cab_config_check_main(argv[2], stdout, stderr);
	}
	if (argc >= 2 && !strcmp(argv[1], "--verify-audit")) {
		struct cab_config cfg;
		const char *dir = NULL;
		if (argc == 4 && !strcmp(argv[2], "--data")) {
			dir = argv[3];
		} else if (argc != 2) {
			fprintf(stderr, "usage: cabin --verify-audit [--data DIR]\n");
			return 1;
		} else {
			cab_config_defaults(&cfg);
			dir = cfg.data_dir;
		}
		return cab_audit_verify_main(dir, stdout);
	}
	/* --- end of store/config commands ------------------------------------------ */
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--version")) {
			printf("cabin %s\n", CABIN_VERSION);
			return 0;
		}
	fprintf(stderr, "cabin: not yet wired\n");
	return 1;
}
