/* phdc_emul.c — replay test of the ieee11073-phdc driver through its real libusb
 * transport: a umockdev C device model of the EFM32 PHDC glucometer (descriptors from
 * tests/devices/ieee11073-phdc/, class 0x0F interface with its PHDC descriptors,
 * bulk IN 0x81 / bulk OUT 0x02) answers the usbdevfs ioctls libusb makes, and serves
 * the APDUs of the simulated 11073 glucometer agent (devices/sim/ieee11073_agent.c)
 * on its bulk endpoints, in 64-byte packets (so the driver reassembles APDUs). The
 * driver is found through the generated registry, opened, run on a thread and closed
 * as the device manager does. Prints TAP. Must run under umockdev-wrapper
 * (tests/devices/ieee11073-phdc.test.sh). Device model after
 * ../shared/recipes/umockdev-usb/usb_emul.c (own code). */
#include <sys/ioctl.h>
#include <linux/usbdevice_fs.h>
#include <umockdev.h>

#include <errno.h>
#include <glib.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cabin/mdc.h"
#include "common/clock.h"
#include "devices/internal/driver.h"
#include "devices/proto/ieee11073/apdu.h"
#include "devices/proto/ieee11073/nomenclature.h"
#include "devices/sim/ieee11073_agent.h"

#define DEVNODE "/dev/bus/usb/001/002"
#define PACKET 64

struct pending {
	UMockdevIoctlData *urbd, *bufd;
	gboolean cancelled;
};

static GMutex lock;
static GQueue pending = G_QUEUE_INIT;
static GByteArray *bulk_in;            /* bytes the agent sends (ep 0x81) */
static struct cab_sim11073 agent;
static int measurement_queued, seg_clear_seen, out_apdus;
static double glucose = 98.0;

/* The agent's answer to one APDU from the manager; then the measurement once the
 * association is up and the clock was set. */
static void agent_takes(const uint8_t *apdu, size_t len)
{
	uint8_t reply[512];
	struct ieee_apdu a;
	size_t n;

	if (!ieee_apdu_parse(apdu, len, &a, NULL, NULL, 0) && a.type == IEEE_APDU_PRST &&
	    (a.u.prst.choice == IEEE_ROIV_CONF_ACTION || a.u.prst.choice == IEEE_ROIV_ACTION) &&
	    a.u.prst.u.action.action_type == IEEE_ACT_SEG_CLR)
		seg_clear_seen++;
	out_apdus++;
	n = cab_sim11073_receive(&agent, apdu, len, reply, sizeof reply);
	if (n)
		g_byte_array_append(bulk_in, reply, (guint)n);
	if (agent.assoc_result == 0 && agent.time_set && !measurement_queued) {
		n = cab_sim11073_measurement(&agent, &glucose, 1, agent.clock_ms, reply, sizeof reply);
		g_byte_array_append(bulk_in, reply, (guint)n);
		measurement_queued = 1;
	}
}

static gboolean urb_done(struct pending *p)
{
	struct usbdevfs_urb *urb = (struct usbdevfs_urb *)p->urbd->data;
	unsigned char *buf = p->bufd ? p->bufd->data : NULL;

	if (p->cancelled) {
		urb->status = -ENOENT;
		urb->actual_length = 0;
		return TRUE;
	}
	if (urb->type == USBDEVFS_URB_TYPE_CONTROL) {
		urb->status = -EPIPE; /* no class or vendor requests are needed */
		urb->actual_length = 0;
		return TRUE;
	}
	if (urb->endpoint == 0x02) { /* bulk OUT: one whole APDU per transfer */
		agent_takes(buf, (size_t)urb->buffer_length);
		urb->status = 0;
		urb->actual_length = urb->buffer_length;
		return TRUE;
	}
	if (urb->endpoint != 0x81) {
		urb->status = -EPIPE;
		urb->actual_length = 0;
		return TRUE;
	}
	if (bulk_in->len == 0)
		return FALSE; /* NAK: stays pending until the agent has something */
	guint n = MIN(MIN(bulk_in->len, (guint)urb->buffer_length), PACKET);
	memcpy(buf, bulk_in->data, n);
	g_byte_array_remove_range(bulk_in, 0, n);
	urb->status = 0;
	urb->actual_length = (int)n;
	return TRUE;
}

