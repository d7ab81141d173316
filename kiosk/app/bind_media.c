/* bind_media.c — binds media (kiosk/media) to the call. When the doctor asks for the
 * call (`request` `call`) and the consultation is on (consent before sending), the
 * cabin's WebRTC peer starts (media_webrtc.h: its FFmpeg sender captures the camera,
 * microphone and stethoscope — lavfi test sources when there are none, and the
 * screen says so — and webrtcbin carries them to the doctor's browser); its offer and
 * candidates go out as effects the link sends (`webrtc` messages), the browser's
 * answer, candidates and bye come back through bind_link; link loss, the doctor's bye
 * and the end of the consultation end it. The doctor's video, decoded by the peer,
 * goes to the consultation screen through the event queue, the doctor's sound to SDL
 * audio; the doctor's requests start and stop the stethoscope, switch the live
 * video to an exam camera (otoscope, dermatoscope) and take full-resolution stills,
 * which travel to the station through the outbox as "still" data messages. The
 * patient's self-view is our own stream decoded small. The doctor's pictures are
 * lip-synced to the doctor's sound by a media_avplay presenter thread (audio is the
 * master clock: the SDL device's played position). */
#include <SDL2/SDL.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "kiosk/app/app_internal.h"
#include "kiosk/app/bind_media.h"
#include "kiosk/app/events.h"
#include "kiosk/link/message.h"
#include "kiosk/link/still_msg.h"
#include "kiosk/media/media_avplay.h"
#include "kiosk/media/media_receiver.h"
#include "kiosk/media/media_sender.h"
#include "kiosk/media/media_webrtc.h"
#include "log.h"

#define DOC_W 960
#define DOC_H 540
#define SELF_W 320
#define SELF_H 180

struct cab_bind_media {
	struct cab_app *app;                /* configuration, view; effects */
	const struct cab_app_session *ses;  /* the store binding's session */
	struct cab_media_receiver *self; /* our own video, small (sender's send thread) */
	struct cab_media_sender *tx;     /* the peer's sender, during the call */
	pthread_mutex_t tx_lock;         /* guards tx for the report */
	struct cab_media_sender_cfg cfg;
	SDL_AudioDeviceID audio;
	int64_t audio_latency_us;  /* the device's own buffer (obtained.samples / freq) */
	struct cab_avplay *player; /* lip sync of the doctor's pictures */
	atomic_int frame_pending, self_pending; /* one picture in the queue at a time */
	/* pictures owned by the main thread, shown by the screen */
	unsigned char *doc_rgba, *self_rgba;
	char steth_alsa[16]; /* the stethoscope the instruments layer found, "" none */
	char steth_dev[16]; /* the one used for this call */
	/* lavfi graphs of "lavfi:" device choices (cfg strings point here) */
	char graph[CAB_MEDIA_MAX_CAMERAS + 2][CAB_CONFIG_PATH + 16];
	/* the doctor's pending still request (main thread; one at a time) */
	char still_req[40], still_site[256];
	int still_camera; /* -1: none pending */
	/* the call over WebRTC (docs/webrtc.md): the peer runs while the consultation is
	 * on and the doctor asked for the call (`request` `call`); main thread */
	struct cab_webrtc *peer;
	bool call_wanted;
	char call_sid[40];  /* the session the peer signals for (read by its threads) */
	json_t *ice;        /* the latest `ice_servers` message of the session, or NULL */
	json_t *peer_ice;   /* the one the running peer's strings point into */
};

/* Camera index of an instrument kind name: 0 room, 1 otoscope, 2 dermatoscope, -1. */
static int camera_index(const char *kind)
{
	return !strcmp(kind, "room-camera") ? 0 : !strcmp(kind, "otoscope") ? 1 : !strcmp(kind, "dermatoscope") ? 2 : -1;
}

static const char *camera_kind(int index)
{
	return index == 1 ? "otoscope" : index == 2 ? "dermatoscope" : "room-camera";
}

void cab_mediaev_free(void *p)
{
	struct cab_mediaev *ev = p;
	if (ev) {
		free(ev->rgba);
		if (ev->jpeg)
			explicit_bzero(ev->jpeg, ev->len); /* a picture of the patient */
		free(ev->jpeg);
	}
	free(ev);
}

