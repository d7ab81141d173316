/* options.c — command-line parsing of the cabin program (see options.h). */
#include "kiosk/app/options.h"

#include <stdlib.h>
#include <string.h>

int cab_options_parse_size(const char *s, int *w, int *h)
{
	char *end;
	long a = strtol(s, &end, 10);
	if (end == s || (*end != 'x' && *end != 'X'))
		return -1;
	const char *p = end + 1;
	long b = strtol(p, &end, 10);
	if (end == p || *end || a < 200 || b < 200 || a > 8192 || b > 8192)
		return -1;
	*w = (int)a;
	*h = (int)b;
	return 0;
}

int cab_options_parse(int argc, char **argv, struct cab_options *o, char *err, size_t size)
{
	memset(o, 0, sizeof *o);
	o->lang = "fr";
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *val = i + 1 < argc ? argv[i + 1] : NULL;
		bool takes = !strcmp(a, "--windowed") || !strcmp(a, "--render-screens") ||
		             !strcmp(a, "--state-log") || !strcmp(a, "--lang") ||
		             !strcmp(a, "--config");
		if (takes && !val) {
			snprintf(err, size, "%s needs a value", a);
			return -1;
		}
		if (!strcmp(a, "--windowed")) {
			if (cab_options_parse_size(val, &o->win_w, &o->win_h)) {
				snprintf(err, size, "--windowed: expected WxH (e.g. 1280x800), got '%s'", val);
				return -1;
			}
			o->windowed = true;
		} else if (!strcmp(a, "--render-screens")) {
			o->render_dir = val;
		} else if (!strcmp(a, "--state-log")) {
			o->state_log = val;
		} else if (!strcmp(a, "--lang")) {
			if (strcmp(val, "fr") && strcmp(val, "en")) {
				snprintf(err, size, "--lang: expected fr or en, got '%s'", val);
				return -1;
			}
			o->lang = val;
		} else if (!strcmp(a, "--config")) {
			o->config = val;
		} else if (!strcmp(a, "--sim")) {
			o->sim = true;
		} else if (!strcmp(a, "--version")) {
			o->version = true;
		} else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			o->help = true;
		} else {
			snprintf(err, size, "unknown option '%s' (try --help)", a);
			return -1;
		}
		if (takes)
			i++;
	}
	return 0;
}

void cab_options_usage(FILE *fp)
{
	fputs("usage: cabin [options]\n"
	      "The teleconsultation cabin kiosk (fullscreen touch screen).\n"
	      "  --windowed WxH         a W x H window instead of fullscreen (development)\n"
	      "  --render-screens DIR   render every screen and dialog, in French and English,\n"
	      "                         at 1920x1080, 1280x800 and 1080x1920, to\n"
	      "                         DIR/<screen>-<lang>-<W>x<H>.png, then exit (no display needed)\n"
	      "  --state-log FILE       append one JSON line per flow transition to FILE\n"
	      "  --lang fr|en           language of the first screen (default fr)\n"
	      "  --sim                  simulate absent instruments and devices\n"
	      "  --config FILE          the cabin's configuration (INI; defaults without it)\n"
	      "  --version              print the version and exit\n"
	      "  --help                 this text\n"
	      "  --check-config FILE    check a configuration file and exit (first option only)\n"
	      "  --verify-audit [--data DIR]  verify the audit log's hash chain and exit\n"
	      "Environment: CABIN_ASSETS (assets dir), CABIN_LOCALEDIR (compiled .mo files),\n"
	      "CABIN_FONTDIR (DejaVu fonts), CABIN_FEE_CENTS (consultation fee, default 3000),\n"
	      "CABIN_NAME (header text), CABIN_TIMEOUT_MS (tests: every inactivity timeout),\n"
	      "CABIN_UI_MAP (tests: file the touchable widgets are listed in after each frame),\n"
	      "CABIN_DATA_DIR (data directory, overrides the configuration), CABIN_PRECALL_S\n"
	      "(waiting room: seconds before the doctor joins without all measurements, default 120),\n"
	      "CABIN_SIM_VALUES (values the simulators replay), CABIN_NO_LINK, CABIN_NO_MEDIA.\n",
	      fp);
}