static gboolean on_ioctl(UMockdevIoctlBase *h, UMockdevIoctlClient *client, gpointer user)
{
	(void)h;
	(void)user;
	gulong req = umockdev_ioctl_client_get_request(client);
	UMockdevIoctlData *arg = umockdev_ioctl_client_get_arg(client);
	GError *err = NULL;

	g_mutex_lock(&lock);
	switch (req) {
	case USBDEVFS_GET_CAPABILITIES: {
		UMockdevIoctlData *d = umockdev_ioctl_data_resolve(arg, 0, sizeof(guint32), &err);
		*(guint32 *)d->data = USBDEVFS_CAP_ZERO_PACKET | USBDEVFS_CAP_BULK_CONTINUATION |
		                      USBDEVFS_CAP_NO_PACKET_SIZE_LIM;
		umockdev_ioctl_client_complete(client, 0, 0);
		break;
	}
	case USBDEVFS_CLAIMINTERFACE: case USBDEVFS_RELEASEINTERFACE: case USBDEVFS_SETINTERFACE:
	case USBDEVFS_CLEAR_HALT: case USBDEVFS_RESET: case USBDEVFS_RESETEP:
	case USBDEVFS_SETCONFIGURATION: case USBDEVFS_DISCONNECT_CLAIM:
		umockdev_ioctl_client_complete(client, 0, 0);
		break;
	case USBDEVFS_GETDRIVER:
		umockdev_ioctl_client_complete(client, -1, ENODATA);
		break;
	case USBDEVFS_SUBMITURB: {
		struct pending *p = g_new0(struct pending, 1);
		p->urbd = umockdev_ioctl_data_resolve(arg, 0, sizeof(struct usbdevfs_urb), &err);
		struct usbdevfs_urb *urb = (struct usbdevfs_urb *)p->urbd->data;
		if (urb->buffer_length > 0)
			p->bufd = umockdev_ioctl_data_resolve(p->urbd, offsetof(struct usbdevfs_urb, buffer),
			                                      (gsize)urb->buffer_length, &err);
		g_object_ref(p->urbd);
		if (p->bufd)
			g_object_ref(p->bufd);
		g_queue_push_tail(&pending, p);
		umockdev_ioctl_client_complete(client, 0, 0);
		break;
	}
	case USBDEVFS_DISCARDURB: {
		gulong addr = *(gulong *)arg->data;
		int found = 0;
		for (GList *l = pending.head; l; l = l->next) {
			struct pending *p = l->data;
			if (p->urbd->client_addr == addr) {
				p->cancelled = TRUE;
				found = 1;
			}
		}
		umockdev_ioctl_client_complete(client, found ? 0 : -1, found ? 0 : EINVAL);
		break;
	}
	case USBDEVFS_REAPURB: case USBDEVFS_REAPURBNDELAY: {
		struct pending *done = NULL;
		for (GList *l = pending.head; l; l = l->next)
			if (urb_done(l->data)) {
				done = l->data;
				g_queue_delete_link(&pending, l);
				break;
			}
		if (!done) {
			umockdev_ioctl_client_complete(client, -1, EAGAIN);
			break;
		}
		UMockdevIoctlData *pp = umockdev_ioctl_data_resolve(arg, 0, sizeof(gpointer), &err);
		umockdev_ioctl_data_set_ptr(pp, 0, done->urbd);
		umockdev_ioctl_client_complete(client, 0, 0);
		g_object_unref(done->urbd);
		if (done->bufd)
			g_object_unref(done->bufd);
		g_free(done);
		break;
	}
	default:
		umockdev_ioctl_client_complete(client, -1, ENOTTY);
	}
	if (err) {
		g_printerr("# emul: ioctl 0x%lx: %s\n", req, err->message);
		g_error_free(err);
	}
	g_mutex_unlock(&lock);
	return TRUE;
}

/* ---- host side: what the device manager would do ---- */

static pthread_mutex_t rec_lock = PTHREAD_MUTEX_INITIALIZER;
static struct cab_reading got[16];
static int n_got, ready_seen;

static void on_reading(struct cdi_device *dev, const struct cab_reading *r)
{
	(void)dev;
	pthread_mutex_lock(&rec_lock);
	if (n_got < 16)
		got[n_got++] = *r;
	pthread_mutex_unlock(&rec_lock);
}

static void on_wave(struct cdi_device *dev, uint32_t mdc, const float *s, size_t n, double hz)
{
	(void)dev; (void)mdc; (void)s; (void)n; (void)hz;
}

static void on_state(struct cdi_device *dev, enum cab_dev_state s, enum cab_incident inc,
                     const char *detail)
{
	(void)dev; (void)inc; (void)detail;
	if (s == CAB_DEV_READY)
		ready_seen = 1;
}

static const struct cdi_host_ops host = {on_reading, on_wave, on_state};

static void *run_thread(void *arg)
{
	struct cdi_device *dev = arg;
	dev->driver->run(dev);
	return NULL;
}

static int t_n;
static int fails;

static void tap(int ok, const char *what)
{
	printf("%sok %d - %s\n", ok ? "" : "not ", ++t_n, what);
	fails += !ok;
}

