/* state_log.h — the state log: one JSON line per transition,
 * {"t": ms, "from": "state", "to": "state", "event": "name"}, written by
 * `cabin --state-log FILE` and read by the screen tests. */
#ifndef CABIN_FLOW_STATE_LOG_H
#define CABIN_FLOW_STATE_LOG_H

#include <stddef.h>
#include <stdio.h>

#include "kiosk/flow/flow.h"

/* Formats T as one JSON line with its trailing '\n', exactly
 * {"t": 1795959900123, "from": "consent", "to": "identity", "event": "consent_given"}
 * into BUF. Returns the length (without NUL), or -1 when SIZE is too small. */
int cab_flow_state_log_format(const struct cab_flow_transition *t, char *buf, size_t size);

/* Appends the line for T to FP and flushes. Returns 0, or -1 on a write error. */
int cab_flow_state_log_append(FILE *fp, const struct cab_flow_transition *t);

/* A ready observer: USER is the FILE * to append to (opened by the caller in "a"
 * mode). Use: cab_flow_add_observer(f, cab_flow_state_log_observer, fp). */
void cab_flow_state_log_observer(void *user, const struct cab_flow_transition *t);

#endif
