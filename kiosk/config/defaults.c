/* defaults.c — the configuration the demo runs with when there is no file: a cabin
 * on loopback talking to cabin-doctor at wss://127.0.0.1:8443 with the development
 * certificates that scripts make under build/certs, data in a per-user directory. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/config/config.h"

void cab_config_defaults(struct cab_config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	snprintf(cfg->cabin_id, sizeof cfg->cabin_id, "CABIN-DEV-0001");
	snprintf(cfg->pharmacy_name, sizeof cfg->pharmacy_name, "Pharmacie de démonstration");
	snprintf(cfg->address, sizeof cfg->address, "1 place de la Démonstration");
	snprintf(cfg->postal_code, sizeof cfg->postal_code, "75000");
	snprintf(cfg->city, sizeof cfg->city, "Paris");
	snprintf(cfg->country, sizeof cfg->country, "FR");
	snprintf(cfg->phone, sizeof cfg->phone, "+33100000000");
	cfg->latitude = NAN; /* unset: the demo cabin claims no position */
	cfg->longitude = NAN;
	snprintf(cfg->location_text, sizeof cfg->location_text,
	         "Demonstration cabin, inside the pharmacy, ground floor");
	snprintf(cfg->station_url, sizeof cfg->station_url, "wss://127.0.0.1:8443");
	snprintf(cfg->cert, sizeof cfg->cert, "build/certs/cabin.pem");
	snprintf(cfg->key, sizeof cfg->key, "build/certs/cabin.key");
	snprintf(cfg->ca, sizeof cfg->ca, "build/certs/ca.pem");
	cfg->voice_volume = 80;
	snprintf(cfg->renderer, sizeof cfg->renderer, "software");
	cfg->n_languages = 2;
	memcpy(cfg->languages[0], "fr", 3);
	memcpy(cfg->languages[1], "en", 3);
	for (int t = 0; t < CAB_TMO__COUNT; t++)
		cfg->timeout_s[t] = cab_timeouts[t].default_s;
	const char *xdg = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
	if (xdg && *xdg == '/')
		snprintf(cfg->data_dir, sizeof cfg->data_dir, "%.490s/cabin", xdg);
	else if (home && *home == '/')
		snprintf(cfg->data_dir, sizeof cfg->data_dir, "%.480s/.local/share/cabin", home);
	else
		snprintf(cfg->data_dir, sizeof cfg->data_dir, "build/data");
	snprintf(cfg->camera, sizeof cfg->camera, "auto");
	snprintf(cfg->microphone, sizeof cfg->microphone, "auto");
	snprintf(cfg->stethoscope, sizeof cfg->stethoscope, "auto");
	snprintf(cfg->otoscope, sizeof cfg->otoscope, "auto");
	snprintf(cfg->dermatoscope, sizeof cfg->dermatoscope, "auto");
	cfg->cleaning_max_s = 900;
	cfg->fee_cents = 3000;
	cfg->outbox_max_age_s = 21600;
	snprintf(cfg->export_dir, sizeof cfg->export_dir, "auto");
}
