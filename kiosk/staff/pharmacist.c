/* pharmacist.c — the pharmacist overlay's state machine (see pharmacist.h). */
#include "kiosk/staff/pharmacist.h"

#include <errno.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <string.h>

static int64_t now(const struct cab_pharm *p)
{
	return p->clock.now_ms(p->clock.user);
}

static void wipe_pin(struct cab_pharm *p)
{
	OPENSSL_cleanse(p->pin, sizeof p->pin);
	p->pin_len = 0;
}

void cab_pharm_init(struct cab_pharm *p, struct cab_creds *creds, const struct cab_clock *clock,
                    const struct cab_svc_audit *audit, const struct cab_pharm_actions *actions)
{
	memset(p, 0, sizeof *p);
	p->creds = creds;
	p->clock = clock ? *clock : creds->clock;
	p->audit = audit ? *audit : creds->audit;
	if (actions)
		p->actions = *actions;
}

void cab_pharm_touch(struct cab_pharm *p)
{
	p->last_touch_ms = now(p);
}

void cab_pharm_request(struct cab_pharm *p)
{
	if (p->state != CAB_PHARM_CLOSED)
		return;
	wipe_pin(p);
	p->state = CAB_PHARM_PIN;
	p->last = CAB_AUTH_OK;
	p->locked_ms = cab_creds_locked_ms(p->creds, CAB_ROLE_PHARMACIST);
	cab_pharm_touch(p);
}

void cab_pharm_digit(struct cab_pharm *p, int digit)
{
	if (p->state != CAB_PHARM_PIN)
		return;
	cab_pharm_touch(p);
	if (digit < 0 || digit > 9 || p->pin_len >= CAB_PIN_MAX)
		return;
	p->pin[p->pin_len++] = (char)('0' + digit);
	p->pin[p->pin_len] = '\0';
}

void cab_pharm_erase(struct cab_pharm *p)
{
	if (p->state != CAB_PHARM_PIN)
		return;
	cab_pharm_touch(p);
	if (p->pin_len)
		p->pin[--p->pin_len] = '\0';
}

enum cab_auth_result cab_pharm_submit(struct cab_pharm *p)
{
	if (p->state != CAB_PHARM_PIN)
		return CAB_AUTH_ERROR;
	cab_pharm_touch(p);
	p->last = cab_creds_check(p->creds, CAB_ROLE_PHARMACIST, p->pin, &p->locked_ms);
	wipe_pin(p);
	if (p->last == CAB_AUTH_OK) {
		p->state = CAB_PHARM_OPEN;
		cab_svc_audit_emit(&p->audit, CAB_ROLE_PHARMACIST, "overlay.open", NULL);
	}
	return p->last;
}

const char *cab_pharm_action_name(enum cab_pharm_action a)
{
	static const char *const names[CAB_PHARM_ACTIONS] = {
	    "start_session", "cancel_session",   "redo_measurement", "skip_measurement",
	    "help_identity", "show_instruments", "show_link", "id_card_checked",
	    "passport_checked", "permit_checked",
	};
	return (unsigned)a < CAB_PHARM_ACTIONS ? names[a] : "unknown";
}

int cab_pharm_act(struct cab_pharm *p, enum cab_pharm_action action, int arg)
{
	char what[48];
	int rc;
	if (p->state != CAB_PHARM_OPEN || (unsigned)action >= CAB_PHARM_ACTIONS)
		return -EPERM;
	cab_pharm_touch(p);
	rc = p->actions.perform ? p->actions.perform(p->actions.user, action, arg) : -ENOSYS;
	snprintf(what, sizeof what, "pharmacist.%s", cab_pharm_action_name(action));
	cab_svc_audit_emitf(&p->audit, CAB_ROLE_PHARMACIST, what, "arg=%d ok=%d", arg, rc == 0);
	return rc;
}

void cab_pharm_close(struct cab_pharm *p)
{
	if (p->state == CAB_PHARM_OPEN)
		cab_svc_audit_emit(&p->audit, CAB_ROLE_PHARMACIST, "overlay.close", NULL);
	wipe_pin(p);
	p->state = CAB_PHARM_CLOSED;
}

bool cab_pharm_poll(struct cab_pharm *p)
{
	if (p->state == CAB_PHARM_CLOSED || now(p) - p->last_touch_ms < CAB_PHARM_IDLE_MS)
		return false;
	if (p->state == CAB_PHARM_OPEN)
		cab_svc_audit_emit(&p->audit, CAB_ROLE_PHARMACIST, "overlay.timeout", "idle_s=60");
	wipe_pin(p);
	p->state = CAB_PHARM_CLOSED;
	return true;
}
