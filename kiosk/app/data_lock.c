/* data_lock.c — the exclusive lock on the data directory (data_lock.h). */
#include "kiosk/app/data_lock.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

int cab_data_lock(const char *dir, pid_t *owner, char *err, size_t size)
{
	char path[PATH_MAX];
	*owner = 0;
	snprintf(path, sizeof path, "%s", dir);
	for (char *p = path + 1;; p++) { /* DIR and its parents, as the store makes them */
		if (*p != '/' && *p)
			continue;
		char c = *p;
		*p = 0;
		if (mkdir(path, 0700) && errno != EEXIST) {
			snprintf(err, size, "cannot create %s: %s", path, strerror(errno));
			return -2;
		}
		*p = c;
		if (!c)
			break;
	}
	if (snprintf(path, sizeof path, "%s/cabin.lock", dir) >= (int)sizeof path) {
		snprintf(err, size, "data directory path too long");
		return -2;
	}
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0) {
		snprintf(err, size, "cannot open %s: %s", path, strerror(errno));
		return -2;
	}
	if (flock(fd, LOCK_EX | LOCK_NB)) {
		int e = errno;
		if (e == EWOULDBLOCK) {
			char buf[24] = "";
			ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
			if (n > 0) {
				buf[n] = 0;
				*owner = (pid_t)strtol(buf, NULL, 10);
			}
			close(fd);
			return -1;
		}
		snprintf(err, size, "cannot lock %s: %s", path, strerror(e));
		close(fd);
		return -2;
	}
	char pid[24];
	int n = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) || pwrite(fd, pid, (size_t)n, 0) != n) {
		snprintf(err, size, "cannot write %s: %s", path, strerror(errno));
		close(fd);
		return -2;
	}
	return fd;
}
