/* deadline.c — deadline states for warnings (see deadline.h). */
#include "kiosk/service/deadline.h"

enum cab_deadline_state cab_deadline_state(int64_t deadline_ms, int64_t now_ms, int warn_days,
                                           int *days_left)
{
	int64_t left = deadline_ms - now_ms;
	int64_t days = left >= 0 ? left / CAB_DAY_MS : -((-left + CAB_DAY_MS - 1) / CAB_DAY_MS);
	if (days_left)
		*days_left = deadline_ms > 0 ? (int)days : 0;
	if (deadline_ms <= 0)
		return CAB_DEADLINE_UNKNOWN;
	if (left > (int64_t)warn_days * CAB_DAY_MS)
		return CAB_DEADLINE_OK;
	if (left > 0)
		return CAB_DEADLINE_SOON;
	if (left > -CAB_DAY_MS)
		return CAB_DEADLINE_DUE;
	return CAB_DEADLINE_PAST;
}

const char *cab_deadline_name(enum cab_deadline_state s)
{
	switch (s) {
	case CAB_DEADLINE_OK:
		return "ok";
	case CAB_DEADLINE_SOON:
		return "soon";
	case CAB_DEADLINE_DUE:
		return "due";
	case CAB_DEADLINE_PAST:
		return "past";
	case CAB_DEADLINE_UNKNOWN:
		break;
	}
	return "unknown";
}
