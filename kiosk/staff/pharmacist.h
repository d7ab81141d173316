/* pharmacist.h — the pharmacist's overlay as a state machine, without drawing: the
 * PIN pad, the overlay's actions on the running session, and the 60-second
 * inactivity close. Every opening, failure, action and close goes to the audit
 * sink; the actions themselves are carried out by the application (flow). */
#ifndef CABIN_STAFF_PHARMACIST_H
#define CABIN_STAFF_PHARMACIST_H

#include <stdbool.h>
#include <stdint.h>

#include "kiosk/staff/credentials.h"

#define CAB_PHARM_IDLE_MS (60 * 1000) /* the overlay closes after 60 s without a touch */

/* Where the overlay is. */
enum cab_pharm_state {
	CAB_PHARM_CLOSED = 0, /* patient screens only */
	CAB_PHARM_PIN,        /* the PIN pad is shown */
	CAB_PHARM_OPEN,       /* the overlay with its actions */
};

/* What the pharmacist can do from the overlay. */
enum cab_pharm_action {
	CAB_PHARM_START_SESSION = 0,
	CAB_PHARM_CANCEL_SESSION,
	CAB_PHARM_REDO_MEASUREMENT,
	CAB_PHARM_SKIP_MEASUREMENT,
	CAB_PHARM_HELP_IDENTITY,
	CAB_PHARM_SHOW_INSTRUMENTS,
	CAB_PHARM_SHOW_LINK,
	/* the pharmacist checked the patient's identity document (RNIV; FR Core
	 * fr-core-cs-mode-validation-identity): identity card CN, passport PA,
	 * residence permit CS */
	CAB_PHARM_ID_CARD_CHECKED,
	CAB_PHARM_PASSPORT_CHECKED,
	CAB_PHARM_PERMIT_CHECKED,
	CAB_PHARM_ACTIONS
};

/* Carries out an action (bound to the flow by the application); ARG is e.g. the
 * measurement index. Returns 0, or -errno when it is not possible now (e.g. no
 * session to cancel): the overlay shows it and audits it with ok=0. */
struct cab_pharm_actions {
	int (*perform)(void *user, enum cab_pharm_action action, int arg);
	void *user;
};

/* The overlay's state. */
struct cab_pharm {
	enum cab_pharm_state state;
	char pin[CAB_PIN_MAX + 1]; /* digits typed so far (wiped after submit/close) */
	unsigned pin_len;
	int64_t last_touch_ms;     /* clock ms of the last touch while not closed */
	int64_t locked_ms;         /* lock time left after the last submit, 0 if none */
	enum cab_auth_result last; /* result of the last submit */
	struct cab_creds *creds;   /* checks the PIN, owns the lockout */
	struct cab_clock clock;
	struct cab_svc_audit audit;
	struct cab_pharm_actions actions;
};

/* Sets up P closed. CREDS must outlive P; CLOCK NULL = CREDS' clock; AUDIT NULL =
 * CREDS' audit sink. */
void cab_pharm_init(struct cab_pharm *p, struct cab_creds *creds, const struct cab_clock *clock,
                    const struct cab_svc_audit *audit, const struct cab_pharm_actions *actions);

/* Shows the PIN pad (from any screen). No effect unless closed. */
void cab_pharm_request(struct cab_pharm *p);

/* Types a digit 0-9 (ignored beyond CAB_PIN_MAX digits), erases the last one, or
 * clears. Each counts as a touch. */
void cab_pharm_digit(struct cab_pharm *p, int digit);
void cab_pharm_erase(struct cab_pharm *p);

/* Checks the typed PIN: CAB_AUTH_OK opens the overlay ("overlay.open"); a wrong
 * PIN keeps the pad (empty) with P->last and P->locked_ms for the message. */
enum cab_auth_result cab_pharm_submit(struct cab_pharm *p);

/* Any touch on the overlay or the pad: restarts the 60 s. */
void cab_pharm_touch(struct cab_pharm *p);

/* Runs ACTION (overlay open only): audit "pharmacist.<action>" with ok=1/0.
 * Returns the callback's result, or -EPERM when the overlay is not open. */
int cab_pharm_act(struct cab_pharm *p, enum cab_pharm_action action, int arg);

/* Closes the pad or the overlay ("overlay.close" when it was open). */
void cab_pharm_close(struct cab_pharm *p);

/* Call from the main loop: closes after CAB_PHARM_IDLE_MS without a touch
 * ("overlay.timeout"). Returns true when it closed now. */
bool cab_pharm_poll(struct cab_pharm *p);

/* Short name of ACTION ("start_session", ...). */
const char *cab_pharm_action_name(enum cab_pharm_action action);

#endif
