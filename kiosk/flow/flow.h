/* flow.h — the patient flow: one table-driven state machine from the attract screen
 * to the wipe, with per-state inactivity timeouts, the "are you still there?"
 * countdown, the emergency notice (15 / 112) and transition observers.
 * No SDL, no I/O, no threads: the main thread calls cab_flow_handle() for every
 * user or system event and cab_flow_tick() when cab_flow_next_tick_ms() says so.
 * The rows of the table (flow_table.c) each name the rule they carry out. */
#ifndef CABIN_FLOW_FLOW_H
#define CABIN_FLOW_FLOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "clock.h"
#include "kiosk/flow/session.h"

/* The screens of the patient journey, in order (DESIGN.md "The patient flow"). */
enum cab_flow_state {
	CAB_FLOW_ATTRACT = 0,  /* idle screen, no session */
	CAB_FLOW_LANGUAGE,     /* choose French or English */
	CAB_FLOW_INFORMATION,  /* what a teleconsultation is, what is sent, the doctor, fee */
	CAB_FLOW_CONSENT,      /* two explicit answers: teleconsultation, sending readings */
	CAB_FLOW_IDENTITY,     /* identity traits, optional INS, phone */
	CAB_FLOW_CHECKS,       /* camera, sound, network */
	CAB_FLOW_WAITING_ROOM, /* pre-call measurements, waiting for the doctor */
	CAB_FLOW_CONSULTATION, /* video call; measurements the doctor asks for */
	CAB_FLOW_SUMMARY,      /* what was done and sent */
	CAB_FLOW_ENDED,        /* polite ending after a refusal, a stop or a failed check */
	CAB_FLOW_WIPE,         /* session data erased, then back to attract */
	CAB_FLOW_STATE_COUNT,
	/* Pseudo-states, only in table rows: */
	CAB_FLOW_ANY = 100,    /* row matches every state */
	CAB_FLOW_IN_SESSION,   /* row matches LANGUAGE..SUMMARY and ENDED */
	CAB_FLOW_SAME,         /* as next state: stay in the current state */
};

/* What can happen. User actions come from the screens, system events from the
 * doctor link, the checks and the wipe; TIMEOUT comes from cab_flow_tick(). */
enum cab_flow_event {
	CAB_EV_START = 0,          /* patient touches the attract screen */
	CAB_EV_LANGUAGE_CHOSEN,    /* language chosen (cab_session_set_language first) */
	CAB_EV_BACK,               /* back to the previous screen, where allowed */
	CAB_EV_INFORMATION_READ,   /* "continue" on the information screen */
	CAB_EV_CONSENT_GIVEN,      /* consent answered (cab_session_record_consent first) */
	CAB_EV_CONSENT_DECLINED,   /* the patient refuses the teleconsultation */
	CAB_EV_IDENTITY_VALID,     /* identity submitted and valid (cab_session_set_identity first) */
	CAB_EV_CHECKS_PASSED,      /* camera, sound and network checks passed */
	CAB_EV_CHECKS_FAILED,      /* a check failed: the session cannot go on */
	CAB_EV_DOCTOR_JOINED,      /* the doctor station joined the call */
	CAB_EV_CONSULTATION_ENDED, /* the doctor (or the patient) ended the call */
	CAB_EV_SUMMARY_DONE,       /* "finish" on the summary screen */
	CAB_EV_ENDED_DONE,         /* "OK" on the polite ending screen */
	CAB_EV_WIPE_DONE,          /* erasure finished */
	CAB_EV_STOP,               /* the patient's visible "stop" button */
	CAB_EV_ABORT,              /* pharmacist cancel or system abort: straight to wipe */
	CAB_EV_TIMEOUT,            /* inactivity (after the countdown where there is one) */
	CAB_EV_STILL_HERE,         /* "I need more time" (any answer) on the countdown dialog */
	CAB_EV_EMERGENCY,          /* show the emergency notice (15 / 112) */
	CAB_EV_EMERGENCY_CLOSE,    /* hide it */
	CAB_EV_COUNT
};

/* Why the last session ended (shown on the ENDED and WIPE screens, kept until the
 * next START; never personal). */
enum cab_flow_end {
	CAB_END_NONE = 0,
	CAB_END_COMPLETED,     /* consultation ended normally */
	CAB_END_DECLINED,      /* consent refused */
	CAB_END_STOPPED,       /* the patient pressed stop */
	CAB_END_CHECKS_FAILED, /* camera/sound/network unusable */
	CAB_END_TIMEOUT,       /* nobody answered "are you still there?" */
	CAB_END_ABORTED,       /* pharmacist or system abort */
};

/* Result of cab_flow_handle(). */
enum cab_flow_result {
	CAB_FLOW_HANDLED = 0,  /* a row matched and its action accepted: transition done */
	CAB_FLOW_NOT_HANDLED,  /* no row for (state, event): nothing changed, logged */
	CAB_FLOW_REFUSED,      /* a row matched but its rule refused (e.g. consent not
	                          recorded yet): nothing changed, logged */
};

struct cab_flow;

/* One row of the transition table. STATE may be a pseudo-state (ANY, IN_SESSION),
 * NEXT may be CAB_FLOW_SAME. ACTION (may be NULL) runs before the state changes;
 * it returns 0 to accept, -1 to refuse the transition. RULE names the rule the row
 * carries out ("consent before sending"). Rows are matched first to last, so
 * specific rows come before pseudo-state rows. */