static void post_picture(enum cab_mediaev_what what, const struct cab_media_video_frame *f,
                         atomic_int *pending)
{
	if (f->format != CAB_MEDIA_PIX_RGBA || atomic_exchange(pending, 1))
		return; /* the main thread has not shown the previous one yet: skip */
	struct cab_mediaev *ev = calloc(1, sizeof *ev);
	size_t row = (size_t)f->width * 4;
	if (ev)
		ev->rgba = malloc(row * (size_t)f->height);
	if (!ev || !ev->rgba) {
		cab_mediaev_free(ev);
		atomic_store(pending, 0);
		return;
	}
	ev->what = what;
	ev->w = f->width;
	ev->h = f->height;
	for (int y = 0; y < f->height; y++)
		memcpy(ev->rgba + row * (size_t)y, f->data[0] + (size_t)f->linesize[0] * (size_t)y, row);
	if (cab_event_post(CAB_QEV_MEDIA, ev, cab_mediaev_free))
		atomic_store(pending, 0);
}

static void on_doc_video(void *u, const struct cab_media_video_frame *f)
{
	struct cab_bind_media *m = u;
	if (m->player)
		cab_avplay_video(m->player, f); /* presented by the player, against the sound */
	else
		post_picture(CAB_MEDIAEV_FRAME, f, &m->frame_pending);
}

/* Player (presenter thread): a picture is due; hand it to the main thread unless
 * the screen has not shown the previous one yet. */
static int present_doc(void *u, struct cab_avplay_frame *f)
{
	struct cab_bind_media *m = u;
	if (atomic_exchange(&m->frame_pending, 1))
		return 0;
	struct cab_mediaev *ev = calloc(1, sizeof *ev);
	if (!ev) {
		atomic_store(&m->frame_pending, 0);
		return 0;
	}
	ev->what = CAB_MEDIAEV_FRAME;
	ev->w = f->w;
	ev->h = f->h;
	ev->rgba = f->rgba;
	if (cab_event_post(CAB_QEV_MEDIA, ev, cab_mediaev_free)) {
		/* not posted: the free function ran, and the picture with it */
		atomic_store(&m->frame_pending, 0);
	}
	return 1;
}

static uint64_t audio_queued(void *u)
{
	struct cab_bind_media *m = u;
	return m->audio ? SDL_GetQueuedAudioSize(m->audio) : 0;
}

static void on_self_video(void *u, const struct cab_media_video_frame *f)
{
	struct cab_bind_media *m = u;
	post_picture(CAB_MEDIAEV_SELF, f, &m->self_pending);
}

static void on_doc_audio(void *u, const struct cab_media_audio_chunk *a)
{
	struct cab_bind_media *m = u;
	if (!m->audio || a->format != CAB_MEDIA_SAMPLE_S16)
		return;
	/* keep at most ~300 ms queued: a late doctor is better than a drifting one */
	if (SDL_GetQueuedAudioSize(m->audio) > 48000 * 2 * 3 / 10)
		SDL_ClearQueuedAudio(m->audio);
	if (SDL_QueueAudio(m->audio, a->samples, (Uint32)(a->nb_samples * a->channels * 2)) == 0 &&
	    m->player && a->stream == CAB_MEDIA_STREAM_AUDIO)
		cab_avplay_audio(m->player, a->pts_us, a->nb_samples, a->rate);
}

/* The peer's tap on what the sender hands it (sender's thread): our own video
 * decoded small for the self-view. */
static void on_sent(void *u, const uint8_t *msg, size_t len)
{
	struct cab_bind_media *m = u;
	if (m->self && len > 0)
		cab_media_receiver_push(m->self, msg, len);
}

/* The peer has a signal for the doctor's browser (GStreamer's thread): the link
 * sends it as a `webrtc` message. */
static void on_peer_signal(void *u, const struct cab_webrtc_signal *sig)
{
	struct cab_bind_media *m = u;
	json_t *j = json_pack("{s:s}", "kind", sig->kind);
	if (!j)
		return;
	if (sig->sdp)
		json_object_set_new(j, "sdp", json_string(sig->sdp));
	if (!strcmp(sig->kind, "candidate")) {
		json_object_set_new(j, "candidate", json_string(sig->candidate ? sig->candidate : ""));
		json_object_set_new(j, "sdpMLineIndex", json_integer(sig->mline));
	}
	char *text = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	if (text && cab_app_dispatch(m->app, &(struct cab_fx){.kind = CAB_FX_CALL_SIGNAL_OUT,
	                                                      .id = m->call_sid,
	                                                      .text = text}))
		cab_warn("app", "call signal %s not sent: no link", sig->kind);
	free(text);
}

