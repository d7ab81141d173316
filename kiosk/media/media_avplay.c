/* media_avplay.c — the presenter thread of lip-synced playback (media_avplay.h): a
 * bounded FIFO of decoded pictures, each presented, held or dropped against the
 * audio device's played position by cab_av_decide(). */
#include "media_avplay.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define HOLD_MAX_US 20000 /* re-check a waiting picture at least this often */
#define IDLE_WAIT_US 50000

struct qframe {
	struct qframe *next;
	unsigned char *rgba;
	int w, h;
	int64_t pts_us;
	int held; /* counted as held once */
};

struct cab_avplay {
	struct cab_avplay_cfg cfg;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv; /* CLOCK_MONOTONIC */
	struct qframe *head, *tail;
	int n, stop;
	/* audio clock inputs */
	int have_audio;
	int64_t audio_pts_end_us; /* pts just after the last sample queued */
	int64_t audio_mono_us;    /* when it was queued (CLOCK_MONOTONIC) */
	struct cab_avplay_stats st;
};

static int64_t mono_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void wait_us(struct cab_avplay *p, int64_t us)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	int64_t ns = ts.tv_nsec + us * 1000;
	ts.tv_sec += ns / 1000000000;
	ts.tv_nsec = ns % 1000000000;
	pthread_cond_timedwait(&p->cv, &p->mu, &ts);
}

static struct qframe *pop(struct cab_avplay *p)
{
	struct qframe *q = p->head;
	if (q) {
		p->head = q->next;
		if (!p->head)
			p->tail = NULL;
		p->n--;
	}
	return q;
}

static void qfree(struct qframe *q)
{
	if (q)
		free(q->rgba);
	free(q);
}

/* Hands Q to present() (lock released meanwhile) and counts the outcome. */
static void show(struct cab_avplay *p, struct qframe *q, const struct cab_av_decision *d,
                 int synced)
{
	struct cab_avplay_frame f = {q->rgba,
	                             q->w,
	                             q->h,
	                             q->pts_us,
	                             synced ? d->offset_us : 0,
	                             synced && d->action == CAB_AV_PRESENT};
	pthread_mutex_unlock(&p->mu);
	int took = p->cfg.present ? p->cfg.present(p->cfg.user, &f) : 0;
	pthread_mutex_lock(&p->mu);
	if (took)
		q->rgba = NULL;
	if (!took)
		p->st.busy++;
	else if (f.synced) {
		p->st.presented++;
		cab_av_offset_add(&p->st.offsets, d->offset_us);
	} else if (d->action == CAB_AV_RESYNC)
		p->st.resyncs++;
	else
		p->st.unsynced++;
	qfree(q);
}

static void *run(void *arg)
{
	struct cab_avplay *p = arg;
	pthread_mutex_lock(&p->mu);
	while (!p->stop) {
		struct qframe *q = p->head;
		if (!q) {
			wait_us(p, IDLE_WAIT_US);
			continue;
		}
		int valid =
		    p->have_audio && mono_us() - p->audio_mono_us <= CAB_AVPLAY_AUDIO_STALE_US;
		int64_t clock = 0;
		if (valid) {
			int64_t end = p->audio_pts_end_us;
			pthread_mutex_unlock(&p->mu);
			uint64_t queued =
			    p->cfg.audio_queued ? p->cfg.audio_queued(p->cfg.user) : 0;
			pthread_mutex_lock(&p->mu);
			if (q != p->head || end != p->audio_pts_end_us)
				continue; /* changed meanwhile: look again */
			clock = cab_av_played_clock(end, queued, p->cfg.audio_bytes_per_s,
			                            p->cfg.device_latency_us);
		}
		struct cab_av_decision d = cab_av_decide(q->pts_us, clock, valid);
		switch (d.action) {
		case CAB_AV_WAIT:
			if (!q->held) {
				q->held = 1;
				p->st.held++;
			}
			wait_us(p, d.wait_us < HOLD_MAX_US ? d.wait_us : HOLD_MAX_US);
			break;
		case CAB_AV_DROP:
			qfree(pop(p));
			p->st.dropped++;
			break;
		case CAB_AV_PRESENT:
		case CAB_AV_RESYNC:
			show(p, pop(p), &d, valid);
			break;
		}
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

struct cab_avplay *cab_avplay_new(const struct cab_avplay_cfg *cfg)
{
	struct cab_avplay *p = calloc(1, sizeof *p);
	if (!p)
		return NULL;
	p->cfg = *cfg;
	pthread_mutex_init(&p->mu, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&p->cv, &ca);
	pthread_condattr_destroy(&ca);
	if (pthread_create(&p->thread, NULL, run, p)) {
		pthread_cond_destroy(&p->cv);
		pthread_mutex_destroy(&p->mu);
		free(p);
		return NULL;
	}
	return p;
}

static void clear_locked(struct cab_avplay *p)
{
	struct qframe *q;
	while ((q = pop(p)))
		qfree(q);
}

void cab_avplay_free(struct cab_avplay *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->mu);
	p->stop = 1;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	pthread_join(p->thread, NULL);
	clear_locked(p);
	pthread_cond_destroy(&p->cv);
	pthread_mutex_destroy(&p->mu);
	free(p);
}

void cab_avplay_video(struct cab_avplay *p, const struct cab_media_video_frame *f)
{
	if (f->format != CAB_MEDIA_PIX_RGBA || f->width <= 0 || f->height <= 0)
		return;
	struct qframe *q = calloc(1, sizeof *q);
	size_t row = (size_t)f->width * 4;
	if (q)
		q->rgba = malloc(row * (size_t)f->height);
	if (!q || !q->rgba) {
		qfree(q);
		return;
	}
	for (int y = 0; y < f->height; y++)
		memcpy(q->rgba + row * (size_t)y, f->data[0] + (size_t)f->linesize[0] * (size_t)y,
		       row);
	q->w = f->width;
	q->h = f->height;
	q->pts_us = f->pts_us;
	pthread_mutex_lock(&p->mu);
	p->st.frames_in++;
	while (p->n >= CAB_AVPLAY_MAX_FRAMES) {
		qfree(pop(p));
		p->st.overflow++;
	}
	if (p->tail)
		p->tail->next = q;
	else
		p->head = q;
	p->tail = q;
	p->n++;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

void cab_avplay_audio(struct cab_avplay *p, int64_t pts_us, int nb_samples, int rate)
{
	if (rate <= 0 || nb_samples <= 0)
		return;
	pthread_mutex_lock(&p->mu);
	p->have_audio = 1;
	p->audio_pts_end_us = pts_us + (int64_t)nb_samples * 1000000 / rate;
	p->audio_mono_us = mono_us();
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

void cab_avplay_stats(struct cab_avplay *p, struct cab_avplay_stats *out)
{
	pthread_mutex_lock(&p->mu);
	*out = p->st;
	pthread_mutex_unlock(&p->mu);
}

void cab_avplay_reset(struct cab_avplay *p)
{
	pthread_mutex_lock(&p->mu);
	clear_locked(p);
	p->have_audio = 0;
	memset(&p->st, 0, sizeof p->st);
	pthread_mutex_unlock(&p->mu);
}
