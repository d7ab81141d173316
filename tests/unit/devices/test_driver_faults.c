/* test_driver_faults.c — fault injection on the driver conversations (STYLE.md #9):
 * the Omron and CMS50 drivers run directly (open -> run -> close, as the manager
 * does) on their simulators through a wrapper transport that fails its Nth
 * operation with an I/O error, a timeout, a disconnection, or answers with a
 * malformed report. For every N: no crash, a negative result or a clean stop,
 * close always runs, no leak (ASan/valgrind builds), and after a disconnection the
 * driver does not talk to the device again. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/clock.h"
#include "devices/internal/driver.h"
#include "devices/internal/transports.h"

enum fault { F_IO, F_TIMEOUT, F_GONE, F_BAD_REPORT };

struct faulty {
	struct cdi_transport *inner;
	int fail_at, ops;         /* op index that fails; ops counted so far */
	enum fault kind;
	int failed;               /* the fault happened */
	int writes_after_gone;    /* writes attempted after a CDI_T_GONE fault */
};

static int fault_now(struct faulty *f)
{
	int k = f->ops++;
	if (k == f->fail_at)
		f->failed = 1;
	return k == f->fail_at;
}

static int fault_code(const struct faulty *f)
{
	return f->kind == F_IO ? CDI_T_IO : f->kind == F_TIMEOUT ? CDI_T_TIMEOUT : CDI_T_GONE;
}

static int f_read(struct cdi_transport *t, uint8_t *buf, size_t len, int ms)
{
	struct faulty *f = t->impl;
	if (f->failed && f->kind == F_GONE)
		return CDI_T_GONE;
	if (fault_now(f)) {
		if (f->kind == F_BAD_REPORT) {
			memset(buf, 0xEE, len < 8 ? len : 8); /* count byte 0xEE: absurd */
			return (int)(len < 8 ? len : 8);
		}
		return fault_code(f);
	}
	return f->inner->ops->read(f->inner, buf, len, ms);
}

static int f_write(struct cdi_transport *t, const uint8_t *buf, size_t len, int ms)
{
	struct faulty *f = t->impl;
	if (f->failed && f->kind == F_GONE) {
		f->writes_after_gone++;
		return CDI_T_GONE;
	}
	if (fault_now(f) && f->kind != F_BAD_REPORT)
		return fault_code(f);
	return f->inner->ops->write(f->inner, buf, len, ms);
}

static int f_feature(struct cdi_transport *t, const uint8_t *buf, size_t len)
{
	struct faulty *f = t->impl;
	if (f->failed && f->kind == F_GONE)
		return CDI_T_GONE;
	if (fault_now(f) && f->kind != F_BAD_REPORT)
		return fault_code(f);
	return cdi_transport_set_feature(f->inner, buf, len);
}

static void f_close(struct cdi_transport *t)
{
	struct faulty *f = t->impl;
	f->inner->ops->close(f->inner);
	f->inner = NULL;
	free(t);
}

static const struct cdi_transport_ops faulty_ops = {
	.name = "faulty", .read = f_read, .write = f_write, .close = f_close, .set_feature = f_feature,
};

/* Host side: count what the driver reports. */
static int n_readings, n_states;
static void h_reading(struct cdi_device *d, const struct cab_reading *r) { (void)d; (void)r; n_readings++; }
static void h_wave(struct cdi_device *d, uint32_t m, const float *s, size_t n, double hz) { (void)d; (void)m; (void)s; (void)n; (void)hz; }
static void h_state(struct cdi_device *d, enum cab_dev_state s, enum cab_incident i, const char *x) { (void)d; (void)s; (void)i; (void)x; n_states++; }
static const struct cdi_host_ops host = {.reading = h_reading, .waveform = h_wave, .state = h_state};

static void *stopper(void *arg)
{
	struct cdi_device *dev = arg;
	int64_t end = cab_mono_ms() + 300;
	while (cab_mono_ms() < end && n_readings < 2 && !cdi_stopping(dev)) {
		struct timespec ts = {0, 5 * 1000000L};
		nanosleep(&ts, NULL);
	}
	cdi_device_request_stop(dev);
	return NULL;
}

/* One run of DRIVER on simulator SIM (options OPTS) failing op FAIL_AT with KIND.
 * Returns the number of operations the run made. */
static int one_run(const char *sim_name, const char *opts, int fail_at, enum fault kind, int *rc_out,
                   int *writes_after_gone)
{
	const struct cdi_driver *drv = NULL;
	const struct cdi_simulator *sim = cdi_simulator_find(sim_name, &drv);
	struct cdi_sim *s = NULL;
	struct cdi_device dev;
	struct faulty *f = calloc(1, sizeof *f);
	struct cdi_transport *wrap = calloc(1, sizeof *wrap);
	assert_non_null(sim);
	memset(&dev, 0, sizeof dev);
	assert_int_equal(sim->start(opts, &s, &dev.cand), 0);
	if (!dev.cand.transport) { /* a pty simulator: open it as the driver would */
		const struct cdi_tty_config cfg = {.baud = 115200};
		assert_int_equal(cdi_tty_open(dev.cand.devnode, &cfg, &dev.cand.transport), 0);
	}
	f->inner = dev.cand.transport;
	f->fail_at = fail_at;
	f->kind = kind;
	wrap->ops = &faulty_ops;
	wrap->impl = f;
	dev.cand.transport = wrap;
	dev.driver = drv;
	dev.host = &host;
	n_readings = n_states = 0;
	cdi_device_request_measure(&dev);
	int rc = drv->open(&dev);
	if (rc == 0) {
		pthread_t th;
		pthread_create(&th, NULL, stopper, &dev);
		rc = drv->run(&dev);
		cdi_device_request_stop(&dev);
		pthread_join(th, NULL);
	}
	drv->close(&dev);
	assert_null(dev.transport);
	assert_null(dev.priv);
	int ops = f->ops;
	*rc_out = rc;
	*writes_after_gone = f->writes_after_gone;
	free(f);
	sim->stop(s);
	return ops;
}

static void sweep(const char *sim, const char *opts)
{
	int rc, wag;
	int total = one_run(sim, opts, -1, F_IO, &rc, &wag); /* clean run: how many ops */
	assert_int_equal(rc, 0);
	assert_true(n_readings >= 2);
	assert_true(total > 3);
	fprintf(stderr, "# %s: %d operations in a clean run\n", sim, total);
	for (int k = 0; k < total && k < 40; k++) {
		for (int kind = F_IO; kind <= F_BAD_REPORT; kind++) {
			int64_t t0 = cab_mono_ms();
			one_run(sim, opts, k, (enum fault)kind, &rc, &wag);
			if (getenv("FAULTS_VERBOSE"))
				fprintf(stderr, "# %s op %d fault %d: rc %d, %lld ms\n", sim, k, kind, rc,
				        (long long)(cab_mono_ms() - t0));
			if (kind == F_GONE) {
				assert_int_equal(wag, 0); /* never talks to a device that is gone */
				assert_true(rc == CDI_T_GONE || rc == 0);
			}
		}
	}
}

static void omron_every_operation_fails_once(void **state)
{
	(void)state;
	setenv("CABIN_OMRON_POLL_MS", "10", 1);
	sweep("omron-hem", "measure_ms=50,sys=130,dia=85,pulse=70");
	unsetenv("CABIN_OMRON_POLL_MS");
}

static void cms50_every_operation_fails_once(void **state)
{
	(void)state;
	sweep("cms50", "spo2=96,pr=66");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(omron_every_operation_fails_once),
		cmocka_unit_test(cms50_every_operation_fails_once),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