/* A call incident from the peer (its threads): recorded on the main thread. */
static void on_peer_incident(void *u, const char *code, const char *text)
{
	(void)u;
	struct cab_mediaev *ev = calloc(1, sizeof *ev);
	if (!ev)
		return;
	ev->what = CAB_MEDIAEV_INCIDENT;
	snprintf(ev->text, sizeof ev->text, "%s", code);
	cab_info("app", "call incident %s: %s", code, text ? text : "");
	cab_event_post(CAB_QEV_MEDIA, ev, cab_mediaev_free);
}

static void on_media_event(void *u, const struct cab_media_event *e)
{
	(void)u;
	struct cab_mediaev *ev = calloc(1, sizeof *ev);
	if (!ev)
		return;
	ev->what = CAB_MEDIAEV_STATE;
	ev->event = e->type;
	ev->is_test = e->is_test;
	/* SOURCE: the label says which input opened (its text is the device description) */
	const char *text = e->type == CAB_MEDIA_EV_SOURCE ? e->label : e->text ? e->text : e->label;
	snprintf(ev->text, sizeof ev->text, "%s", text ? text : "");
	cab_event_post(CAB_QEV_MEDIA, ev, cab_mediaev_free);
}

/* A still was captured (video thread): hand the JPEG to the main thread, which
 * queues it in the outbox (a still is medical data: acknowledged, resent). */
static void on_still(void *u, struct cab_media_still *still)
{
	(void)u;
	struct cab_mediaev *ev = calloc(1, sizeof *ev);
	if (!ev) {
		cab_media_still_free(still);
		return;
	}
	ev->what = CAB_MEDIAEV_STILL;
	ev->w = still->width;
	ev->h = still->height;
	ev->camera = still->camera;
	ev->is_test = still->is_test;
	ev->jpeg = still->jpeg; /* take the bytes */
	ev->len = still->len;
	memcpy(ev->sha256, still->sha256, sizeof ev->sha256);
	still->jpeg = NULL;
	cab_media_still_free(still);
	cab_event_post(CAB_QEV_MEDIA, ev, cab_mediaev_free);
}

/* Fills SRC for a [media] device CHOICE: "none" or "" -> the default test source;
 * "auto" -> FALLBACK when it exists, else the test source; "lavfi:GRAPH" -> GRAPH
 * paced to real time as this input's test source (GRAPH_BUF holds it, N bytes);
 * anything else -> that device. */
static void source_of(struct cab_media_source_cfg *src, const char *choice, const char *fallback,
                      enum cab_media_kind kind, char *graph_buf, size_t n)
{
	src->device = NULL;
	src->test_graph = NULL;
	if (!choice[0] || !strcmp(choice, "none"))
		return;
	if (!strcmp(choice, "auto")) {
		src->device = fallback && access(fallback, R_OK) == 0 ? fallback : NULL;
		return;
	}
	if (!strncmp(choice, "lavfi:", 6)) {
		snprintf(graph_buf, n, "%s,%s", choice + 6, kind == CAB_MEDIA_AUDIO ? "arealtime" : "realtime");
		src->test_graph = graph_buf;
		return;
	}
	src->device = choice;
}