int main(void)
{
	GError *err = NULL;
	const char *src = getenv("CABIN_SRC");
	char path[512];
	const char *pre = g_getenv("LD_PRELOAD");

	if (!pre || !strstr(pre, "umockdev-preload")) {
		printf("1..0 # SKIP not under umockdev-wrapper\n");
		return 0;
	}
	printf("1..9\n");
	bulk_in = g_byte_array_new();
	snprintf(path, sizeof path, "%s/tests/devices/ieee11073-phdc/efm32_glucometer.umockdev",
	         src ? src : ".");
	UMockdevTestbed *tb = umockdev_testbed_new();
	if (!umockdev_testbed_add_from_file(tb, path, &err)) {
		printf("Bail out! %s\n", err->message);
		return 1;
	}
	UMockdevIoctlBase *handler = g_object_new(UMOCKDEV_TYPE_IOCTL_BASE, NULL);
	g_signal_connect(handler, "handle-ioctl", G_CALLBACK(on_ioctl), NULL);
	if (!umockdev_testbed_attach_ioctl(tb, DEVNODE, handler, &err)) {
		printf("Bail out! attach: %s\n", err->message);
		return 1;
	}

	/* the agent speaks first: its AARQ waits on bulk IN */
	uint8_t aarq[128];
	cab_sim11073_init(&agent, CAB_KIND_GLUCOMETER);
	agent.clock_ms = 1196943000000LL; /* its clock says 2007 until the manager sets it */
	g_mutex_lock(&lock);
	g_byte_array_append(bulk_in, aarq, (guint)cab_sim11073_aarq(&agent, aarq, sizeof aarq));
	g_mutex_unlock(&lock);

	struct cdi_candidate cand = {.bus = CDI_BUS_USB, .vid = 0x2544, .pid = 0x0006, .busnum = 1,
	                             .devnum = 2, .n_ifaces = 1, .iface = -1};
	cand.ifaces[0] = (struct cdi_iface){.number = 0, .alt = 0, .if_class = 0x0F};
	const struct cdi_match *row = NULL;
	const struct cdi_driver *drv = cdi_driver_find(&cand, &row);
	tap(drv && !strcmp(drv->name, "ieee11073-phdc"), "PHDC interface class 0x0F taken by ieee11073-phdc");
	if (!drv) {
		printf("Bail out! no driver\n");
		return 1;
	}
	struct cdi_device *dev = calloc(1, sizeof *dev);
	dev->driver = drv;
	dev->match = row;
	dev->cand = cand;
	dev->host = &host;
	dev->session_start_ms = cab_wall_ms() - 60000;
	dev->id.vid = cand.vid;
	dev->id.pid = cand.pid;
	int r = drv->open(dev);
	tap(r == 0, "open: libusb transport claimed, PHDC descriptors read");
	tap(dev->id.kind == CAB_KIND_GLUCOMETER, "kind from the 11073 function extension (0x1011)");

	pthread_t th;
	pthread_create(&th, NULL, run_thread, dev);
	int64_t until = cab_mono_ms() + 10000; /* bounds the wait; not a timed assertion */
	for (;;) {
		pthread_mutex_lock(&rec_lock);
		int n = n_got;
		pthread_mutex_unlock(&rec_lock);
		if (n >= 1 || cab_mono_ms() > until)
			break;
		g_usleep(20000);
	}
	cdi_device_request_stop(dev);
	pthread_join(th, NULL);
	drv->close(dev);

	g_mutex_lock(&lock);
	tap(agent.assoc_result == IEEE_AARE_ACCEPTED && ready_seen,
	    "association accepted with the standard 0x06A4 configuration");
	tap(agent.time_set == 1, "the agent's clock set from the cabin's (Set-Time)");
	tap(n_got == 1 && got[0].mdc == MDC_FULL(2, MDC_CONC_GLU_CAPILLARY_WHOLEBLOOD) &&
	        got[0].value == 98.0 && !strcmp(got[0].ucum, "mg/dL") && got[0].flags == 0,
	    "one reading: 98 mg/dL capillary whole-blood glucose, reassembled from 64-byte packets");
	tap(agent.reports_confirmed == 1, "the confirmed report was answered");
	tap(agent.released == 1, "released (RLRQ) on close");
	tap(seg_clear_seen == 0 && out_apdus >= 5, "nothing that erases stored data was sent");
	g_mutex_unlock(&lock);
	printf("# %d APDUs from the manager, %d readings\n", out_apdus, n_got);
	free(dev);
	umockdev_testbed_detach_ioctl(tb, DEVNODE, NULL);
	g_object_unref(tb);
	return fails ? 1 : 0;
}
