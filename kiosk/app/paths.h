/* paths.h — where the cabin finds its files: assets (images, country list), the
 * compiled translations, the fonts and the generated commune list. Each can be set
 * in the environment; the defaults work from a build tree (build/cabin) and from an
 * installation (make install, the Debian package). */
#ifndef CABIN_APP_PATHS_H
#define CABIN_APP_PATHS_H

#define CAB_PATH_MAX 1024

struct cab_paths {
	char assets[CAB_PATH_MAX];    /* $CABIN_ASSETS, else the source tree's assets/ seen from
	                                 a build folder, else the installed $(datadir)/cabin
	                                 (common/install_dirs.h) */
	char locale[CAB_PATH_MAX];    /* $CABIN_LOCALEDIR, else <exe>/locale (build tree), else
	                                 <assets>/../locale, i.e. $(datadir)/locale */
	char fonts[CAB_PATH_MAX];     /* $CABIN_FONTDIR, else /usr/share/fonts/truetype/dejavu */
	char communes[CAB_PATH_MAX];  /* <exe>/assets/communes.tsv (made by scripts/gen-assets),
	                                 installed: <assets>/communes.tsv */
	char countries[CAB_PATH_MAX]; /* <assets>/identity/countries.tsv */
	int installed;                /* 1: runs from an installation, not a build tree */
};

/* Fills P. Never fails (falls back to relative paths). */
void cab_paths_find(struct cab_paths *p);

#endif
