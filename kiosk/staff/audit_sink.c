/* audit_sink.c — role names and the NULL-safe audit emitter (see audit_sink.h). */
#include "kiosk/staff/audit_sink.h"

#include <stdarg.h>
#include <stdio.h>

#include "log.h"

const char *cab_role_name(enum cab_role role)
{
	switch (role) {
	case CAB_ROLE_PHARMACIST:
		return "pharmacist";
	case CAB_ROLE_TECHNICIAN:
		return "technician";
	case CAB_ROLE_SYSTEM:
		return "system";
	}
	return "unknown";
}

void cab_svc_audit_emit(const struct cab_svc_audit *audit, enum cab_role who, const char *what,
                        const char *detail)
{
	if (!detail)
		detail = "";
	cab_info("service", "%s %s%s%s", cab_role_name(who), what, *detail ? " " : "", detail);
	if (audit && audit->record)
		audit->record(audit->user, who, what, detail);
}

void cab_svc_audit_emitf(const struct cab_svc_audit *audit, enum cab_role who, const char *what,
                         const char *fmt, ...)
{
	char detail[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(detail, sizeof detail, fmt, ap);
	va_end(ap);
	cab_svc_audit_emit(audit, who, what, detail);
}
