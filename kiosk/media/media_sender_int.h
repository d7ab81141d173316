/* media_sender_int.h — internals shared by the sender's files (media_sender.c: API,
 * send thread and helpers; media_video.c: video thread and stills; media_audio.c:
 * microphone and stethoscope threads). Not for use outside kiosk/media/. */
#ifndef CABIN_MEDIA_SENDER_INT_H
#define CABIN_MEDIA_SENDER_INT_H

#include <pthread.h>
#include <stdint.h>

#include "media_aenc.h"
#include "media_packet.h"
#include "media_sender.h"
#include "media_venc.h"

struct apipe {
	struct cab_media_sender *s;                 /* owner */
	const struct cab_media_source_cfg *src_cfg; /* microphone or stethoscope config */
	struct cab_media_aenc_cfg enc_cfg;          /* Opus settings of this stream */
	uint8_t stream;                             /* CAB_MEDIA_STREAM_AUDIO / _STETHOSCOPE */
	pthread_t th;
	int running;       /* thread started and not yet joined */
	volatile int stop; /* asks the thread to end */
	uint32_t seq;      /* next message sequence number */
	int is_test;       /* the test source stands in */
	struct cab_media_aenc enc;
	uint64_t packets; /* Opus packets queued so far */
};

struct cab_media_sender {
	struct cab_media_sender_cfg cfg;
	struct cab_media_queue q;
	int64_t origin_us;
	volatile int stop;
	pthread_mutex_t lock;     /* guards the request fields, stats */
	pthread_mutex_t ctl_lock; /* serialises stethoscope start/stop */
	pthread_t video_th, send_th;
	int video_started, send_started;
	/* requests */
	int req_camera, req_still, req_key, req_rung, req_video_off, muted;
	/* video thread state */
	uint32_t vseq;
	int camera, rung_now, video_off_now, video_is_test;
	struct cab_media_venc venc;
	/* audio */
	struct apipe mic, steth;
	/* stats */
	uint64_t captured, stills, bytes_sent, send_errors;
	double cpu_s;
};

/* Maps source timestamps onto the sender clock: anchored at the first frame, then
 * following the source's own spacing, re-anchored if it drifts by over 500 ms. */
struct pts_map {
	int have;
	int64_t src0, clk0, last;
};

/* Monotonic microseconds (CLOCK_MONOTONIC). */
int64_t cab_msend_mono_us(void);

/* Adds the calling thread's CPU time (getrusage RUSAGE_THREAD) to S's total; called
 * by each sender thread as it ends. */
void cab_msend_thread_cpu(struct cab_media_sender *s);

/* Passes EV to the application's on_event, if any. */
void cab_msend_event(struct cab_media_sender *s, const struct cab_media_event *ev);

/* Writes P as a link message and pushes it on the send queue (never blocks).
 * DEPENDENT: later packets of the stream need this one (H.264); PRECIOUS: a still.
 * Returns 0, or -1 (no memory, unrepresentable packet). */
int cab_msend_queue_packet(struct cab_media_sender *s, struct cab_media_packet *p, int dependent,
                           int precious);

/* Source pts (microseconds, or AV_NOPTS_VALUE) to the sender clock at NOW_US. */
int64_t cab_msend_map_pts(struct pts_map *m, int64_t src_us, int64_t now_us);

/* Thread bodies (ARG: the sender, or the struct apipe). */
void *cab_msend_video_main(void *arg);
void *cab_msend_audio_main(void *arg);

/* Starts / stops (joins) an audio pipeline thread. Start returns 0 or -1. */
int cab_msend_apipe_start(struct apipe *a);
void cab_msend_apipe_stop(struct apipe *a);

#endif
