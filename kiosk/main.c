/* main.c — the cabin kiosk program: the store/config commands, then the options and
 * the app (kiosk/app). */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "kiosk/app/app.h"
#include "kiosk/app/options.h"
#include "kiosk/config/config.h" /* store/config commands (issue 4) */
#include "kiosk/store/store.h"   /* store/config commands (issue 4) */

int main(int argc, char **argv)
{
	/* Every file the cabin makes (database, WAL, shared memory, key, logs, exports)
	 * is the cabin user's alone, whatever umask it was started with. */
	umask(0077);
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
	struct cab_options o;
	char err[256];
	if (cab_options_parse(argc, argv, &o, err, sizeof err)) {
		fprintf(stderr, "cabin: %s\n", err);
		return 2;
	}
	if (o.help) {
		cab_options_usage(stdout);
		return 0;
	}
	if (o.version) {
		printf("cabin %s\n", CABIN_VERSION);
		return 0;
	}
	if (o.render_dir)
		return cab_app_render_screens(&o);
	return cab_app_run(&o);
}
