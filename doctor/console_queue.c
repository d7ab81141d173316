/* console_queue.c — the console's waiting queue (console_queue.h). */
#include "doctor/console_queue.h"

#include <stdio.h>
#include <string.h>

#define CONSULT_S 600

struct cq_entry *cq_find(struct console_queue *q, const char *session)
{
	for (size_t i = 0; i < q->n; i++)
		if (!strcmp(q->e[i].session, session))
			return &q->e[i];
	return NULL;
}

struct cq_entry *cq_open(struct console_queue *q, const char *session, const char *cabin,
                         int64_t t_ms)
{
	struct cq_entry *e = cq_find(q, session);
	if (!e) {
		if (q->n >= CQ_MAX || strlen(session) >= sizeof e->session)
			return NULL;
		e = &q->e[q->n++];
		memset(e, 0, sizeof *e);
		snprintf(e->session, sizeof e->session, "%s", session);
		snprintf(e->cabin, sizeof e->cabin, "%s", cabin);
		e->opened_ms = t_ms;
	}
	e->online = 1;
	return e;
}

int cq_close(struct console_queue *q, const char *session)
{
	struct cq_entry *e = cq_find(q, session);
	if (!e)
		return -1;
	size_t i = (size_t)(e - q->e);
	memmove(&q->e[i], &q->e[i + 1], (q->n - i - 1) * sizeof q->e[0]);
	q->n--;
	return 0;
}

struct cq_entry *cq_held_by(struct console_queue *q, const char *rpps)
{
	for (size_t i = 0; i < q->n; i++)
		if (q->e[i].rpps[0] && !strcmp(q->e[i].rpps, rpps))
			return &q->e[i];
	return NULL;
}

void cq_cabin_online(struct console_queue *q, const char *cabin, int online)
{
	for (size_t i = 0; i < q->n; i++)
		if (!strcmp(q->e[i].cabin, cabin))
			q->e[i].online = online;
}

enum cq_take_result cq_take(struct console_queue *q, const char *session, const char *rpps,
                            const char *name)
{
	struct cq_entry *e = cq_find(q, session);
	if (!e)
		return CQ_UNKNOWN;
	if (e->rpps[0])
		return strcmp(e->rpps, rpps) ? CQ_TAKEN_BY_OTHER : CQ_ALREADY_YOURS;
	if (!e->online)
		return CQ_OFFLINE;
	if (cq_held_by(q, rpps))
		return CQ_HOLDS_ANOTHER;
	snprintf(e->rpps, sizeof e->rpps, "%s", rpps);
	snprintf(e->doctor, sizeof e->doctor, "%s", name);
	return CQ_TAKEN;
}

int cq_release(struct console_queue *q, const char *session, const char *rpps)
{
	struct cq_entry *e = cq_find(q, session);
	if (!e || !e->rpps[0] || strcmp(e->rpps, rpps))
		return -1;
	e->rpps[0] = 0;
	e->doctor[0] = 0;
	return 0;
}

int cq_positions(struct console_queue *q)
{
	int waiting = 0;
	for (size_t i = 0; i < q->n; i++)
		q->e[i].position = 0;
	/* entries are kept in opening order except after a reopen: pick by time */
	for (;;) {
		struct cq_entry *best = NULL;
		for (size_t i = 0; i < q->n; i++) {
			struct cq_entry *e = &q->e[i];
			if (e->rpps[0] || !e->online || e->position)
				continue;
			if (!best || e->opened_ms < best->opened_ms)
				best = e;
		}
		if (!best)
			break;
		best->position = ++waiting;
	}
	return waiting;
}

int cq_estimate_s(int position, int doctors)
{
	return position * CONSULT_S / (doctors > 0 ? doctors : 1);
}