struct cab_bind_media *cab_bind_media_start(struct cab_app *a, const struct cab_app_session *ses)
{
	struct cab_bind_media *m = calloc(1, sizeof *m);
	if (!m)
		return NULL;
	m->app = a;
	m->ses = ses;
	pthread_mutex_init(&m->tx_lock, NULL);
	struct cab_media_receiver_cfg sc = {.pixfmt = CAB_MEDIA_PIX_RGBA,
	                                    .out_width = SELF_W,
	                                    .out_height = SELF_H,
	                                    .on_video = on_self_video,
	                                    .user = m};
	m->self = cab_media_receiver_new(&sc);
	if (SDL_InitSubSystem(SDL_INIT_AUDIO) == 0) {
		SDL_AudioSpec want = {.freq = 48000, .format = AUDIO_S16SYS, .channels = 1, .samples = 960};
		SDL_AudioSpec got;
		m->audio = SDL_OpenAudioDevice(NULL, 0, &want, &got, 0);
		if (m->audio) {
			m->audio_latency_us = (int64_t)got.samples * 1000000 / got.freq;
			SDL_PauseAudioDevice(m->audio, 0);
		}
	}
	struct cab_avplay_cfg pc = {.present = present_doc,
	                            .audio_queued = audio_queued,
	                            .audio_bytes_per_s = 48000 * 2,
	                            .device_latency_us = m->audio_latency_us,
	                            .user = m};
	m->player = cab_avplay_new(&pc);
	if (!m->player)
		cab_warn("app", "no lip-sync player: the doctor's pictures are shown as they come");
	if (!m->audio)
		cab_warn("app", "no sound output: the doctor will not be heard (%s)", SDL_GetError());
	struct cab_media_sender_cfg *c = &m->cfg;
	const size_t gn = sizeof m->graph[0];
	c->cameras[0] = (struct cab_media_source_cfg){.label = "room"};
	source_of(&c->cameras[0], a->cfg.camera, "/dev/video0", CAB_MEDIA_VIDEO, m->graph[0], gn);
	c->cameras[1] = (struct cab_media_source_cfg){.label = "otoscope"};
	source_of(&c->cameras[1], a->cfg.otoscope, NULL, CAB_MEDIA_VIDEO, m->graph[1], gn);
	c->cameras[2] = (struct cab_media_source_cfg){.label = "dermatoscope"};
	source_of(&c->cameras[2], a->cfg.dermatoscope, NULL, CAB_MEDIA_VIDEO, m->graph[2], gn);
	c->n_cameras = 3;
	c->microphone = (struct cab_media_source_cfg){.label = "microphone"};
	source_of(&c->microphone, a->cfg.microphone, NULL, CAB_MEDIA_AUDIO, m->graph[3], gn);
	c->stethoscope = (struct cab_media_source_cfg){.label = "stethoscope", .test_tone_hz = 150};
	source_of(&c->stethoscope, a->cfg.stethoscope, NULL, CAB_MEDIA_AUDIO, m->graph[4], gn);
	m->still_camera = -1;
	c->video = 1;
	c->audio = 1;
	c->start_rung = 2; /* 640x360: the shared demo machine; the ladder climbs when it can */
	c->steth_band_filter = 1;
	c->send_stills = 0; /* stills go through the outbox (on_still), not as media */
	c->on_event = on_media_event;
	c->on_still = on_still;
	c->event_user = m;
	a->view.camera_is_test = c->cameras[0].device == NULL;
	a->view.exam_camera = 0;
	return m;
}

/* The call's lip-sync figures, one log line (no personal data), then a fresh count. */
static void avsync_log_reset(struct cab_bind_media *m)
{
	if (!m->player)
		return;
	struct cab_avplay_stats st;
	cab_avplay_stats(m->player, &st);
	cab_info("app",
	         "lip sync: %llu pictures presented against the sound, %llu dropped late, %llu "
	         "held early, %llu unsynced, %llu resyncs, %llu screen busy; offset max %lld us, "
	         "p99 %d ms",
	         (unsigned long long)st.presented, (unsigned long long)st.dropped,
	         (unsigned long long)st.held, (unsigned long long)st.unsynced,
	         (unsigned long long)st.resyncs, (unsigned long long)st.busy,
	         (long long)st.offsets.max_abs_us, cab_av_offset_percentile_ms(&st.offsets, 99));
	cab_avplay_reset(m->player);
}

/* Loopback candidates only when the station is on this machine (tests, the demo):
 * the doctor's browser is then here too. */
static int station_is_local(const char *url)
{
	const char *h = strstr(url, "://");
	h = h ? h + 3 : url;
	return !strncmp(h, "127.", 4) || !strncmp(h, "localhost", 9) || !strncmp(h, "[::1]", 5);
}

/* Starts the peer (capture, encoders, webrtcbin; its offer goes out through
 * on_peer_signal) with the session's STUN/TURN servers. Main thread. */
