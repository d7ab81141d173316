/* paths.c — locating assets, translations and fonts (see paths.h). */
#include "kiosk/app/paths.h"

#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

void cab_paths_find(struct cab_paths *p)
{
	char exe[CAB_PATH_MAX] = ".";
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = 0;
		char *d = dirname(exe);
		memmove(exe, d, strlen(d) + 1);
	} else {
		strcpy(exe, ".");
	}
	const char *e;
	char cand[CAB_PATH_MAX + 16];
	if ((e = getenv("CABIN_ASSETS")) && *e) {
		snprintf(p->assets, sizeof p->assets, "%s", e);
	} else {
		/* the source tree's assets/ (it has images/), seen from build/ or build/<variant>/ */
		static const char *const rel[] = {"/../assets", "/../../assets"};
		snprintf(p->assets, sizeof p->assets, "assets");
		for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
			char img[CAB_PATH_MAX + 32];
			snprintf(cand, sizeof cand, "%.1000s%s", exe, rel[i]);
			snprintf(img, sizeof img, "%.1000s/images", cand);
			if (is_dir(img)) {
				snprintf(p->assets, sizeof p->assets, "%.1000s", cand);
				break;
			}
		}
	}
	if ((e = getenv("CABIN_LOCALEDIR")) && *e)
		snprintf(p->locale, sizeof p->locale, "%s", e);
	else
		snprintf(p->locale, sizeof p->locale, "%.1000s/locale", exe);
	if ((e = getenv("CABIN_FONTDIR")) && *e)
		snprintf(p->fonts, sizeof p->fonts, "%s", e);
	else
		snprintf(p->fonts, sizeof p->fonts, "/usr/share/fonts/truetype/dejavu");
	snprintf(p->communes, sizeof p->communes, "%.990s/assets/communes.tsv", exe);
	snprintf(p->countries, sizeof p->countries, "%.990s/identity/countries.tsv", p->assets);
}
