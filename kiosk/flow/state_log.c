/* state_log.c — formats and appends the state log's JSON lines (see state_log.h). */
#include "kiosk/flow/state_log.h"

#include <inttypes.h>

int cab_flow_state_log_format(const struct cab_flow_transition *t, char *buf, size_t size)
{
	/* The names are fixed lower-case ASCII identifiers: no JSON escaping needed. */
	int n = snprintf(buf, size, "{\"t\": %" PRId64 ", \"from\": \"%s\", \"to\": \"%s\", "
	                 "\"event\": \"%s\"}\n", t->t_ms, cab_flow_state_name(t->from),
	                 cab_flow_state_name(t->to), cab_flow_event_name(t->event));
	if (n < 0 || (size_t)n >= size)
		return -1;
	return n;
}

int cab_flow_state_log_append(FILE *fp, const struct cab_flow_transition *t)
{
	char line[256];
	int n = cab_flow_state_log_format(t, line, sizeof line);
	if (n < 0 || !fp)
		return -1;
	if (fwrite(line, 1, (size_t)n, fp) != (size_t)n || fflush(fp) != 0)
		return -1;
	return 0;
}

void cab_flow_state_log_observer(void *user, const struct cab_flow_transition *t)
{
	cab_flow_state_log_append((FILE *)user, t);
}