static void peer_start(struct cab_bind_media *m)
{
	struct cab_webrtc_cfg wc = {.media = m->cfg,
	                            .loopback_candidates = station_is_local(m->app->cfg.station_url),
	                            .out_width = DOC_W,
	                            .out_height = DOC_H,
	                            .on_signal = on_peer_signal,
	                            .on_video = on_doc_video,
	                            .on_audio = on_doc_audio,
	                            .on_incident = on_peer_incident,
	                            .on_sent = on_sent,
	                            .user = m};
	json_t *list = json_object_get(m->ice, "ice_servers"), *srv;
	size_t i;
	json_array_foreach(list, i, srv) {
		if (wc.n_ice == CAB_WEBRTC_MAX_ICE)
			break;
		struct cab_webrtc_ice_server *is = &wc.ice[wc.n_ice++];
		json_t *u;
		size_t k;
		json_array_foreach(json_object_get(srv, "urls"), k, u) {
			if (is->n_urls < CAB_WEBRTC_MAX_URLS)
				is->urls[is->n_urls++] = json_string_value(u);
		}
		is->username = json_string_value(json_object_get(srv, "username"));
		is->credential = json_string_value(json_object_get(srv, "credential"));
	}
	const char *policy = json_string_value(json_object_get(m->ice, "policy"));
	wc.relay_only = policy && !strcmp(policy, "relay");
	snprintf(m->call_sid, sizeof m->call_sid, "%s", m->ses->sid);
	m->peer = cab_webrtc_start(&wc);
	if (m->peer) {
		m->peer_ice = json_incref(m->ice);
		cab_info("app", "call: the cabin's peer started (%d ICE servers%s%s)", wc.n_ice,
		         wc.relay_only ? ", relay only" : "", wc.loopback_candidates ? ", loopback" : "");
	}
	pthread_mutex_lock(&m->tx_lock);
	m->tx = cab_webrtc_sender(m->peer);
	pthread_mutex_unlock(&m->tx_lock);
}

static void peer_stop(struct cab_bind_media *m, bool bye);

/* Ends the call (BYE: tell the browser) and clears the call's pictures. Main thread. */
static void call_end(struct cab_bind_media *m, bool bye)
{
	struct cab_app *a = m->app;
	if (!m->peer)
		return;
	peer_stop(m, bye);
	avsync_log_reset(m);
	m->still_camera = -1;
	a->view.exam_camera = 0;
	a->view.steth_on = false;
	a->view.self_rgba = NULL;
	a->view.video_rgba = NULL;
	free(m->self_rgba);
	free(m->doc_rgba);
	m->self_rgba = m->doc_rgba = NULL;
	a->ctx.dirty = true;
}

/* Starts or stops the sender with the consultation (nothing leaves the cabin
 * outside it). Main thread. */
static void sender_follow(struct cab_bind_media *m)
{
	struct cab_app *a = m->app;
	bool want = a->view.state == CAB_FLOW_CONSULTATION && m->call_wanted;
	if (want && !m->peer) {
		if (!strcmp(a->cfg.stethoscope, "auto")) { /* found by the instruments layer, or the tone */
			snprintf(m->steth_dev, sizeof m->steth_dev, "%s", m->steth_alsa);
			m->cfg.stethoscope.device = m->steth_dev[0] ? m->steth_dev : NULL;
		}
		peer_start(m);
		if (!m->peer)
			cab_app_fx_incident(a, "media-error", cab_wall_ms(), 0, "the call could not start");
		else
			cab_media_sender_mute(m->tx, a->view.muted);
	} else if (!want && m->peer) {
		m->call_wanted = false; /* the consultation is over: a new one needs a new call */
		call_end(m, true);
	}
}

/* A still arrived from the video thread: "still" data messages in the outbox (one
 * per part, personal data: encrypted at rest, wiped with the session), answering the
 * doctor's pending request. Main thread. */