struct cab_flow_row {
	enum cab_flow_state state;
	enum cab_flow_event event;
	enum cab_flow_state next;
	int (*action)(struct cab_flow *f);
	const char *action_name;
	const char *rule;
};

/* The transition table (static storage) and its row count in *COUNT. */
const struct cab_flow_row *cab_flow_table(size_t *count);

/* Timeouts and clocks. Start from cab_flow_config_defaults(), then adjust. */
struct cab_flow_config {
	int64_t timeout_ms[CAB_FLOW_STATE_COUNT]; /* inactivity before timeout; 0 = none */
	bool ask[CAB_FLOW_STATE_COUNT];   /* show the "still there?" countdown first */
	int64_t countdown_ms;             /* length of that countdown (default 30 s) */
	struct cab_clock clock;           /* monotonic ms, for timeouts */
	struct cab_clock wall;            /* epoch ms, for transition times and consent */
};

/* Fills CFG with the defaults: attract none; language 60 s; information, consent
 * 120 s; identity 180 s; checks 120 s; waiting room 20 min; consultation 30 min;
 * summary 60 s and ended 20 s (no countdown, straight to wipe); wipe 5 s (back to
 * attract if nobody reports WIPE_DONE); countdown 30 s; system clocks. */
void cab_flow_config_defaults(struct cab_flow_config *cfg);

/* Sets the inactivity timeout of the state named NAME (as cab_flow_state_name():
 * "identity", "waiting_room", ...) to SECONDS (0 = none), for wiring the [timeouts]
 * section of the configuration. Returns 0, or -1 for an unknown name or a negative
 * or absurd (> 24 h) value. */
int cab_flow_config_set_timeout(struct cab_flow_config *cfg, const char *name, int seconds);

/* One transition as observers see it. */
struct cab_flow_transition {
	int64_t t_ms;                /* wall clock, epoch milliseconds */
	enum cab_flow_state from;
	enum cab_flow_state to;      /* == from for rows that stay (emergency, still here) */
	enum cab_flow_event event;
	const char *rule;            /* the row's rule */
};

/* Called after every handled event (including rows that stay in the same state). */
typedef void (*cab_flow_observer)(void *user, const struct cab_flow_transition *t);

/* Creates a flow in ATTRACT with an empty session. CFG NULL = defaults (copied).
 * Returns NULL when out of memory. */
struct cab_flow *cab_flow_new(const struct cab_flow_config *cfg);

/* Clears the session (OPENSSL_cleanse) and frees F. NULL is allowed. */
void cab_flow_free(struct cab_flow *f);

/* Adds an observer (at most CAB_FLOW_MAX_OBSERVERS). Returns 0, or -1 when full. */
#define CAB_FLOW_MAX_OBSERVERS 4
int cab_flow_add_observer(struct cab_flow *f, cab_flow_observer fn, void *user);

/* Feeds one event. Looks up the first row for (current state, EV), runs its action,
 * changes state, runs the new state's entry step (entering WIPE clears the session),
 * resets the inactivity timer and the countdown, and calls the observers.
 * Unknown pairs return CAB_FLOW_NOT_HANDLED and are logged (cab_warn "flow"). */
enum cab_flow_result cab_flow_handle(struct cab_flow *f, enum cab_flow_event ev);

/* A touch, click or key anywhere: resets the inactivity timer and answers the
 * "still there?" countdown. No transition, no observer call. */
void cab_flow_activity(struct cab_flow *f);

/* Checks the timers against the clock: starts the countdown or feeds
 * CAB_EV_TIMEOUT. Returns true when something visible changed (state, countdown
 * shown or its seconds left), so the UI redraws. */
bool cab_flow_tick(struct cab_flow *f);

/* Milliseconds until cab_flow_tick() has something to do (0 = now), or -1 when no
 * timer runs (e.g. in ATTRACT). The UI waits this long for events (no busy loop). */
int64_t cab_flow_next_tick_ms(const struct cab_flow *f);

/* Current state (never a pseudo-state). */
enum cab_flow_state cab_flow_state(const struct cab_flow *f);

/* Whole seconds left on the "are you still there?" countdown (rounded up, >= 1),
 * or -1 when the dialog is not shown. */
int cab_flow_still_there_left_s(const struct cab_flow *f);

/* True while the emergency notice (call 15 / 112) is shown. */
bool cab_flow_emergency_shown(const struct cab_flow *f);

/* Why the last session ended (CAB_END_NONE during a session). */
enum cab_flow_end cab_flow_end_reason(const struct cab_flow *f);

/* The session the flow owns (begun on START, cleared on entering WIPE). The UI
 * fills it through the session.h functions before sending the matching event. */
struct cab_session *cab_flow_session(struct cab_flow *f);

/* Stable lower-case names used in the state log ("waiting_room", "consent_given",
 * "declined"); "unknown" when out of range. Pseudo-states: "any", "in_session",
 * "same". */
const char *cab_flow_state_name(enum cab_flow_state s);
const char *cab_flow_event_name(enum cab_flow_event ev);
const char *cab_flow_end_name(enum cab_flow_end e);

/* Reverse lookups of the names above; -1 when unknown. */
int cab_flow_state_from_name(const char *name);
int cab_flow_event_from_name(const char *name);

#endif
