/* paths.c — locating assets, translations and fonts (see paths.h). */
#include "kiosk/app/paths.h"

#include "install_dirs.h"

#include <stdio.h>
#include <stdlib.h>

void cab_paths_find(struct cab_paths *p)
{
	char exe[CAB_PATH_MAX];
	cab_install_exe_dir(exe, sizeof exe);
	const char *e;
	int tree = cab_install_data_dir("images", p->assets, sizeof p->assets);
	if ((e = getenv("CABIN_ASSETS")) && *e)
		snprintf(p->assets, sizeof p->assets, "%s", e);
	p->installed = !tree;
	if ((e = getenv("CABIN_LOCALEDIR")) && *e)
		snprintf(p->locale, sizeof p->locale, "%s", e);
	else if (tree)
		snprintf(p->locale, sizeof p->locale, "%.1000s/locale", exe);
	else /* $(datadir)/cabin -> $(datadir)/locale */
		snprintf(p->locale, sizeof p->locale, "%.1000s/../locale", p->assets);
	if ((e = getenv("CABIN_FONTDIR")) && *e)
		snprintf(p->fonts, sizeof p->fonts, "%s", e);
	else
		snprintf(p->fonts, sizeof p->fonts, "/usr/share/fonts/truetype/dejavu");
	if (tree)
		snprintf(p->communes, sizeof p->communes, "%.990s/assets/communes.tsv", exe);
	else
		snprintf(p->communes, sizeof p->communes, "%.990s/communes.tsv", p->assets);
	snprintf(p->countries, sizeof p->countries, "%.990s/identity/countries.tsv", p->assets);
}
