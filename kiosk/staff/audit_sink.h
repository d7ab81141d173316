/* audit_sink.h — how the service module reports what staff did: a small callback
 * interface the application binds to the store's hash-chained audit log. Events
 * carry a role, a dotted event name and a short detail, never personal data. */
#ifndef CABIN_STAFF_AUDIT_SINK_H
#define CABIN_STAFF_AUDIT_SINK_H

/* Who acted. CAB_ROLE_SYSTEM is the cabin itself (a timeout, a recovery). */
enum cab_role {
	CAB_ROLE_PHARMACIST = 0,
	CAB_ROLE_TECHNICIAN = 1,
	CAB_ROLE_SYSTEM = 2,
};

/* Number of roles that hold a credential (pharmacist and technician). */
#define CAB_ROLE_CREDENTIALS 2

/* "pharmacist", "technician", "system", or "unknown". */
const char *cab_role_name(enum cab_role role);

/* The audit callback. WHAT is a dotted event name (see docs/service.md, e.g.
 * "auth.ok", "auth.fail", "auth.lockout", "cleaning.confirmed"); DETAIL is a short
 * "key=value key=value" text or "" — counts, durations, pseudonymous ids only.
 * Both strings are valid only during the call. Called on the thread that acted
 * (the main thread for everything in kiosk/service). */
struct cab_svc_audit {
	void (*record)(void *user, enum cab_role who, const char *what, const char *detail);
	void *user;
};

/* Calls AUDIT->record when AUDIT and its callback are set; DETAIL may be NULL
 * (passed as ""). Also writes one info log line "service: <who> <what> <detail>". */
void cab_svc_audit_emit(const struct cab_svc_audit *audit, enum cab_role who, const char *what,
                        const char *detail);

/* printf-style variant for the detail text (truncated at 255 bytes). */
void cab_svc_audit_emitf(const struct cab_svc_audit *audit, enum cab_role who, const char *what,
                         const char *fmt, ...) __attribute__((format(printf, 4, 5)));

#endif
