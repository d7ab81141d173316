/* media_receiver.h — the receiving side: takes binary link messages, decodes H.264
 * and Opus with libavcodec, converts video with libswscale (YUV420P or RGBA at a
 * requested size) and audio with libswresample (S16 or F32 at a requested rate), and
 * hands them out with their pts; verifies stills; counts frames, errors and gaps.
 * Threading: cab_media_receiver_push() from one thread at a time (the link thread);
 * callbacks run inside it; _stats() from any thread. */
#ifndef CABIN_MEDIA_RECEIVER_H
#define CABIN_MEDIA_RECEIVER_H

#include <stddef.h>
#include <stdint.h>

#include "media_packet.h"

/* Largest decoded picture accepted, pixels (1920x1088: above every ladder rung
 * and exam-camera live size); bigger pictures are refused by the decoder. */
#define CAB_MEDIA_RX_MAX_PIXELS (1920 * 1088)

enum cab_media_pixfmt { CAB_MEDIA_PIX_YUV420P = 0, CAB_MEDIA_PIX_RGBA = 1 };
enum cab_media_samplefmt { CAB_MEDIA_SAMPLE_S16 = 0, CAB_MEDIA_SAMPLE_F32 = 1 };

/* One decoded picture, valid only during the callback. */
struct cab_media_video_frame {
	int width, height; /* output pixels */
	enum cab_media_pixfmt format;
	const uint8_t *data[4];    /* planes (RGBA: one plane) */
	int linesize[4];           /* bytes per row of each plane */
	int src_width, src_height; /* size as sent (the ladder rung) */
	int64_t pts_us;            /* presentation time on the sender's clock */
	int is_key;
};

/* Decoded sound, interleaved, valid only during the callback. */
struct cab_media_audio_chunk {
	int stream;          /* CAB_MEDIA_STREAM_AUDIO or _STETHOSCOPE */
	const void *samples; /* nb_samples * channels values */
	int nb_samples;      /* per channel */
	int rate, channels;
	enum cab_media_samplefmt format;
	int64_t pts_us; /* time of the first sample on the sender's clock */
};

struct cab_media_receiver_cfg {
	enum cab_media_pixfmt pixfmt;
	int out_width, out_height; /* 0, 0: the size as sent */
	enum cab_media_samplefmt samplefmt;
	int out_rate;     /* Hz; 0: 48000 */
	int out_channels; /* 0: 1 */
	void (*on_video)(void *user, const struct cab_media_video_frame *f);
	void (*on_audio)(void *user, const struct cab_media_audio_chunk *a);
	/* A verified still (SHA-256 checked); pointers valid during the call. */
	void (*on_still)(void *user, const struct cab_media_packet *still);
	/* An H.264 stream lost a message (or was joined mid-stream) and waits for a
	 * keyframe: ask the sender for one (a link request message). May be NULL. */
	void (*on_need_keyframe)(void *user, int stream);
	void *user;
};

struct cab_media_receiver_stats {
	uint64_t messages, bad_messages; /* accepted / refused by the parser */
	uint64_t video_frames, audio_chunks, audio_samples;
	uint64_t steth_chunks, steth_samples;
	uint64_t decode_errors; /* decoder refused a packet or flagged a frame */
	uint64_t gaps;          /* sequence-number discontinuities */
	uint64_t skipped;       /* H.264 packets skipped waiting for a keyframe */
	uint64_t stills;
	int64_t last_video_pts_us, last_audio_pts_us; /* -1 before the first */
	int video_width, video_height;                /* last size as sent */
};

struct cab_media_receiver;

/* Creates a receiver. Returns NULL on allocation failure. */
struct cab_media_receiver *cab_media_receiver_new(const struct cab_media_receiver_cfg *cfg);

/* Frees R and its decoders. NULL is a no-op. */
void cab_media_receiver_free(struct cab_media_receiver *r);

/* Handles one binary message. Returns 0, a negative CAB_MEDIA_PKT_* parse error, or
 * 1 when the message was valid but could not be decoded (counted). */
int cab_media_receiver_push(struct cab_media_receiver *r, const uint8_t *msg, size_t len);

/* Copies the counters. */
void cab_media_receiver_stats(struct cab_media_receiver *r, struct cab_media_receiver_stats *out);

#endif
