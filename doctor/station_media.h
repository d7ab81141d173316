/* station_media.h — what the doctor station does with one session's incoming media:
 * decodes the cabin's binary messages (kiosk/media receiver), records them to
 * DATA/<session>.mkv without re-encoding (kiosk/media recorder), keeps the decoded
 * stethoscope sound as DATA/<session>-stethoscope.wav, hands pictures and sound to
 * the doctor's viewer, and keeps the counts reported when the session ends.
 * Threading: every call on the station's service thread; viewer callbacks run there. */
#ifndef CABIN_STATION_MEDIA_H
#define CABIN_STATION_MEDIA_H

#include "kiosk/media/media_receiver.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

/* The doctor's viewer (cabin-doctor's window); every member may be NULL. */
struct station_viewer {
	/* A decoded picture of SESSION's live video (YUV420P at the size sent). */
	void (*on_video)(void *user, const char *session, const char *cabin,
	                 const struct cab_media_video_frame *f);
	/* Decoded sound (S16 mono 48 kHz), room microphone or stethoscope. */
	void (*on_audio)(void *user, const char *session, const struct cab_media_audio_chunk *a);
	/* The session's media ended (close or disconnect): clear the picture. */
	void (*on_end)(void *user, const char *session);
	void *user;
};

struct station_media;

/* Starts SESSION's media for CABIN: opens DIR/<session>.mkv (or <session>-N.mkv when
 * that exists, e.g. after a reconnect). NEED_KEY is called when the H.264 stream
 * waits for a keyframe (the station asks the cabin for one). NULL on failure. */
struct station_media *station_media_new(const char *dir, const char *session, const char *cabin,
                                        const struct station_viewer *viewer,
                                        void (*need_key)(void *user, const char *cabin),
                                        void *key_user);

/* Handles one binary message (docs/media-packets.md): decoded, recorded. Returns
 * what cab_media_receiver_push returns (negative: refused by the packet parser). */
int station_media_push(struct station_media *m, const uint8_t *msg, size_t len);

/* The session id. */
const char *station_media_session(const struct station_media *m);

/* Path of the Matroska recording. */
const char *station_media_recording(const struct station_media *m);

/* Closes the recording and the WAV file and frees M; returns the final counts as a
 * new JSON object (see docs/doctor-media.md, "media-stats"), or NULL when M is NULL.
 * A recording that stayed empty (no media packet came) is deleted and its
 * "recording" is null. */
json_t *station_media_end(struct station_media *m);

#endif
