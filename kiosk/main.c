/* main.c — the cabin kiosk program: options, then the app (kiosk/app). */
#include <stdio.h>

#include "kiosk/app/app.h"
#include "kiosk/app/options.h"

int main(int argc, char **argv)
{
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
