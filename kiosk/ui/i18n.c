/* i18n.c — gettext set-up and run-time language switch. LC_MESSAGES is set to
 * C.UTF-8 (present on every glibc system) and the language is chosen with the GNU
 * LANGUAGE variable; bumping _nl_msg_cat_cntr makes gettext drop its cache, as the
 * GNU gettext manual ("Being a gettext grok", §11.5) describes. */
#include "kiosk/ui/i18n.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

extern int _nl_msg_cat_cntr; /* GNU libintl / glibc */

static char current[8] = "fr";

int ui_i18n_supported(const char *lang)
{
	return lang && (!strcmp(lang, "fr") || !strcmp(lang, "en"));
}

int ui_i18n_init(const char *locale_dir, const char *lang)
{
	if (!setlocale(LC_MESSAGES, "C.UTF-8"))
		cab_warn("ui", "C.UTF-8 locale missing: texts may stay in English");
	setlocale(LC_CTYPE, "C.UTF-8");
	bindtextdomain("cabin", locale_dir);
	bind_textdomain_codeset("cabin", "UTF-8");
	textdomain("cabin");
	return ui_i18n_set(lang);
}

int ui_i18n_set(const char *lang)
{
	if (!ui_i18n_supported(lang))
		return -1;
	strcpy(current, lang);
	setenv("LANGUAGE", lang, 1);
	++_nl_msg_cat_cntr;
	return 0;
}

const char *ui_i18n_lang(void)
{
	return current;
}