static void still_ready(struct cab_bind_media *m, struct cab_mediaev *ev)
{
	struct cab_app *a = m->app;
	char t[40], sha[65];
	for (int i = 0; i < 32; i++)
		snprintf(sha + 2 * i, 3, "%02x", ev->sha256[i]);
	struct cab_still_meta meta = {.camera = camera_kind(ev->camera),
	                              .width = ev->w,
	                              .height = ev->h,
	                              .time = cab_time_rfc3339(cab_wall_ms(), t, sizeof t),
	                              .request = m->still_req[0] ? m->still_req : NULL,
	                              .body_site = m->still_site[0] ? m->still_site : NULL};
	json_t *msgs = m->ses->sid[0] ? cab_still_msgs(m->ses->sid, &meta, ev->jpeg, ev->len) : NULL;
	char still_id[40] = "";
	size_t i, parts = json_array_size(msgs), queued = 0;
	json_t *msg;
	if (parts)
		snprintf(still_id, sizeof still_id, "%s",
		         json_string_value(json_object_get(json_object_get(json_array_get(msgs, 0), "still"), "id")));
	json_array_foreach(msgs, i, msg) {
		char id[40];
		snprintf(id, sizeof id, "%s", json_string_value(json_object_get(msg, "id")));
		struct cab_fx fx = {.kind = CAB_FX_DATA, .text = "still", .id = id, .n = 1,
		                    .body = cab_msg_dump_take(json_incref(msg))};
		if (cab_app_dispatch(a, &fx) == 0)
			queued++;
	}
	json_decref(msgs);
	if (!parts || queued != parts) {
		cab_err("app", "still from the %s not queued (%zu of %zu parts)", camera_kind(ev->camera), queued, parts);
		cab_app_fx_incident(a, "still-failed", cab_wall_ms(), 0, m->still_req);
	} else {
		cab_info("app", "still %s for the doctor: %s%s %dx%d, %zu bytes in %zu parts, sha256 %s", still_id,
		         camera_kind(ev->camera), ev->is_test ? " (test source)" : "", ev->w, ev->h, ev->len, parts,
		         sha);
		a->view.stills_taken++;
	}
	m->still_req[0] = m->still_site[0] = 0;
	m->still_camera = -1;
}

void cab_bind_media_event(struct cab_bind_media *m, struct cab_mediaev *ev)
{
	if (!m)
		return;
	struct cab_app *a = m->app;
	struct cab_view *v = &a->view;
	switch (ev->what) {
	case CAB_MEDIAEV_FRAME:
		atomic_store(&m->frame_pending, 0);
		if (v->state != CAB_FLOW_CONSULTATION)
			return;
		if (!v->video_rgba)
			cab_info("app", "doctor's video: first picture %dx%d", ev->w, ev->h);
		free(m->doc_rgba);
		m->doc_rgba = ev->rgba; /* take the picture */
		ev->rgba = NULL;
		v->video_rgba = m->doc_rgba;
		v->video_w = ev->w;
		v->video_h = ev->h;
		v->video_seq++;
		break;
	case CAB_MEDIAEV_SELF:
		atomic_store(&m->self_pending, 0);
		if (v->state != CAB_FLOW_CONSULTATION)
			return;
		free(m->self_rgba);
		m->self_rgba = ev->rgba;
		ev->rgba = NULL;
		v->self_rgba = m->self_rgba;
		v->self_w = ev->w;
		v->self_h = ev->h;
		v->self_seq++;
		break;
	case CAB_MEDIAEV_INCIDENT:
		cab_app_fx_incident(a, ev->text, cab_wall_ms(), 0, "the call over WebRTC");
		break;
	case CAB_MEDIAEV_STILL:
		if (v->state == CAB_FLOW_CONSULTATION)
			still_ready(m, ev);
		break;
	case CAB_MEDIAEV_STATE:
		if (ev->event == CAB_MEDIA_EV_SOURCE && !strcmp(ev->text, "room"))
			v->camera_is_test = ev->is_test;
		else if (ev->event == CAB_MEDIA_EV_STILL_FAILED) {
			cab_warn("app", "still from the %s failed", camera_kind(m->still_camera));
			cab_app_fx_incident(a, "still-failed", cab_wall_ms(), 0, m->still_req);
			m->still_req[0] = m->still_site[0] = 0;
			m->still_camera = -1;
		}
		else if (ev->event == CAB_MEDIA_EV_VIDEO_OFF)
			cab_app_fx_incident(a, "video-off", cab_wall_ms(), 0, "link too poor: sound only");
		else if (ev->event == CAB_MEDIA_EV_ERROR)
			cab_app_fx_incident(a, "media-error", cab_wall_ms(), 0, ev->text);
		break;
	}
	a->ctx.dirty = true;
}

