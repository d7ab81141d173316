/* media_aenc.h — the live Opus encoder (libopus): input frames of any PCM layout go
 * through a libavfilter graph (aresample to 48 kHz mono float, optionally the
 * stethoscope band filter), a FIFO cuts 20 ms frames, libopus encodes them. */
#ifndef CABIN_MEDIA_AENC_H
#define CABIN_MEDIA_AENC_H

#include <stdint.h>

struct AVCodecContext;
struct AVFilterGraph;
struct AVFilterContext;
struct AVAudioFifo;
struct AVFrame;
struct AVPacket;

/* Receives each Opus packet; PTS_US on the caller's clock. Returns 0 or -1. */
typedef int (*cab_media_aenc_emit)(void *user, const struct AVPacket *pkt, int64_t pts_us);

/* Encoder settings. */
struct cab_media_aenc_cfg {
	uint32_t kbps;           /* bitrate, kbit/s (room 32, stethoscope 64) */
	const char *application; /* libopus application: "voip", "audio", "lowdelay" */
	int vbr;                 /* 0 off (CBR), 1 on, 2 constrained */
	const char *filter;      /* extra libavfilter chain on 48 kHz mono float, or NULL,
	                            e.g. "highpass=f=20:poles=2,lowpass=f=2000:poles=2" */
	int raw;                 /* 1: no Opus; EMIT gets each 20 ms frame as 960 float
	                            samples (48 kHz mono, 3840 bytes) in pkt->data, for a
	                            peer that processes and encodes sound itself (WebRTC) */
};

#define CAB_MEDIA_AUDIO_RATE 48000 /* Hz: Opus' native rate (RFC 6716 §2) */
#define CAB_MEDIA_AUDIO_FRAME 960  /* samples: 20 ms at 48 kHz */

struct cab_media_aenc {
	struct AVCodecContext *ctx;
	struct AVFilterGraph *graph;
	struct AVFilterContext *in, *out;
	struct AVAudioFifo *fifo;
	struct AVFrame *frame, *filtered;
	struct cab_media_aenc_cfg cfg;
	int in_rate, in_fmt, in_channels; /* the graph was built for this input */
	int64_t origin_us;                /* pts of the first sample, -1 before the first frame */
	int64_t samples_done;             /* samples given to the encoder */
	uint64_t packets;
};

/* Opens A with CFG. Returns 0 or a negative AVERROR. */
int cab_media_aenc_open(struct cab_media_aenc *a, const struct cab_media_aenc_cfg *cfg);

/* Feeds FRAME (PCM) whose first sample was captured at PTS_US; each packet ready
 * goes to EMIT. Returns 0 or a negative AVERROR. */
int cab_media_aenc_encode(struct cab_media_aenc *a, const struct AVFrame *frame, int64_t pts_us,
                          cab_media_aenc_emit emit, void *user);

/* The OpusHead extradata (RFC 7845 §5.1) libopus gives, and its length. */
const uint8_t *cab_media_aenc_extradata(const struct cab_media_aenc *a, int *len);

/* Frees everything (safe on zeroed). */
void cab_media_aenc_close(struct cab_media_aenc *a);

#endif
