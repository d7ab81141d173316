/* cleaning.c — the cleaning wait between sessions (see cleaning.h). */
#include "kiosk/staff/cleaning.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static int64_t now(const struct cab_cleaning *c)
{
	return c->clock.now_ms(c->clock.user);
}

void cab_cleaning_init(struct cab_cleaning *c, struct cab_creds *creds, int64_t max_ms,
                       const struct cab_clock *clock, const struct cab_svc_audit *audit)
{
	memset(c, 0, sizeof *c);
	c->creds = creds;
	c->max_ms = max_ms < 0 ? CAB_CLEANING_DEFAULT_MAX_MS : max_ms;
	c->clock = clock ? *clock : creds->clock;
	c->audit = audit ? *audit : creds->audit;
}

void cab_cleaning_start(struct cab_cleaning *c, const char *session_id)
{
	c->active = true;
	c->started_ms = now(c);
	snprintf(c->session_id, sizeof c->session_id, "%s", session_id ? session_id : "-");
	cab_svc_audit_emitf(&c->audit, CAB_ROLE_SYSTEM, "cleaning.started", "session=%s",
	                    c->session_id);
}

int64_t cab_cleaning_elapsed_s(const struct cab_cleaning *c)
{
	return c->active ? (now(c) - c->started_ms) / 1000 : 0;
}

enum cab_auth_result cab_cleaning_confirm(struct cab_cleaning *c, const char *pin, int64_t *wait_ms)
{
	if (!c->active)
		return CAB_AUTH_ERROR;
	enum cab_auth_result r = cab_creds_check(c->creds, CAB_ROLE_PHARMACIST, pin, wait_ms);
	if (r == CAB_AUTH_OK) {
		cab_svc_audit_emitf(&c->audit, CAB_ROLE_PHARMACIST, "cleaning.confirmed",
		                    "session=%s after_s=%" PRId64, c->session_id,
		                    cab_cleaning_elapsed_s(c));
		c->active = false;
	}
	return r;
}

bool cab_cleaning_poll(struct cab_cleaning *c)
{
	if (!c->active || !c->max_ms || now(c) - c->started_ms < c->max_ms)
		return false;
	cab_svc_audit_emitf(&c->audit, CAB_ROLE_SYSTEM, "cleaning.skipped",
	                    "session=%s after_s=%" PRId64, c->session_id,
	                    cab_cleaning_elapsed_s(c));
	c->active = false;
	return true;
}