/* Stops the peer (and its sender); BYE: tell the doctor's browser first. */
static void peer_stop(struct cab_bind_media *m, bool bye)
{
	if (!m->peer)
		return;
	pthread_mutex_lock(&m->tx_lock);
	m->tx = NULL;
	pthread_mutex_unlock(&m->tx_lock);
	if (bye)
		on_peer_signal(m, &(struct cab_webrtc_signal){.kind = "bye"});
	struct cab_webrtc_stats st;
	cab_webrtc_stats(m->peer, &st);
	cab_info("app",
	         "call ended: %llu pictures and %llu sound chunks from the doctor, %llu video units "
	         "sent, relay %d, longest freeze %lld ms",
	         (unsigned long long)st.video_in, (unsigned long long)st.audio_in_chunks,
	         (unsigned long long)st.video_au_out, st.relay, (long long)st.longest_freeze_ms);
	cab_webrtc_stop(m->peer);
	m->peer = NULL;
	json_decref(m->peer_ice);
	m->peer_ice = NULL;
}

void cab_bind_media_quiet(struct cab_bind_media *m)
{
	if (m)
		peer_stop(m, true);
}

void cab_bind_media_call(struct cab_bind_media *m)
{
	if (!m)
		return;
	if (m->peer) /* a new call in the same session: a new offer */
		call_end(m, true);
	m->call_wanted = true;
	sender_follow(m);
}

void cab_bind_media_signal(struct cab_bind_media *m, const char *json)
{
	if (!m)
		return;
	if (!json) { /* the link is lost: nothing more can be signalled */
		if (m->peer)
			cab_warn("app", "call ended: the link to the station is lost");
		m->call_wanted = false;
		call_end(m, false);
		return;
	}
	json_t *root = json_loads(json, 0, NULL);
	const char *type = json_string_value(json_object_get(root, "type"));
	if (type && !strcmp(type, "ice_servers")) {
		json_decref(m->ice);
		m->ice = root; /* kept for the next start of the peer */
		return;
	}
	json_t *sig = json_object_get(root, "signal");
	struct cab_webrtc_signal s = {.kind = json_string_value(json_object_get(sig, "kind")),
	                              .sdp = json_string_value(json_object_get(sig, "sdp")),
	                              .candidate = json_string_value(json_object_get(sig, "candidate")),
	                              .mline = (int)json_integer_value(json_object_get(sig, "sdpMLineIndex"))};
	if (!s.kind) {
		json_decref(root);
		return;
	}
	if (!strcmp(s.kind, "bye")) {
		if (m->peer)
			cab_info("app", "call ended by the doctor's side (bye)");
		m->call_wanted = false;
		call_end(m, false);
	} else if (!m->peer) {
		char k[48]; /* the browser's words: escaped for the log */
		cab_log_escape(s.kind, k, sizeof k);
		cab_warn("app", "call signal %s without a call: ignored", k);
	} else
		cab_webrtc_signal_in(m->peer, &s);
	json_decref(root);
}

void cab_bind_media_follow(struct cab_bind_media *m)
{
	if (m)
		sender_follow(m);
}

void cab_bind_media_stethoscope(struct cab_bind_media *m, const char *alsa)
{
	if (m)
		snprintf(m->steth_alsa, sizeof m->steth_alsa, "%s", alsa ? alsa : "");
}

