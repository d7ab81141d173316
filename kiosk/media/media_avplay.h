/* media_avplay.h — lip-synced playback of a received stream: decoded pictures wait
 * in a small queue and a presenter thread presents, holds or drops each one against
 * the audio clock (the audio device's played position: pts of the last sample queued
 * minus what the device still holds), using the pure decision of media_sync.h; counts
 * presented / dropped / held frames and the A/V offset of each presented one.
 * No SDL here: the caller queues the sound and says how much is still queued.
 * Threading: _video() and _audio() from the decoding thread (the link thread);
 * present() and audio_queued() are called on the presenter thread; _stats() from
 * any thread. */
#ifndef CABIN_MEDIA_AVPLAY_H
#define CABIN_MEDIA_AVPLAY_H

#include <stdint.h>

#include "media_receiver.h"
#include "media_sync.h"

#define CAB_AVPLAY_MAX_FRAMES 12         /* pictures waiting at most (400 ms at 30 fps) */
#define CAB_AVPLAY_AUDIO_STALE_US 500000 /* no sound for this long: video unsynced */

/* One picture handed to present(): RGBA, rows of w * 4 bytes. */
struct cab_avplay_frame {
	unsigned char *rgba; /* malloc'd; present() takes it by returning 1 */
	int w, h;
	int64_t pts_us;    /* on the sender's clock */
	int64_t offset_us; /* pts minus the audio clock now; 0 when unsynced */
	int synced;        /* 1: presented against the audio clock */
};

struct cab_avplay_cfg {
	/* Shows F (presenter thread). Returns 1 when it took F->rgba (the picture will be
	 * shown), 0 when the screen is still busy with the previous one (the player frees
	 * the picture and counts it as "busy", not presented). */
	int (*present)(void *user, struct cab_avplay_frame *f);
	/* Bytes of sound still queued to the device (SDL_GetQueuedAudioSize). */
	uint64_t (*audio_queued)(void *user);
	uint32_t audio_bytes_per_s; /* of the queued sound, e.g. 48000 * 2 for S16 mono */
	int64_t device_latency_us;  /* the device's own buffer (obtained.samples / freq) */
	void *user;
};

/* Counters (cab_avplay_stats). */
struct cab_avplay_stats {
	uint64_t frames_in; /* pictures received from the decoder */
	uint64_t presented; /* shown against the audio clock (offset recorded) */
	uint64_t unsynced;  /* shown with no audio clock (no sound, muted, stalled) */
	uint64_t dropped;   /* more than 80 ms late behind the sound */
	uint64_t held;      /* pictures that waited (early) at least once */
	uint64_t resyncs;   /* clocks over 2 s apart (stream restarted): shown, counted */
	uint64_t busy;      /* due but the screen had not taken the previous picture */
	uint64_t overflow;  /* oldest pictures discarded when the queue was full */
	struct cab_av_offset_stats offsets; /* offsets of the presented frames */
};

struct cab_avplay;

/* Starts the presenter thread. NULL on failure (allocation, thread). */
struct cab_avplay *cab_avplay_new(const struct cab_avplay_cfg *cfg);

/* Stops the thread and frees everything (queued pictures included). NULL-safe. */
void cab_avplay_free(struct cab_avplay *p);

/* Queues a copy of the RGBA picture F (other formats are ignored). Never blocks on
 * the presenter: when the queue is full the oldest picture is discarded. */
void cab_avplay_video(struct cab_avplay *p, const struct cab_media_video_frame *f);

/* Sound of NB_SAMPLES at RATE starting at PTS_US was just queued to the device. */
void cab_avplay_audio(struct cab_avplay *p, int64_t pts_us, int nb_samples, int rate);

/* Copies the counters. */
void cab_avplay_stats(struct cab_avplay *p, struct cab_avplay_stats *out);

/* Forgets the queued pictures, the audio clock and the counters (a call ended;
 * read the stats first). */
void cab_avplay_reset(struct cab_avplay *p);

#endif
