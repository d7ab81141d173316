/* log.h — the one logging path of every Cabin program.
 *
 * Lines go to stderr and, when cab_log_open() was called, to a file, as
 * "2026-11-29T13:45:00.123Z LEVEL component: message". Rule: never log personal
 * data (names, NIR, dates of birth, phone numbers, readings tied to a person);
 * use pseudonymous session ids. Thread-safe. */
#ifndef CABIN_LOG_H
#define CABIN_LOG_H

#include <stdarg.h>
#include <stddef.h>

/* Severity, most to least severe. */
enum cab_log_level { CAB_LOG_ERROR, CAB_LOG_WARN, CAB_LOG_INFO, CAB_LOG_DEBUG };

/* Sets the least severe level printed (default CAB_LOG_INFO; CABIN_LOG=debug in
 * the environment sets CAB_LOG_DEBUG at first use). */
void cab_log_set_level(enum cab_log_level level);

/* Also appends every line to PATH (created 0600). Returns 0, or -errno. */
int cab_log_open(const char *path);

/* Closes the file opened by cab_log_open(), if any. */
void cab_log_close(void);

/* Writes one line. COMPONENT is a short module name ("flow", "ieee11073"). */
/* Copies IN to OUT (N bytes, always NUL-terminated, truncated when short) with every
 * control character written as "\xNN": C0 (0x00-0x1F, so CR, LF and ESC), DEL, and
 * the C1 controls in their UTF-8 form (U+0080-U+009F, written as the second byte).
 * Other UTF-8 passes unchanged. Every log line goes through it (cab_logv), so text
 * from the other end (incident kinds, error details, station names, patient-typed
 * strings) cannot forge a line or drive a terminal; use it too before printing such
 * text elsewhere. Returns the length written. */
size_t cab_log_escape(const char *in, char *out, size_t n);

void cab_log(enum cab_log_level level, const char *component, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Same as cab_log() with a va_list. */
void cab_logv(enum cab_log_level level, const char *component, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

#define cab_err(c, ...)   cab_log(CAB_LOG_ERROR, c, __VA_ARGS__)
#define cab_warn(c, ...)  cab_log(CAB_LOG_WARN, c, __VA_ARGS__)
#define cab_info(c, ...)  cab_log(CAB_LOG_INFO, c, __VA_ARGS__)
#define cab_debug(c, ...) cab_log(CAB_LOG_DEBUG, c, __VA_ARGS__)

#endif
