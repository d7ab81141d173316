/* bind_media.h — media (kiosk/media) bound to the call: the WebRTC peer with the
 * doctor's browser during the consultation (its signalling handed on as effects), the
 * doctor's pictures and sound, the doctor's media requests, exam stills handed on as
 * data effects (bind_media.c). Main thread unless said. */
#ifndef CABIN_APP_BIND_MEDIA_H
#define CABIN_APP_BIND_MEDIA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kiosk/app/bind.h"

struct cab_bind_media;
/* Prepares the call's media for the cabin A (its configuration and view) in the
 * session SES (read-only): sound output, lip-sync player, self-view decoder, the
 * sender's sources. Nothing is captured before the call. Returns the binding, or NULL
 * when out of memory. */
struct cab_bind_media *cab_bind_media_start(struct cab_app *a, const struct cab_app_session *ses);
void cab_bind_media_event(struct cab_bind_media *m, struct cab_mediaev *ev);
/* The USB stethoscope's ALSA device ("hw:N,0"; "" when none), used when [media]
 * stethoscope = auto. */
void cab_bind_media_stethoscope(struct cab_bind_media *m, const char *alsa);
/* A doctor's media request (enum cab_req_action: stream_start/stop, camera, still,
 * keyframe) for instrument KIND (a cab_device_kind_name, "" when none); REQ_ID and
 * BODY_SITE ("" when none) travel with the still that answers a "still" request.
 * Returns 0, or -1 when it cannot be done now (no call running, unknown camera). */
int cab_bind_media_request(struct cab_bind_media *m, int action, const char *kind,
                           const char *req_id, const char *body_site);
void cab_bind_media_mute(struct cab_bind_media *m, bool muted);
/* Starts the call's peer on entering the consultation once the doctor asked for
 * the call, stops it on leaving. */
void cab_bind_media_follow(struct cab_bind_media *m);
/* The doctor asked for the call (`request` `call`): the peer starts with the
 * consultation (a running one is ended with `bye` and started again: a new offer). */
void cab_bind_media_call(struct cab_bind_media *m);
/* The call's signalling from the station: JSON the `webrtc` (answer, candidate, bye)
 * or `ice_servers` message of the session, or NULL when the link is lost (the call
 * ends without a bye). */
void cab_bind_media_signal(struct cab_bind_media *m, const char *json);
/* Stops the call's peer and its sender, telling the browser `bye` (before the link stops). */
void cab_bind_media_quiet(struct cab_bind_media *m);
/* The call's media figures as "key=value" words into OUT (N bytes): the peer (call
 * running, ICE connected, relay, what came from the doctor and its decoded size, what
 * went out), lip sync of the doctor's pictures (presented, dropped, held, unsynced,
 * offsets in µs / ms) and the sender's rung. For the test hook's "media-stats"; no
 * personal data. M may be NULL. Main thread. */
void cab_bind_media_report(struct cab_bind_media *m, char *out, size_t n);
/* Stops everything and frees M. NULL is a no-op. */
void cab_bind_media_stop(struct cab_bind_media *m);

#endif
