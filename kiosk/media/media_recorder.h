/* media_recorder.h — records a session's received media messages into a Matroska
 * file with libavformat, without re-encoding (H.264 and Opus as sent). Used by
 * cabin-doctor to keep each session next to its FHIR Bundle. */
#ifndef CABIN_MEDIA_RECORDER_H
#define CABIN_MEDIA_RECORDER_H

#include <stddef.h>
#include <stdint.h>

/* A track to declare in the file: Matroska needs every track in its header, so the
 * stethoscope track is declared from the start even if it is used later. */
struct cab_media_track {
	uint8_t stream; /* stream id */
	uint8_t codec;  /* CAB_MEDIA_CODEC_H264 or _OPUS */
};

/* The cabin's tracks: video (0), room audio (1), stethoscope (2). */
extern const struct cab_media_track cab_media_default_tracks[3];

struct cab_media_recorder_stats {
	uint64_t written; /* packets written to the file */
	uint64_t ignored; /* stills, undeclared streams, out-of-order or pre-keyframe packets */
	uint64_t refused; /* messages the parser refused */
	int header_written;
};

struct cab_media_recorder;

/* Creates PATH (Matroska) for TRACKS (N, at most 8). Nothing is written until the
 * first H.264 keyframe gives the video parameters (or 256 messages are buffered).
 * Returns NULL on error (logged). */
struct cab_media_recorder *cab_media_recorder_open(const char *path,
                                                   const struct cab_media_track *tracks, int n);

/* Records one received link message (docs/media-packets.md). Returns 0, or -1 on a
 * write error (the file is then abandoned; later calls return -1). */
int cab_media_recorder_write(struct cab_media_recorder *r, const uint8_t *msg, size_t len);

/* Copies the counters. */
void cab_media_recorder_stats(const struct cab_media_recorder *r,
                              struct cab_media_recorder_stats *out);

/* Flushes, writes the index and closes the file; frees R. Returns 0 or -1. */
int cab_media_recorder_close(struct cab_media_recorder *r);

#endif
