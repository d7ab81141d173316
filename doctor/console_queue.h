/* console_queue.h — the waiting queue of the doctors' console (docs/console.md): the
 * open sessions of connected cabins, who took which, the waiting patients' places.
 * Pure bookkeeping (no I/O, no clock: times are passed in), one owner (the station's
 * service thread). A doctor holds at most one patient; a patient has at most one
 * doctor: cq_take decides races in the order calls arrive. */
#ifndef CABIN_CONSOLE_QUEUE_H
#define CABIN_CONSOLE_QUEUE_H

#include <stddef.h>
#include <stdint.h>

#define CQ_MAX 1024          /* sessions tracked at once */
#define CQ_MEASURING_MAX 256 /* bytes of the "measuring" kind list */

struct cq_entry {
	char session[40];
	char cabin[128];
	int64_t opened_ms; /* CLOCK_REALTIME ms when the station stored session_open */
	int online;        /* the cabin's link is up */
	char rpps[32];     /* the doctor who took it, "" while waiting */
	char doctor[128];  /* that doctor's name */
	int ready;         /* patient_state.ready */
	char measuring[CQ_MEASURING_MAX]; /* patient_state.measuring, comma separated */
	char language[16];                /* consent.language (BCP 47), "" before consent */
	int readings;                     /* readings stored so far */
	int position;      /* 1-based place among the waiting patients, 0 when taken */
	int sent_position; /* last `queue` place sent to the cabin (0: none) */
	int sent_estimate; /* last estimate sent (s) */
	int called;        /* the terminal doctor sent `call` */
};

struct console_queue {
	struct cq_entry e[CQ_MAX];
	size_t n;
};

/* Results of cq_take. */
enum cq_take_result {
	CQ_TAKEN = 0,      /* the doctor now holds the session */
	CQ_ALREADY_YOURS,  /* the doctor held it already */
	CQ_TAKEN_BY_OTHER, /* another doctor holds it (entry's doctor names them) */
	CQ_HOLDS_ANOTHER,  /* the doctor holds another patient: release it first */
	CQ_UNKNOWN,        /* no such open session */
	CQ_OFFLINE,        /* the session's cabin is not connected */
};

/* Adds SESSION of CABIN (opened at T ms) or marks it online again; NULL when full. */
struct cq_entry *cq_open(struct console_queue *q, const char *session, const char *cabin,
                         int64_t t_ms);
/* Removes SESSION (closed); 0, or -1 when unknown. */
int cq_close(struct console_queue *q, const char *session);
/* The entry of SESSION, or NULL. */
struct cq_entry *cq_find(struct console_queue *q, const char *session);
/* The session RPPS holds, or NULL. */
struct cq_entry *cq_held_by(struct console_queue *q, const char *rpps);
/* Marks every session of CABIN online (1) or offline (0). */
void cq_cabin_online(struct console_queue *q, const char *cabin, int online);
/* The doctor RPPS (named NAME) takes SESSION: see enum cq_take_result. */
enum cq_take_result cq_take(struct console_queue *q, const char *session, const char *rpps,
                            const char *name);
/* The doctor RPPS gives SESSION back to the queue; 0, or -1 when they did not hold it. */
int cq_release(struct console_queue *q, const char *session, const char *rpps);
/* Recomputes the waiting places (oldest first; offline cabins wait without a place).
 * Returns the number of waiting patients. */
int cq_positions(struct console_queue *q);
/* The estimated wait in seconds of place POSITION with DOCTORS consoles open:
 * POSITION * CONSULT_S / max(1, DOCTORS), CONSULT_S = 600 (a typical teleconsultation). */
int cq_estimate_s(int position, int doctors);

#endif
