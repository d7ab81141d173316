/* store_binding.c — service providers and audit sink on kiosk/store and
 * kiosk/config (see store_binding.h). */
#include "kiosk/service/store_binding.h"

#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/config/config.h"
#include "atomic_file.h"
#include "ini_edit.h"
#include "kiosk/store/store.h"

/* Largest configuration file the service menu edits (bytes). */
#define CONFIG_TEXT_MAX 16384

static void record(void *user, enum cab_role who, const char *what, const char *detail)
{
	struct cab_svc_store_binding *b = user;
	enum cab_audit_actor a = who == CAB_ROLE_PHARMACIST   ? CAB_ACTOR_PHARMACIST
	                         : who == CAB_ROLE_TECHNICIAN ? CAB_ACTOR_TECHNICIAN
	                                                      : CAB_ACTOR_CABIN;
	cab_store_audit(b->st, a, who == CAB_ROLE_SYSTEM ? "cabin" : "", what, detail);
}

static int outbox(void *user, int *pending, int64_t *oldest_ms)
{
	struct cab_svc_store_binding *b = user;
	struct cab_store_outbox_counts c;
	int rc = cab_store_outbox_counts(b->st, &c);
	if (rc)
		return -EIO;
	*pending = c.pending;
	int64_t age = 0, created = 0;
	if (cab_store_outbox_oldest_age(b->st, &age, &created))
		return -EIO;
	*oldest_ms = created;
	return 0;
}

static int verify_audit(void *user, int64_t *rows, char *why, size_t size)
{
	struct cab_svc_store_binding *b = user;
	int64_t bad = 0;
	int rc = cab_store_audit_verify(b->st, rows, &bad, why, size);
	return rc < 0 ? -EIO : rc;
}

struct fill {
	struct cab_svc_instrument *out;
	int n, max;
};

static int one_instrument(void *user, const struct cab_store_instrument *in)
{
	struct fill *f = user;
	if (f->n >= f->max)
		return 1;
	struct cab_svc_instrument *x = &f->out[f->n++];
	memset(x, 0, sizeof *x);
	snprintf(x->kind, sizeof x->kind, "%s", in->kind);
	snprintf(x->model, sizeof x->model, "%s", in->model);
	snprintf(x->serial, sizeof x->serial, "%s", in->serial);
	snprintf(x->firmware, sizeof x->firmware, "%s", in->firmware);
	snprintf(x->calibration_due, sizeof x->calibration_due, "%s", in->calibration_due);
	x->last_selftest_ms = in->last_selftest_ms;
	snprintf(x->last_selftest_result, sizeof x->last_selftest_result, "%s",
	         in->last_selftest_result);
	snprintf(x->driver, sizeof x->driver, "%s", in->driver);
	x->first_seen_ms = in->first_seen_ms;
	x->last_seen_ms = in->last_seen_ms;
	x->registry_id = in->id;
	return 0;
}

static int instruments(void *user, struct cab_svc_instrument *out, int max)
{
	struct cab_svc_store_binding *b = user;
	struct fill f = {out, 0, max};
	int rc = cab_store_instruments_each(b->st, one_instrument, &f);
	return rc < 0 ? -EIO : f.n;
}

static int config_text(void *user, char *buf, size_t size)
{
	struct cab_svc_store_binding *b = user;
	struct cab_config cfg;
	struct cab_config_errors errs;
	char *text = NULL;
	size_t len = 0;
	if (!b->config_path[0])
		return -ENOENT;
	cab_config_load(b->config_path, &cfg, &errs); /* problems: defaults are shown */
	FILE *m = open_memstream(&text, &len);
	if (!m)
		return -ENOMEM;
	cab_config_print(&cfg, m);
	fclose(m);
	snprintf(buf, size, "%s", text ? text : "");
	free(text);
	return 0;
}

/* Reads the whole file at PATH into BUF (SIZE bytes, NUL-terminated); a missing
 * file is an empty text. Returns 0 or a negative errno (-EFBIG when too long). */
static int read_config_file(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		buf[0] = '\0';
		return errno == ENOENT ? 0 : -errno;
	}
	size_t n = fread(buf, 1, size - 1, f);
	int rc = ferror(f) ? -EIO : !feof(f) && fgetc(f) != EOF ? -EFBIG : 0;
	fclose(f);
	buf[n] = '\0';
	return rc;
}

