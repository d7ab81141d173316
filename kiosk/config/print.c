/* print.c — the effective configuration written back as an INI file, every key
 * present, secrets masked (the TLS key passphrase, a proxy password). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "kiosk/config/config.h"

#define MASK "********"

char *cab_config_proxy_hostport(const struct cab_config *cfg, char *out, size_t size)
{
	const char *p = cfg->proxy;
	if (!strncmp(p, "http://", 7))
		p += 7;
	size_t n = strlen(p);
	if (n && p[n - 1] == '/')
		n--;
	snprintf(out, size, "%.*s", (int)n, p);
	return out;
}

/* Writes the proxy URL with its password (user:PASSWORD@) masked. */
static void print_proxy(const char *p, FILE *out)
{
	const char *at = strrchr(p, '@'), *auth = p + (strncmp(p, "http://", 7) ? 0 : 7);
	const char *colon = at ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
	if (!colon) {
		fprintf(out, "%s", p);
		return;
	}
	fprintf(out, "%.*s:%s%s", (int)(colon - p), p, MASK, at);
}

void cab_config_print(const struct cab_config *c, FILE *out)
{
	char lat[32] = "", lon[32] = ""; /* empty when unset (NAN) */
	if (!isnan(c->latitude))
		snprintf(lat, sizeof lat, "%.6f", c->latitude);
	if (!isnan(c->longitude))
		snprintf(lon, sizeof lon, "%.6f", c->longitude);
	fprintf(out, "[cabin]\nid = %s\npharmacy_name = %s\naddress = %s\npostal_code = %s\n"
	        "city = %s\ncountry = %s\nphone = %s\nlatitude = %s\nlongitude = %s\n"
	        "location_text = %s\nfee_cents = %d\n\n", c->cabin_id, c->pharmacy_name, c->address,
	        c->postal_code, c->city, c->country, c->phone, lat, lon, c->location_text,
	        c->fee_cents);
	fprintf(out, "[station]\nurl = %s\nproxy = ", c->station_url);
	print_proxy(c->proxy, out);
	fprintf(out, "\ncert = %s\nkey = %s\nkey_passphrase = %s\nca = %s\ncrl = %s\npin = %s\n\n",
	        c->cert, c->key, c->key_passphrase[0] ? MASK : "", c->ca, c->crl, c->pin);
	fprintf(out, "[ui]\nlanguages = ");
	for (int i = 0; i < c->n_languages; i++)
		fprintf(out, "%s%s", i ? "," : "", c->languages[i]);
	fprintf(out, "\nvoice_volume = %d\nrenderer = %s\n\n[timeouts]\n", c->voice_volume, c->renderer);
	for (int i = 0; i < CAB_TMO__COUNT; i++)
		if (!cab_timeouts[i].station)
			fprintf(out, "%s = %d\n",
			        cab_config_timeout_name((enum cab_flow_timeout)i), c->timeout_s[i]);
	fprintf(out, "\n[storage]\ndata_dir = %s\nkey_file = %s\noutbox_max_age_s = %d\n\n",
	        c->data_dir, c->key_file, c->outbox_max_age_s);
	fprintf(out,
	        "[media]\ncamera = %s\nmicrophone = %s\nstethoscope = %s\notoscope = %s\n"
	        "dermatoscope = %s\n",
	        c->camera, c->microphone, c->stethoscope, c->otoscope, c->dermatoscope);
	fprintf(out, "\n[service]\npharmacist_pin_hash = %s\ntechnician_password_hash = %s\n"
	        "cleaning_max_s = %d\nexport_dir = %s\n", c->pharmacist_pin_hash,
	        c->technician_password_hash, c->cleaning_max_s, c->export_dir);
}
