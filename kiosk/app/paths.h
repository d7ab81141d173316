/* paths.h — where the cabin finds its files: assets (images, country list), the
 * compiled translations, the fonts and the generated commune list. Each can be set
 * in the environment; the defaults work from a build tree (build/cabin). */
#ifndef CABIN_APP_PATHS_H
#define CABIN_APP_PATHS_H

#define CAB_PATH_MAX 1024

struct cab_paths {
	char assets[CAB_PATH_MAX];    /* $CABIN_ASSETS, else <exe>/../assets or <exe>/../../assets
	                                 (the one holding images/), else ./assets */
	char locale[CAB_PATH_MAX];    /* $CABIN_LOCALEDIR, else <exe>/locale */
	char fonts[CAB_PATH_MAX];     /* $CABIN_FONTDIR, else /usr/share/fonts/truetype/dejavu */
	char communes[CAB_PATH_MAX];  /* <exe>/assets/communes.tsv (made by scripts/gen-assets) */
	char countries[CAB_PATH_MAX]; /* <assets>/identity/countries.tsv */
};

/* Fills P. Never fails (falls back to relative paths). */
void cab_paths_find(struct cab_paths *p);

#endif
