/* hook.c — client of the cabin's test hook (kiosk/app/test_hook.h): sends commands
 * to CABIN_TEST_HOOK's socket, and plays whole scripted sessions for the soak, the
 * valgrind run and the benchmarks. Synthetic identity only (MARTIN Camille).
 *   hook SOCK CMD [ARGS...]          one command; prints the reply; exit 0 on "ok"
 *   hook SOCK --session [OPTIONS]    one whole session, attract to attract
 *   hook SOCK --soak N PID [OPTIONS] N sessions; VmRSS and fd count of PID after
 *                                    each; figures printed; exit 1 on a failure
 * OPTIONS: --lang fr|en|alt (alt: French and English in turn, soak only), --measure TILE (repeatable, 0 thermometer .. 3 scale),
 *          --call-ms MS (time in the consultation), --until STATE (stop there),
 *          --doctor-fifo FIFO --request KIND (repeatable: the doctor asks for a
 *          measurement during the call through cabin-doctor's stdin),
 *          --timeout-ms MS (per step, default 20000). */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static const char *sock_path;
static int step_timeout_ms = 20000;

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

/* Sends one command, puts the reply line (without newline) in OUT. Returns 0 when
 * the reply starts with "ok", 1 on "err", -1 on a connection problem. */
static int cmd(char *out, size_t n, const char *fmt, ...)
{
	char line[1100];
	va_list ap;
	va_start(ap, fmt);
	int len = vsnprintf(line, sizeof line - 1, fmt, ap);
	va_end(ap);
	if (len < 0 || len >= (int)sizeof line - 1)
		return -1;
	line[len++] = '\n';
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	snprintf(sa.sun_path, sizeof sa.sun_path, "%s", sock_path);
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa) || write(fd, line, (size_t)len) != len) {
		snprintf(out, n, "err connect %s: %s", sock_path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	size_t got = 0;
	while (got + 1 < n) {
		ssize_t r = read(fd, out + got, n - 1 - got);
		if (r <= 0)
			break;
		got += (size_t)r;
		if (memchr(out, '\n', got))
			break;
	}
	close(fd);
	out[got] = 0;
	out[strcspn(out, "\n")] = 0;
	if (!got)
		return -1;
	return strncmp(out, "ok", 2) ? 1 : 0;
}

/* Current flow state into ST. */
static int state(char *st, size_t n)
{
	char r[256];
	if (cmd(r, sizeof r, "state"))
		return -1;
	return sscanf(r, "ok %63s", st) == 1 && n > 0 ? 0 : -1;
}

static int wait_state(const char *want)
{
	char st[64] = "";
	long long end = now_ms() + step_timeout_ms;
	while (now_ms() < end) {
		if (state(st, sizeof st) == 0 && !strcmp(st, want))
			return 0;
		sleep_ms(20);
	}
	fprintf(stderr, "hook: waited for %s, still %s\n", want, st);
	return -1;
}

/* Taps NAME once it is enabled on screen (retrying until the step timeout). */
static int tap(const char *name)
{
	char r[256];
	long long end = now_ms() + step_timeout_ms;
	while (now_ms() < end) {
		int rc = cmd(r, sizeof r, "tap %s", name);
		if (rc == 0)
			return 0;
		if (rc < 0)
			break;
		sleep_ms(20);
	}
	fprintf(stderr, "hook: tap %s: %s\n", name, r);
	return -1;
}

/* True when ST is one of the '|'-separated states in LIST. */
static bool one_of(const char *st, const char *list)
{
	size_t n = strlen(st);
	for (const char *p = list; p && *p; p = strchr(p, '|') ? strchr(p, '|') + 1 : NULL)
		if (!strncmp(p, st, n) && (p[n] == 0 || p[n] == '|'))
			return true;
	return false;
}

/* Taps NAME until the flow leaves state FROM for TO (states separated by '|') (a tap may meet the cleaning
 * screen or a screen not yet drawn). */
static int tap_until(const char *name, const char *from, const char *to)
{
	char st[64] = "";
	long long end = now_ms() + step_timeout_ms;
	while (now_ms() < end) {
		if (state(st, sizeof st) == 0 && one_of(st, to))
			return 0;
		if (!strcmp(st, from)) {
			char r[256];
			cmd(r, sizeof r, "tap %s", name);
		}
		sleep_ms(40);
	}
	fprintf(stderr, "hook: %s from %s did not reach %s (now %s)\n", name, from, to, st);
	return -1;
}

static int form(const char *field, const char *value)
{
	char r[256];
	if (cmd(r, sizeof r, "form %s %s", field, value)) {
		fprintf(stderr, "hook: form %s: %s\n", field, r);
		return -1;
	}
	return 0;
}

static int measured(int t, int before);
static int readings(void);

struct session_opts {
	const char *lang;
	int measure[8], n_measure;
	int call_ms;
	const char *until;
	const char *doctor_fifo; /* cabin-doctor's stdin (a fifo), for requests */
	const char *request[8];  /* instrument kinds the doctor asks for in the call */
	int n_request;
};

/* The doctor asks for a measurement of KIND (cabin-doctor's "measure S KIND"); waits
 * until the cabin's tile shows the new value. */
static int doctor_request(const char *fifo, const char *kind)
{
	static const char *kinds[] = {"thermometer", "blood-pressure", "pulse-oximeter", "scale"};
	char r[256], sid[64];
	int t = -1;
	for (int i = 0; i < 4; i++)
		if (!strcmp(kind, kinds[i]))
			t = i;
	if (t < 0 || !fifo || cmd(r, sizeof r, "sid") || sscanf(r, "ok %63s", sid) != 1)
		return -1;
	int before = readings();
	FILE *f = fopen(fifo, "w");
	if (!f)
		return -1;
	fprintf(f, "measure %s %s\n", sid, kind);
	fclose(f);
	return measured(t, before);
}

static int readings(void)
{
	char r[64];
	int k = -1;
	if (cmd(r, sizeof r, "readings") || sscanf(r, "ok %d", &k) != 1)
		return -1;
	return k;
}

/* Waits until the cabin has sent more than BEFORE readings to the doctor (a
 * measurement of tile T stored and queued); a failed tile is a failure. */
static int measured(int t, int before)
{
	char r[256] = "";
	long long end = now_ms() + step_timeout_ms;
	while (now_ms() < end) {
		int st = -1;
		if (readings() > before)
			return 0;
		if (cmd(r, sizeof r, "tile %d", t) == 0 && sscanf(r, "ok %d", &st) == 1 && st >= 3)
			break;
		sleep_ms(20);
	}
	fprintf(stderr, "hook: tile %d not measured: %s\n", t, r);
	return -1;
}

#define STEP(x)                                                                                    \
	do {                                                                                       \
		if ((x))                                                                           \
			return -1;                                                                 \
		if (o->until && !strcmp(o->until, reached))                                        \
			return 0;                                                                  \
	} while (0)

static int session(const struct session_opts *o)
{
	const char *reached = "";
	STEP(wait_state("attract"));
	STEP(tap_until("start", "attract", "language"));
	reached = "language";
	if (o->until && !strcmp(o->until, reached))
		return 0;
	STEP(tap_until(!strcmp(o->lang, "en") ? "lang_en" : "lang_fr", "language", "information"));
	reached = "information";
	if (o->until && !strcmp(o->until, reached))
		return 0;
	STEP(tap_until("next", "information", "consent"));
	reached = "consent";
	if (o->until && !strcmp(o->until, reached))
		return 0;
	STEP(tap("consent_tele/0") || tap("consent_data/0"));
	STEP(tap_until("next", "consent", "identity"));
	reached = "identity";
	if (o->until && !strcmp(o->until, reached))
		return 0;
	/* NIR 2 85 07 42 218 001, key 97 - (2850742218001 mod 97) */
	long long body = 2850742218001LL;
	char nir[24];
	snprintf(nir, sizeof nir, "%lld %02lld", body, 97 - body % 97);
	STEP(form("birth_name", "MARTIN") || form("first_names", "Camille") ||
	     form("birth_date", "14/07/1985") || form("sex", "0") || form("place", "42218") ||
	     form("nir", nir) || form("phone", "0612345678"));
	STEP(tap_until("next", "identity", "checks"));
	reached = "checks";
	if (o->until && !strcmp(o->until, reached))
		return 0;
	STEP(tap_until("next", "checks", "waiting_room|consultation"));
	reached = "waiting_room";
	if (o->until && !strcmp(o->until, reached))
		return 0;
	for (int i = 0; i < o->n_measure; i++) {
		char w[32];
		snprintf(w, sizeof w, "measure/%d", o->measure[i]);
		int before = readings();
		STEP(tap(w) || measured(o->measure[i], before));
	}
	STEP(wait_state("consultation"));
	reached = "consultation";
	if (o->until && !strcmp(o->until, reached))
		return 0;
	for (int i = 0; i < o->n_request; i++) /* the doctor asks, from cabin-doctor's stdin */
		STEP(doctor_request(o->doctor_fifo, o->request[i]));
	if (o->call_ms > 0)
		sleep_ms(o->call_ms);
	STEP(tap_until("end_call", "consultation", "summary"));
	reached = "summary";
	if (o->until && !strcmp(o->until, reached))
		return 0;
	STEP(tap_until("next", "summary", "wipe"));
	reached = "wipe";
	if (o->until && !strcmp(o->until, reached))
		return 0;
	STEP(wait_state("attract"));
	return 0;
}

static long vm_rss_kb(int pid)
{
	char p[64], line[256];
	long kb = -1;
	snprintf(p, sizeof p, "/proc/%d/status", pid);
	FILE *f = fopen(p, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "VmRSS: %ld", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

static int fd_count(int pid)
{
	char p[64];
	int n = 0;
	snprintf(p, sizeof p, "/proc/%d/fd", pid);
	DIR *d = opendir(p);
	if (!d)
		return -1;
	struct dirent *e;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

static int soak(int count, int pid, const struct session_opts *o)
{
	long rss50 = -1, rss_end = -1;
	int fd50 = -1, fd_end = -1, failed = 0;
	int early = count >= 50 ? 50 : 1, fd_early_max = 0, fd_late_max = 0; /* fd counts vary by one
	                                      * while a socket or journal is open: compare maxima */
	long long t0 = now_ms();
	for (int i = 1; i <= count; i++) {
		long long ts = now_ms();
		struct session_opts so = *o;
		if (!strcmp(o->lang, "alt")) /* French and English in turn */
			so.lang = i % 2 ? "fr" : "en";
		if (session(&so)) {
			failed++;
			fprintf(stderr, "soak: session %d failed\n", i);
			printf("soak: session %d FAILED\n", i);
			fflush(stdout);
			break;
		}
		long rss = vm_rss_kb(pid);
		int fds = fd_count(pid);
		if (i <= early && fds > fd_early_max)
			fd_early_max = fds;
		if (i > count - early && fds > fd_late_max)
			fd_late_max = fds;
		if (i == (count >= 50 ? 50 : 1)) {
			rss50 = rss;
			fd50 = fds;
		}
		rss_end = rss;
		fd_end = fds;
		if (i % 10 == 0 || i == 1)
			printf("soak: session %d done in %lld ms, VmRSS %ld kB, %d fds\n", i, now_ms() - ts, rss, fds);
		fflush(stdout);
	}
	double growth = rss50 > 0 ? 100.0 * (double)(rss_end - rss50) / (double)rss50 : 0;
	printf("soak: %d sessions, %d failed, %.1f s\n", count, failed, (double)(now_ms() - t0) / 1000);
	printf("soak: VmRSS at session %d: %ld kB, at the end: %ld kB, growth %.2f %% (limit 10 %%)\n",
	       count >= 50 ? 50 : 1, rss50, rss_end, growth);
	printf("soak: fds at session %d: %d, at the end: %d; max over the first %d sessions %d, over the "
	       "last %d: %d\n", early, fd50, fd_end, early, fd_early_max, early, fd_late_max);
	if (failed || growth >= 10.0 || fd_late_max > fd_early_max || rss50 <= 0) {
		printf("soak: FAILED\n");
		return 1;
	}
	printf("soak: ok\n");
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: hook SOCK CMD [ARGS...] | --session [opts] | --soak N PID [opts]\n");
		return 2;
	}
	sock_path = argv[1];
	struct session_opts o = {.lang = "fr", .call_ms = 0};
	int first_opt = 3, count = 0, pid = 0;
	bool is_session = !strcmp(argv[2], "--session"), is_soak = !strcmp(argv[2], "--soak");
	if (is_soak) {
		if (argc < 5)
			return 2;
		count = atoi(argv[3]);
		pid = atoi(argv[4]);
		first_opt = 5;
	}
	if (is_session || is_soak) {
		for (int i = first_opt; i < argc; i++) {
			const char *v = i + 1 < argc ? argv[i + 1] : NULL;
			if (!v)
				return 2;
			if (!strcmp(argv[i], "--lang"))
				o.lang = v;
			else if (!strcmp(argv[i], "--measure") && o.n_measure < 8)
				o.measure[o.n_measure++] = atoi(v);
			else if (!strcmp(argv[i], "--doctor-fifo"))
				o.doctor_fifo = v;
			else if (!strcmp(argv[i], "--request") && o.n_request < 8)
				o.request[o.n_request++] = v;
			else if (!strcmp(argv[i], "--call-ms"))
				o.call_ms = atoi(v);
			else if (!strcmp(argv[i], "--until"))
				o.until = v;
			else if (!strcmp(argv[i], "--timeout-ms"))
				step_timeout_ms = atoi(v);
			else
				return 2;
			i++;
		}
		if (is_soak)
			return soak(count, pid, &o);
		int rc = session(&o);
		printf(rc ? "session failed\n" : "session ok\n");
		return rc ? 1 : 0;
	}
	char line[1024] = "", reply[8192];
	size_t l = 0;
	for (int i = 2; i < argc && l < sizeof line - 2; i++)
		l += (size_t)snprintf(line + l, sizeof line - l, "%s%s", i > 2 ? " " : "", argv[i]);
	int rc = cmd(reply, sizeof reply, "%s", line);
	printf("%s\n", reply);
	return rc == 0 ? 0 : 1;
}
