/* marker_store.c — marker files standing in for the store in recovery (see
 * marker_store.h). */
#include "kiosk/service/marker_store.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "atomic_file.h"

static void path_of(const struct cab_marker_store *s, const char *name, char *buf, size_t size)
{
	snprintf(buf, size, "%s/%s", s->dir, name);
}

static int inspect(void *user, struct cab_recovery_facts *out)
{
	struct cab_marker_store *s = user;
	char p[600], text[CAB_RECOVERY_ID_MAX];
	int n = cab_file_read(s->dir, "session.open", text, sizeof text);
	if (n >= 0) {
		out->session_open = true;
		text[strcspn(text, "\n")] = '\0';
		memcpy(out->session_id, text, sizeof out->session_id);
	} else if (n != -ENOENT) {
		return n;
	}
	path_of(s, "patient.data", p, sizeof p);
	out->patient_data_left = access(p, F_OK) == 0;
	return 0;
}

static int queue_incident(void *user, const char *id, const char *code)
{
	struct cab_marker_store *s = user;
	char p[600], line[256], want[256];
	snprintf(want, sizeof want, "%s %s\n", code, id);
	path_of(s, "incidents", p, sizeof p);
	int fd = open(p, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	FILE *f = fdopen(fd, "a+");
	if (!f) {
		close(fd);
		return -errno;
	}
	rewind(f);
	while (fgets(line, sizeof line, f))
		if (!strcmp(line, want)) {
			fclose(f);
			return 0;
		}
	fputs(want, f);
	fflush(f);
	fsync(fileno(f));
	return fclose(f) ? -errno : 0;
}

static int remove_file(const struct cab_marker_store *s, const char *name)
{
	char p[600];
	path_of(s, name, p, sizeof p);
	return unlink(p) && errno != ENOENT ? -errno : 0;
}

static int abort_session(void *user, const char *id)
{
	(void)id;
	return remove_file(user, "session.open");
}

static int wipe(void *user, const char *id)
{
	(void)id;
	return remove_file(user, "patient.data");
}

void cab_marker_store_init(struct cab_marker_store *s, const char *dir,
                           struct cab_recovery_store *out)
{
	snprintf(s->dir, sizeof s->dir, "%s", dir);
	*out = (struct cab_recovery_store){inspect, queue_incident, abort_session, wipe, s};
}

int cab_marker_session_open(struct cab_marker_store *s, const char *id)
{
	char line[128];
	int n = snprintf(line, sizeof line, "%s\n", id);
	int rc = cab_atomic_write(s->dir, "patient.data", "", 0);
	return rc ? rc : cab_atomic_write(s->dir, "session.open", line, (size_t)n);
}

int cab_marker_session_close(struct cab_marker_store *s)
{
	int rc = remove_file(s, "patient.data");
	int rc2 = remove_file(s, "session.open");
	return rc ? rc : rc2;
}
