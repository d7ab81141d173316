/* log.c — stderr and optional file logging with UTC timestamps (see log.h). */
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static int log_level = -1;   /* -1: not yet read from the environment */
static FILE *log_file;

static const char *const level_names[] = {"ERROR", "WARN", "INFO", "DEBUG"};

void cab_log_set_level(enum cab_log_level level)
{
	pthread_mutex_lock(&log_lock);
	log_level = (int)level;
	pthread_mutex_unlock(&log_lock);
}

int cab_log_open(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	FILE *f = fdopen(fd, "a");
	if (!f) {
		int e = errno;
		close(fd);
		return -e;
	}
	setvbuf(f, NULL, _IOLBF, 0);
	pthread_mutex_lock(&log_lock);
	if (log_file)
		fclose(log_file);
	log_file = f;
	pthread_mutex_unlock(&log_lock);
	return 0;
}

void cab_log_close(void)
{
	pthread_mutex_lock(&log_lock);
	if (log_file)
		fclose(log_file);
	log_file = NULL;
	pthread_mutex_unlock(&log_lock);
}

size_t cab_log_escape(const char *in, char *out, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;
	if (!n)
		return 0;
	for (const unsigned char *p = (const unsigned char *)in; *p; p++) {
		unsigned c = *p;
		/* C0 controls and DEL, and the UTF-8 form of the C1 controls (C2 80..9F,
		 * e.g. CSI): written as \xNN so no line can be forged or a terminal driven. */
		int c1 = c == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F;
		if (c < 0x20 || c == 0x7F || c1) {
			if (o + 4 >= n)
				break;
			if (c1)
				c = *++p;
			out[o++] = '\\';
			out[o++] = 'x';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 15];
		} else {
			if (o + 1 >= n)
				break;
			out[o++] = (char)c;
		}
	}
	out[o] = '\0';
	return o;
}

void cab_logv(enum cab_log_level level, const char *component, const char *fmt, va_list ap)
{
	char raw[1024], msg[1024], stamp[32];
	struct timeval tv;
	struct tm tm;

	pthread_mutex_lock(&log_lock);
	if (log_level < 0) {
		const char *env = getenv("CABIN_LOG");
		log_level = env && !strcmp(env, "debug") ? CAB_LOG_DEBUG : CAB_LOG_INFO;
	}
	if ((int)level > log_level) {
		pthread_mutex_unlock(&log_lock);
		return;
	}
	vsnprintf(raw, sizeof raw, fmt, ap);
	cab_log_escape(raw, msg, sizeof msg); /* text from the other end included */
	gettimeofday(&tv, NULL);
	gmtime_r(&tv.tv_sec, &tm);
	strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
	fprintf(stderr, "%s.%03ldZ %s %s: %s\n", stamp, (long)(tv.tv_usec / 1000),
	        level_names[level], component, msg);
	if (log_file)
		fprintf(log_file, "%s.%03ldZ %s %s: %s\n", stamp, (long)(tv.tv_usec / 1000),
		        level_names[level], component, msg);
	pthread_mutex_unlock(&log_lock);
}

void cab_log(enum cab_log_level level, const char *component, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	cab_logv(level, component, fmt, ap);
	va_end(ap);
}
