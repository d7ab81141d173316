/* console_internal.h — what the console's files share (console.h is the station's
 * side). */
#ifndef CABIN_CONSOLE_INTERNAL_H
#define CABIN_CONSOLE_INTERNAL_H

#include "doctor/console.h"
#include "doctor/console_queue.h"
#include "doctor/station_internal.h"

#define CON_LOG "console"
#define CON_REQ_MAX 512 /* requests remembered (state shown in the console) */
#define CON_CABIN_MAX 1024

/* One open console page (lws per-session data of "cabin-console"). */
struct con_conn {
	struct con_conn *next;
	struct lws *wsi;
	struct cab_station_doctor doc; /* from the certificate, checked at the upgrade */
	int64_t last_ms;               /* the doctor's last action (CLOCK_REALTIME ms) */
	int locked;                    /* inactivity lock: only "unlock" is accepted */
	int hello;                     /* the page said hello */
	struct stn_out *head, *tail;
	size_t nout;
	unsigned char *rx;
	size_t rx_len;
	int rx_over;
};

/* A request the doctor sent, and what became of it. */
struct con_req {
	char id[40], session[40], action[16], kind[32];
	char state[16];   /* sent | acknowledged | done | failed */
	char detail[200]; /* why it failed, or what came back */
	int64_t t_ms;
};

/* A connected cabin, as the queue shows it (from its hello). */
struct con_cabin {
	char id[128];
	json_t *cabin; /* hello.cabin {id, pharmacy, address{...}, phone} */
	int online;
};

struct console {
	struct cab_station *st;
	struct console_queue q;
	struct con_conn *conns;
	struct con_req req[CON_REQ_MAX];
	size_t nreq, req_next;
	struct con_cabin cabins[CON_CABIN_MAX];
	size_t ncabins;
	int queue_dirty;
	lws_sorted_usec_list_t sul;
};

/* console_ws.c */
/* Queues MSG (consumed) to console K. */
void con_send(struct con_conn *k, json_t *msg);
/* Queues MSG (borrowed) to every console page that said hello and is not locked. */
void con_broadcast(struct cab_station *st, json_t *msg);
/* The open console of the doctor RPPS (the first one), or NULL. */
struct con_conn *con_of_doctor(struct cab_station *st, const char *rpps);
/* Number of console pages open (unlocked doctors). */
int con_doctors_online(struct cab_station *st);
/* Writes an audit line for doctor D. */
void con_audit(struct cab_station *st, const struct cab_station_doctor *d, const char *action,
               const char *session, const char *detail);

/* console_feed.c */
/* The queue snapshot {"type":"queue", sessions, cabins} (new reference). */
json_t *con_queue_json(struct cab_station *st);
/* Recomputes places, sends `queue` to cabins whose place changed, and marks the
 * snapshot for broadcast. */
void con_queue_changed(struct cab_station *st);
/* The cabin record of ID, or NULL. */
struct con_cabin *con_cabin_find(struct cab_station *st, const char *id);
/* Sends `doctor` (RELEASED 0/1) for SESSION to its cabin. */
void con_tell_cabin_doctor(struct cab_station *st, const char *session,
                           const struct cab_station_doctor *d, int released);
/* The whole patient view of SESSION for its doctor {"type":"patient", ...}. */
json_t *con_patient_json(struct cab_station *st, const char *session);
/* Remembers a request sent (REQ: the link message). */
void con_req_add(struct cab_station *st, json_t *req);
/* The request state message of R. */
json_t *con_req_json(const struct con_req *r);
/* Sends R's state to the console of SESSION's doctor. */
void con_req_notify(struct cab_station *st, const struct con_req *r);

#endif
