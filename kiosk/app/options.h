/* options.h — the cabin program's command line (parsed without SDL, testable). */
#ifndef CABIN_APP_OPTIONS_H
#define CABIN_APP_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct cab_options {
	bool windowed;          /* --windowed WxH: a window instead of fullscreen */
	int win_w, win_h;       /* its size in pixels */
	const char *render_dir; /* --render-screens DIR: render every screen to PNGs, exit */
	const char *state_log;  /* --state-log FILE: one JSON line per transition */
	const char *lang;       /* --lang fr|en: language of the first screens (default fr) */
	bool sim;               /* --sim: simulators for absent instruments and checks */
	const char *config;     /* --config FILE: the cabin's INI configuration (kiosk/config) */
	bool version, help;
};

/* Parses ARGV into O. Returns 0, or -1 with a message in ERR (SIZE bytes). */
int cab_options_parse(int argc, char **argv, struct cab_options *o, char *err, size_t size);

/* Parses "WxH" (both 200..8192). Returns 0, or -1. */
int cab_options_parse_size(const char *s, int *w, int *h);

/* Prints the usage text to FP. */
void cab_options_usage(FILE *fp);

#endif