void cab_bind_media_report(struct cab_bind_media *m, char *out, size_t n)
{
	struct cab_avplay_stats st = {0};
	struct cab_media_sender_stats ss = {0};
	if (m && m->player)
		cab_avplay_stats(m->player, &st);
	if (m) {
		pthread_mutex_lock(&m->tx_lock);
		if (m->tx)
			cab_media_sender_stats(m->tx, &ss);
		pthread_mutex_unlock(&m->tx_lock);
	}
	int mean_us = st.offsets.n ? (int)(st.offsets.sum_abs_us / st.offsets.n) : 0;
	struct cab_webrtc_stats ws = {0};
	if (m && m->peer)
		cab_webrtc_stats(m->peer, &ws);
	int used = snprintf(out, n, "call=%d rtc_connected=%d rtc_relay=%d rtc_video_in=%llu "
	                    "rtc_audio_in=%llu rtc_video_au_out=%llu rtc_steth_out=%llu doctor_decoded=%dx%d ",
	                    m && m->peer ? 1 : 0, ws.connected, ws.relay,
	                    (unsigned long long)ws.video_in, (unsigned long long)ws.audio_in_chunks,
	                    (unsigned long long)ws.video_au_out, (unsigned long long)ws.steth_packets_out,
	                    ws.in_width, ws.in_height);
	if (used < 0 || (size_t)used >= n)
		return;
	out += used;
	n -= (size_t)used;
	snprintf(out, n,
	         "frames_in=%llu presented=%llu dropped=%llu held=%llu unsynced=%llu resyncs=%llu "
	         "busy=%llu overflow=%llu offset_min_us=%lld offset_max_us=%lld max_abs_us=%lld "
	         "mean_abs_us=%d p50_ms=%d p99_ms=%d rung=%d video_off=%d tx_bytes=%llu "
	         "loss=%.3f rtt_ms=%d",
	         (unsigned long long)st.frames_in, (unsigned long long)st.presented,
	         (unsigned long long)st.dropped, (unsigned long long)st.held,
	         (unsigned long long)st.unsynced, (unsigned long long)st.resyncs,
	         (unsigned long long)st.busy, (unsigned long long)st.overflow,
	         (long long)st.offsets.min_us, (long long)st.offsets.max_us,
	         (long long)st.offsets.max_abs_us, mean_us,
	         cab_av_offset_percentile_ms(&st.offsets, 50),
	         cab_av_offset_percentile_ms(&st.offsets, 99), ss.rung, ss.video_off,
	         (unsigned long long)ss.bytes_sent, ws.loss, (int)ws.rtt_ms);
}

int cab_bind_media_request(struct cab_bind_media *m, int action, const char *kind,
                           const char *req_id, const char *body_site)
{
	int cam = camera_index(kind);
	if (!m || !m->tx) {
		cab_warn("app", "media request %s %s outside the call: ignored",
		         cab_req_action_name((enum cab_req_action)action), kind);
		if (action == CAB_REQ_STILL && m)
			cab_app_fx_incident(m->app, "still-failed", cab_wall_ms(), 0, req_id);
		return -1;
	}
	struct cab_app *a = m->app;
	struct cab_view *v = &a->view;
	switch ((enum cab_req_action)action) {
	case CAB_REQ_STREAM_START:
	case CAB_REQ_STREAM_STOP:
		if (strcmp(kind, "stethoscope"))
			return -1;
		return cab_media_sender_stethoscope(m->tx, action == CAB_REQ_STREAM_START);
	case CAB_REQ_CAMERA:
		if (cam < 0 || cab_media_sender_select_camera(m->tx, cam))
			return -1;
		v->exam_camera = cam;
		return 0;
	case CAB_REQ_STILL:
		if (!kind[0])
			cam = v->exam_camera; /* default: the camera the doctor sees */
		if (cam < 0 || m->still_camera >= 0 || cab_media_sender_request_still(m->tx, cam)) {
			cab_warn("app", "still from the %s not taken (%s)", camera_kind(cam),
			         m->still_camera >= 0 ? "another one is under way" : "no such camera");
			cab_app_fx_incident(a, "still-failed", cab_wall_ms(), 0, req_id);
			return -1;
		}
		m->still_camera = cam;
		snprintf(m->still_req, sizeof m->still_req, "%s", req_id);
		snprintf(m->still_site, sizeof m->still_site, "%s", body_site);
		return 0;
	case CAB_REQ_KEYFRAME:
		cab_media_sender_request_keyframe(m->tx);
		return 0;
	default:
		return -1;
	}
}

void cab_bind_media_mute(struct cab_bind_media *m, bool muted)
{
	if (m && m->tx)
		cab_media_sender_mute(m->tx, muted);
}

void cab_bind_media_stop(struct cab_bind_media *m)
{
	if (!m)
		return;
	cab_bind_media_quiet(m); /* no more pictures or sound for the player */
	cab_avplay_free(m->player);
	if (m->audio)
		SDL_CloseAudioDevice(m->audio);
	cab_media_receiver_free(m->self);
	json_decref(m->ice);
	free(m->doc_rgba);
	free(m->self_rgba);
	pthread_mutex_destroy(&m->tx_lock);
	free(m);
}
