/* media_webrtc.h — the cabin as a WebRTC peer: GStreamer's webrtcbin carries the call to
 * the doctor's browser (RTP, ICE, DTLS-SRTP, RTCP are webrtcbin's; nothing of ours).
 *
 * What goes out (the cabin offers, three m-lines, bundled):
 *   mid 0 video  H.264 Constrained Baseline (payload 102), from the cabin's FFmpeg sender
 *                (media_sender.h: capture, x264, camera switch, the ladder) as encoded
 *                access units through an appsrc; sendrecv (the doctor's camera comes back)
 *   mid 1 audio  the microphone, raw from the sender, through webrtcdsp (echo
 *                cancellation against what the cabin plays, noise suppression) and
 *                opusenc (payload 111); sendrecv (the doctor's microphone comes back)
 *   mid 2 audio  the stethoscope, Opus from the sender untouched (application "audio",
 *                no DSP, 20 Hz-2 kHz kept; payload 110); sendonly
 * What comes in: decoded by decodebin; video converted to RGBA at out_width x out_height
 * (aspect kept), sound to S16 48 kHz mono after webrtcechoprobe (the echo canceller's
 * far end); both with pts on the pipeline's running time, which rtpbin lines up across
 * the streams from the browser's RTCP sender reports, so cab_avplay can hold pictures
 * against the sound (lip sync, docs/media.md).
 * Adaptation: every 500 ms the RTCP receiver reports (loss, RTT) drive media_rtc_adapt.h,
 * which sets the sender's rung or audio only.
 * Incidents (once each, on_incident): "ice-failed", "relay-used", "video-freeze" (no
 * picture from the doctor for over 2 s once pictures came), "audio-lost" (no sound for
 * over 2 s once sound came).
 *
 * Threading: callbacks run on GStreamer's or the sender's threads; copy and post.
 * cab_webrtc_signal_in() and _stop() from any thread but not from a callback. */
#ifndef CABIN_MEDIA_WEBRTC_H
#define CABIN_MEDIA_WEBRTC_H

#include <stdint.h>

#include "media_receiver.h"
#include "media_rtc_adapt.h"
#include "media_sender.h"

#define CAB_WEBRTC_MAX_ICE 4
#define CAB_WEBRTC_MAX_URLS 4

/* One signalling message (the `webrtc` link message's `signal`, docs/link-protocol.md). */
struct cab_webrtc_signal {
	const char *kind;      /* "offer", "answer", "candidate", "bye" */
	const char *sdp;       /* offer / answer: the SDP text */
	const char *candidate; /* candidate: the a=candidate value ("candidate:..."), or ""
	                          for the end of candidates */
	int mline;             /* candidate: sdpMLineIndex */
};

/* A STUN or TURN server as the `ice_servers` message gives it (RTCIceServer). */
struct cab_webrtc_ice_server {
	const char *urls[CAB_WEBRTC_MAX_URLS]; /* "stun:h:p", "turn:h:p?transport=udp",
	                                          "turns:h:443?transport=tcp" */
	int n_urls;
	const char *username, *credential; /* TURN REST: "expiry:session", base64 HMAC */
};

struct cab_webrtc_cfg {
	/* Sources and encoders; the peer sets send, send_user, on_mic_pcm and adapt. */
	struct cab_media_sender_cfg media;
	struct cab_webrtc_ice_server ice[CAB_WEBRTC_MAX_ICE];
	int n_ice;
	int relay_only;            /* 1: iceTransportPolicy "relay" */
	int loopback_candidates;   /* 1: gather on 127.0.0.1 too (tests, one machine) */
	int out_width, out_height; /* the doctor's picture as handed out; 0: 960x540 */
	void (*on_signal)(void *user, const struct cab_webrtc_signal *sig);
	void (*on_video)(void *user, const struct cab_media_video_frame *f);
	void (*on_audio)(void *user, const struct cab_media_audio_chunk *a);
	void (*on_incident)(void *user, const char *code, const char *text);
	/* Optional tap (sender's threads): each media packet the sender hands the peer
	 * (docs/media.md "The sender's packets"), e.g. for the patient's self-view. */
	void (*on_sent)(void *user, const uint8_t *msg, size_t len);
	void *user;
};

/* Counters (cab_webrtc_stats). */
struct cab_webrtc_stats {
	uint64_t video_in, audio_in_chunks; /* decoded from the browser */
	int in_width, in_height;   /* the doctor's video as decoded (before scaling), 0 none */
	uint64_t video_au_out, mic_frames_out, steth_packets_out;
	int connected;             /* ICE connected or completed */
	int relay;                 /* the selected pair uses a TURN relay */
	int rung, video_off;       /* the ladder as media_rtc_adapt set it */
	double loss;               /* last video loss fraction from RTCP, -1 unknown */
	int32_t rtt_ms;            /* last RTCP round trip, -1 unknown */
	int64_t longest_freeze_ms; /* longest gap between the doctor's pictures */
};

struct cab_webrtc;

/* Builds the pipeline, starts capture and makes the offer (on_signal "offer", then
 * "candidate"s). CFG strings must outlive the peer. NULL on error (logged). */
struct cab_webrtc *cab_webrtc_start(const struct cab_webrtc_cfg *cfg);

/* Hands a signalling message from the browser (answer, candidate, bye). Returns 0, or
 * -1 when it is malformed or unexpected (logged, escaped). */
int cab_webrtc_signal_in(struct cab_webrtc *w, const struct cab_webrtc_signal *sig);

/* The FFmpeg sender behind the peer (camera switch, stills, stethoscope, mute). */
struct cab_media_sender *cab_webrtc_sender(struct cab_webrtc *w);

/* Copies the counters. */
void cab_webrtc_stats(struct cab_webrtc *w, struct cab_webrtc_stats *out);

/* Ends the call: stops capture and the pipeline, frees W. NULL is a no-op. */
void cab_webrtc_stop(struct cab_webrtc *w);

/* Builds webrtcbin's TURN URI for one url of S ("turn:h:p?transport=udp" ->
 * "turn://user:pass@h:p?transport=udp", user and password percent-escaped) into OUT.
 * Returns 0, or -1 when the url is not turn:/turns: or does not fit. Pure. */
int cab_webrtc_turn_uri(const char *url, const char *username, const char *credential, char *out,
                        size_t out_len);

#endif
