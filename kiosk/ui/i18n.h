/* i18n.h — every on-screen text goes through gettext (domain "cabin"); msgids are
 * English. The language can change at any moment: widgets keep msgids and
 * translate when they draw, so a switch shows at the next frame. */
#ifndef CABIN_UI_I18N_H
#define CABIN_UI_I18N_H

#include <libintl.h>

#define _(s) gettext(s)
#ifndef N_
#define N_(s) s /* marks a msgid for xgettext (-kN_) */
#endif

/* Binds the "cabin" domain to LOCALE_DIR (holding <lang>/LC_MESSAGES/cabin.mo) and
 * selects LANG. Returns 0, or -1 if LANG is not supported. */
int ui_i18n_init(const char *locale_dir, const char *lang);

/* Switches to LANG ("fr" or "en") at once. Returns 0, or -1 if unsupported. */
int ui_i18n_set(const char *lang);

/* The current language code ("fr" or "en"). */
const char *ui_i18n_lang(void);

/* True if LANG is one of the supported codes. */
int ui_i18n_supported(const char *lang);

#endif