static int config_set(void *user, const char *assignment, char *err, size_t size)
{
	struct cab_svc_store_binding *b = user;
	static char text[CONFIG_TEXT_MAX], out[CONFIG_TEXT_MAX];
	static struct cab_config cfg;
	static struct cab_config_errors errs;
	char d[512], n[512];
	if (!b->config_path[0]) {
		snprintf(err, size, "no configuration file");
		return -ENOENT;
	}
	int rc = read_config_file(b->config_path, text, sizeof text);
	if (rc) {
		snprintf(err, size, "cannot read %s: %s", b->config_path, strerror(-rc));
		return rc;
	}
	if (cab_ini_set(text, assignment, out, sizeof out))
		return -EINVAL;
	int problems = cab_config_load_buffer(b->config_path, out, strlen(out), &cfg, &errs);
	if (problems > 0) {
		snprintf(err, size, "%s", errs.e[0].text);
		return problems;
	}
	snprintf(d, sizeof d, "%s", b->config_path);
	snprintf(n, sizeof n, "%s", b->config_path);
	rc = cab_atomic_write(dirname(d), basename(n), out, strlen(out));
	if (rc) {
		snprintf(err, size, "cannot write %s: %s", b->config_path, strerror(-rc));
		return rc;
	}
	return 0;
}

int cab_svc_store_record_selftest(void *user, const struct cab_svc_instrument *in,
                                  const char *result, int64_t at_ms)
{
	struct cab_svc_store_binding *b = user;
	struct cab_store_instrument r;
	memset(&r, 0, sizeof r);
	snprintf(r.kind, sizeof r.kind, "%s", in->kind);
	snprintf(r.model, sizeof r.model, "%s", in->model);
	snprintf(r.serial, sizeof r.serial, "%s", in->serial);
	snprintf(r.firmware, sizeof r.firmware, "%s", in->firmware);
	snprintf(r.calibration_due, sizeof r.calibration_due, "%s", in->calibration_due);
	snprintf(r.driver, sizeof r.driver, "%.23s", in->driver);
	if (cab_store_instrument_upsert(b->st, &r) ||
	    cab_store_instrument_selftest(b->st, r.id, at_ms, result))
		return -EIO;
	return 0;
}

int cab_svc_store_register(void *user, const struct cab_svc_instrument *in)
{
	struct cab_svc_store_binding *b = user;
	struct cab_store_instrument r;
	memset(&r, 0, sizeof r);
	snprintf(r.kind, sizeof r.kind, "%s", in->kind);
	snprintf(r.model, sizeof r.model, "%s", in->model);
	snprintf(r.serial, sizeof r.serial, "%s", in->serial);
	snprintf(r.firmware, sizeof r.firmware, "%s", in->firmware);
	snprintf(r.driver, sizeof r.driver, "%.23s", in->driver);
	return cab_store_instrument_upsert(b->st, &r) ? -EIO : 0;
}

static int set_calibration(void *user, int index, const char *date)
{
	struct cab_svc_store_binding *b = user;
	struct cab_svc_instrument list[CAB_SVC_MAX_INSTRUMENTS];
	int n = b->list ? b->list(b->list_user, list, CAB_SVC_MAX_INSTRUMENTS)
	                : instruments(b, list, CAB_SVC_MAX_INSTRUMENTS);
	if (n < 0)
		return n;
	if (index < 0 || index >= n)
		return -ENODEV;
	int64_t id = list[index].registry_id;
	if (!id) { /* attached but not registered yet */
		struct cab_store_instrument r;
		memset(&r, 0, sizeof r);
		snprintf(r.kind, sizeof r.kind, "%s", list[index].kind);
		snprintf(r.model, sizeof r.model, "%s", list[index].model);
		snprintf(r.serial, sizeof r.serial, "%s", list[index].serial);
		snprintf(r.driver, sizeof r.driver, "%.23s", list[index].driver);
		if (cab_store_instrument_upsert(b->st, &r))
			return -EIO;
		id = r.id;
	}
	int rc = cab_store_instrument_set_calibration(b->st, id, date);
	return rc == CAB_STORE_INVALID ? -EINVAL : rc ? -EIO : 0;
}

void cab_svc_bind_store(struct cab_svc_store_binding *b, struct cab_store *st,
                        const char *config_path, struct cab_svc_sources *s,
                        struct cab_svc_audit *audit)
{
	b->st = st;
	snprintf(b->config_path, sizeof b->config_path, "%s", config_path ? config_path : "");
	s->outbox = outbox;
	s->verify_audit = verify_audit;
	s->instruments = instruments;
	s->set_calibration = set_calibration;
	s->config_text = config_text;
	s->config_set = config_path ? config_set : NULL;
	s->db_path = cab_store_db_path(st);
	s->devices_user = b;
	s->store_user = b;
	s->config_user = b;
	*audit = (struct cab_svc_audit){record, b};
}
