/* media_sender.h — the cabin's (and the station's) outgoing media: camera, microphone
 * and, on demand, stethoscope are captured, encoded (H.264, Opus) and handed one
 * link message at a time to a sink, each on its own thread; the bounded send queue
 * drops oldest first when the sink is slow. Exam stills, camera switch, the quality
 * ladder and link reports are driven from any thread through this API.
 *
 * Threading contract: every function may be called from any thread except that
 * cab_media_sender_stop/_free must not be called from a callback. Callbacks (send,
 * on_event, on_still) run on the sender's own threads: forward, don't block long. */
#ifndef CABIN_MEDIA_SENDER_H
#define CABIN_MEDIA_SENDER_H

#include <stddef.h>
#include <stdint.h>

#include "media_adapt.h"
#include "media_queue.h"
#include "media_source.h"
#include "media_still.h"

#define CAB_MEDIA_MAX_CAMERAS 3 /* [0] room camera, [1] otoscope, [2] dermatoscope */

/* The link sink: sends one binary message (docs/media.md "The sender's packets"). Returns >= 0 when
 * taken, < 0 on failure (counted; the message is lost). May block: only the send
 * thread waits, capture never does. */
typedef int (*cab_media_send_fn)(void *user, const uint8_t *msg, size_t len, int is_keyframe);

/* What the sender reports to the application (for the screen and the incident log). */
enum cab_media_event_type {
	CAB_MEDIA_EV_SOURCE = 1,    /* a source opened: label, stream, is_test */
	CAB_MEDIA_EV_LADDER = 2,    /* the encoder moved to rung (width, height, fps, kbps) */
	CAB_MEDIA_EV_VIDEO_OFF = 3, /* link too poor: audio only (tell the patient, log) */
	CAB_MEDIA_EV_VIDEO_ON = 4,  /* video back */
	CAB_MEDIA_EV_STILL_FAILED = 5,
	CAB_MEDIA_EV_ERROR = 6, /* a pipeline stopped on an error: text */
};

struct cab_media_event {
	enum cab_media_event_type type;
	int stream;        /* CAB_MEDIA_STREAM_* concerned, -1 none */
	int is_test;       /* SOURCE: the lavfi test source stands in */
	const char *label; /* SOURCE: configured label */
	int rung;          /* LADDER: rung index; width/height/fps/kbps from the ladder */
	const char *text;  /* reason or error, English, no personal data */
};

struct cab_media_sender_cfg {
	struct cab_media_source_cfg cameras[CAB_MEDIA_MAX_CAMERAS];
	int n_cameras; /* >= 1 when video is on */
	struct cab_media_source_cfg microphone;
	struct cab_media_source_cfg stethoscope;
	int video, audio;        /* 1: stream camera / microphone from the start */
	int start_rung;          /* ladder rung to start at (0: 1280x720@30) */
	int best_rung;           /* the WebRTC peer's ladder never climbs above this rung
	                            (0: the top; media_rtc_adapt.h) */
	const char *x264_preset; /* NULL: "ultrafast" */
	uint32_t audio_kbps;     /* 0: 32 */
	uint32_t steth_kbps;     /* 0: 64 */
	int steth_band_filter;   /* 1: 20 Hz high-pass + 2 kHz low-pass (docs/media.md) */
	int send_stills;         /* 1: stills also go to the sink as STILL messages */
	uint32_t queue_max_msgs; /* 0: 256 */
	size_t queue_max_bytes;  /* 0: 384 KiB (about 2 s of 720p video) */
	cab_media_send_fn send;
	void *send_user;
	void (*on_event)(void *user, const struct cab_media_event *ev);
	void (*on_still)(void *user, struct cab_media_still *still); /* takes ownership */
	void *event_user;
	/* When set, the microphone is not Opus-encoded: each 20 ms of sound goes here as
	 * N = 960 float samples, 48 kHz mono, captured at PTS_US (sender's clock), on the
	 * audio thread, with send_user. The WebRTC peer (media_webrtc.h) cancels the echo
	 * and encodes it itself. */
	void (*on_mic_pcm)(void *user, const float *samples, int n, int64_t pts_us);
};

/* Counters and state (cab_media_sender_stats). */
struct cab_media_sender_stats {
	uint64_t video_frames_captured, video_frames_encoded, video_keyframes, video_packets;
	uint64_t audio_packets, steth_packets, stills;
	uint64_t bytes_sent, send_errors, encoder_reopens;
	struct cab_media_qstats queue;
	int rung, video_off, camera;
	int video_is_test, audio_is_test, steth_is_test;
	int steth_running;
	double cpu_s; /* CPU seconds of the sender's own threads that have ended
	                 (getrusage RUSAGE_THREAD at exit; libx264's worker
	                 threads not included): final after _finish() */
};

struct cab_media_sender;

/* Creates and starts the sender (threads for video, audio and sending). The cfg
 * strings must outlive the sender. Returns NULL on error (logged). */
struct cab_media_sender *cab_media_sender_start(const struct cab_media_sender_cfg *cfg);

/* Stops every thread, frees queued messages and the sender. NULL is a no-op. */
void cab_media_sender_stop(struct cab_media_sender *s);

/* Stops like cab_media_sender_stop() and first copies the final counters into OUT
 * (cpu_s then covers every thread's whole life). */
void cab_media_sender_finish(struct cab_media_sender *s, struct cab_media_sender_stats *out);

/* Microseconds of CLOCK_MONOTONIC at which the sender's pts is 0. */
int64_t cab_media_sender_origin_us(const struct cab_media_sender *s);

/* Asks for an H.264 IDR on the next frame (a receiver joined or lost packets). */
void cab_media_sender_request_keyframe(struct cab_media_sender *s);

/* Switches the live video to camera INDEX (0 room, 1.. exam). Returns 0 or -1. */
int cab_media_sender_select_camera(struct cab_media_sender *s, int index);

/* Asks for a full-resolution still of camera INDEX; delivered to on_still (and the
 * sink when send_stills) from the video thread. Returns 0, or -1 (bad index, busy). */
int cab_media_sender_request_still(struct cab_media_sender *s, int index);

/* Starts (ON = 1) or stops the stethoscope stream. Returns 0 or -1. */
int cab_media_sender_stethoscope(struct cab_media_sender *s, int on);

/* Mutes (1) or unmutes the microphone stream (nothing is sent while muted). */
void cab_media_sender_mute(struct cab_media_sender *s, int muted);

/* Turns the video off (1: audio only) or back on (the WebRTC peer does, from RTCP
 * feedback through media_rtc_adapt.h). */
void cab_media_sender_set_video_off(struct cab_media_sender *s, int off);

/* Sets the ladder rung (the WebRTC peer's adaptation, tests). */
void cab_media_sender_set_rung(struct cab_media_sender *s, int rung);

/* Copies the counters. */
void cab_media_sender_stats(struct cab_media_sender *s, struct cab_media_sender_stats *out);

#endif
