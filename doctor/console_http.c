/* console_http.c — the console over HTTPS on the station's port (docs/console.md): the
 * page and its assets from ASSETS/console/, a still of the doctor's patient, the
 * patient's Bundle. Only to a doctor's certificate (a cabin's gets 403); every answer
 * carries a strict Content-Security-Policy (no inline script, no other origin). */
#include "doctor/console_internal.h"

#include "common/log.h"
#include "doctor/doctor_cert.h"
#include "kiosk/link/still_msg.h"

#include <openssl/ssl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Security headers of every answer (raw HTTP/1.1 header lines). */
static const char sec_headers[] =
    "content-security-policy: default-src 'none'; script-src 'self'; style-src 'self'; "
    "img-src 'self'; media-src 'self' blob:; connect-src 'self'; font-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'\r\n"
    "x-content-type-options: nosniff\r\n"
    "referrer-policy: no-referrer\r\n"
    "x-frame-options: DENY\r\n"
    "cache-control: no-store\r\n"
    "strict-transport-security: max-age=31536000\r\n";

/* The files of the page: path, file under console/, MIME type. */
static const struct {
	const char *path, *file, *mime;
} assets[] = {
    {"/", "index.html", "text/html; charset=utf-8"},
    {"/index.html", "index.html", "text/html; charset=utf-8"},
    {"/console.css", "console.css", "text/css; charset=utf-8"},
    {"/console.js", "console.js", "text/javascript; charset=utf-8"},
    {"/i18n.js", "i18n.js", "text/javascript; charset=utf-8"},
    {"/call.js", "call.js", "text/javascript; charset=utf-8"},
    {"/icon.svg", "icon.svg", "image/svg+xml"},
};

static int serve(struct lws *wsi, const char *path, const char *mime, const char *extra)
{
	char hdr[1400];
	int n = snprintf(hdr, sizeof hdr, "%s%s", sec_headers, extra ? extra : "");
	int r = lws_serve_http_file(wsi, path, mime, hdr, n);
	if (r < 0 || (r > 0 && lws_http_transaction_completed(wsi)))
		return -1;
	return 0;
}

static int refuse(struct lws *wsi, unsigned code, const char *text)
{
	lws_return_http_status(wsi, code, text);
	return -1;
}

/* "/still/<session>/<id>.jpg" and "/bundle/<session>.json" for the doctor holding
 * the session. */
static int patient_file(struct cab_station *st, struct lws *wsi, const struct cab_station_doctor *d,
                        const char *uri)
{
	char session[64] = "", id[64] = "", path[1400], file[200];
	int still = !strncmp(uri, "/still/", 7);
	const char *p = uri + (still ? 7 : 8);
	const char *slash = still ? strchr(p, '/') : NULL;
	const char *dot = strrchr(p, '.');
	if (still && (!slash || !dot || strcmp(dot, ".jpg")))
		return refuse(wsi, 404, NULL);
	if (!still && (!dot || strcmp(dot, ".json")))
		return refuse(wsi, 404, NULL);
	size_t sl = (size_t)((still ? slash : dot) - p);
	if (sl == 0 || sl >= sizeof session)
		return refuse(wsi, 404, NULL);
	memcpy(session, p, sl);
	if (still) {
		size_t il = (size_t)(dot - slash - 1);
		if (il == 0 || il >= sizeof id)
			return refuse(wsi, 404, NULL);
		memcpy(id, slash + 1, il);
	}
	if (!stn_safe_session(session) || (still && !stn_safe_session(id)))
		return refuse(wsi, 404, NULL);
	struct cq_entry *e = cq_held_by(&st->console->q, d->rpps);
	if (!e || strcmp(e->session, session))
		return refuse(wsi, 403, "Take the patient first.");
	if (still) {
		cab_still_file_name(session, id, file, sizeof file);
		snprintf(path, sizeof path, "%s/%s", st->dir, file);
		con_audit(st, d, "still-view", session, id);
		return serve(wsi, path, "image/jpeg", NULL);
	}
	json_t *b = stn_bundle_json(st, session, e->cabin);
	snprintf(path, sizeof path, "%s/%s.download.json", st->dir, session);
	if (!b || json_dump_file(b, path, JSON_INDENT(1) | JSON_REAL_PRECISION(10))) {
		json_decref(b);
		return refuse(wsi, 500, NULL);
	}
	json_decref(b);
	con_audit(st, d, "bundle-download", session, NULL);
	char disp[200];
	snprintf(disp, sizeof disp, "content-disposition: attachment; filename=\"%s.json\"\r\n",
	         session);
	return serve(wsi, path, "application/fhir+json", disp);
}

int con_http(struct lws *wsi, const char *uri)
{
	struct cab_station *st = lws_context_user(lws_get_context(wsi));
	SSL *ssl = lws_get_ssl(wsi);
	X509 *peer = ssl ? SSL_get0_peer_certificate(ssl) : NULL;
	struct cab_station_doctor d;
	char why[128];
	if (!peer || doctor_cert_identity(peer, &d, why, sizeof why) != 1) {
		cab_warn(CON_LOG, "console page refused: %s", why);
		stn_emit_text(st, CAB_SEV_REFUSED, NULL, NULL,
		              "console: not a doctor's certificate");
		return refuse(wsi, 403,
		              "This certificate is not a doctor's: the console opens with a "
		              "doctor's certificate only.");
	}
	if (!strncmp(uri, "/still/", 7) || !strncmp(uri, "/bundle/", 8))
		return patient_file(st, wsi, &d, uri);
	for (size_t i = 0; i < sizeof assets / sizeof assets[0]; i++)
		if (!strcmp(uri, assets[i].path)) {
			char path[1200];
			snprintf(path, sizeof path, "%s/console/%s", st->assets, assets[i].file);
			return serve(wsi, path, assets[i].mime, NULL);
		}
	return refuse(wsi, 404, NULL);
}
