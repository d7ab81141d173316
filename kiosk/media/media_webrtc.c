/* media_webrtc.c — the cabin's WebRTC peer on GStreamer's webrtcbin (media_webrtc.h):
 * the pipeline, the offer/answer and candidates, the doctor's media out of appsinks,
 * RTCP-driven adaptation and the call's incidents. */
#define GST_USE_UNSTABLE_API
#include "media_webrtc.h"

#include <gst/app/gstappsink.h>
#include <gst/app/gstappsrc.h>
#include <gst/gst.h>
#include <gst/sdp/sdp.h>
#include <gst/webrtc/webrtc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "media_packet.h"

#define PT_H264 102
#define PT_OPUS_MIC 111
#define PT_OPUS_STETH 110
#define FREEZE_MS 2000 /* issue 13: freezes longer than 2 s are incidents */
#define STATS_MS 500

struct cab_webrtc {
	struct cab_webrtc_cfg cfg;
	GstElement *pipe, *wb, *vsrc, *msrc, *ssrc, *vsink, *asink;
	GstWebRTCICE *ice; /* kept referenced for the whole call (recipes/webrtc) */
	struct cab_media_sender *tx;
	GstClockTime base_ns; /* pipeline base time, for appsrc timestamps */
	int64_t origin_ns;    /* the sender's pts 0 on CLOCK_MONOTONIC */
	pthread_mutex_t lock;
	pthread_t stats_th;
	volatile int stop;
	int offered, answered;
	struct cab_rtc_adapt adapt;
	struct cab_webrtc_stats st;
	int64_t last_video_ms, last_audio_ms; /* -1 before the first */
	int frozen, audio_lost, reported_relay, reported_ice_failed;
	uint64_t prev_sent, prev_lost; /* video packets sent / lost (RTCP) at the last sample */
	int rb_known;                  /* the browser's last report block about our video: */
	guint rb_seq;                  /* its extended highest sequence number, */
	gint rb_lost;                  /* cumulative lost, */
	double rb_loss;                /* and the loss over the interval it closed (-1 none) */
	int out_w, out_h;
};

static int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void incident(struct cab_webrtc *w, const char *code, const char *text)
{
	cab_warn("webrtc", "incident %s: %s", code, text);
	if (w->cfg.on_incident)
		w->cfg.on_incident(w->cfg.user, code, text);
}

static void emit_signal(struct cab_webrtc *w, const char *kind, const char *sdp, const char *cand,
                        int mline)
{
	struct cab_webrtc_signal s = {kind, sdp, cand, mline};
	if (w->cfg.on_signal)
		w->cfg.on_signal(w->cfg.user, &s);
}

/* --- what goes out ------------------------------------------------------- */

/* Running time of a sender pts (µs on the sender's clock). */
static GstClockTime running_ns(struct cab_webrtc *w, int64_t pts_us)
{
	int64_t abs_ns = w->origin_ns + pts_us * 1000;
	return abs_ns > (int64_t)w->base_ns ? (GstClockTime)(abs_ns - (int64_t)w->base_ns) : 0;
}

static void push(GstElement *src, const void *data, size_t len, GstClockTime pts, int delta)
{
	GstBuffer *b = gst_buffer_new_memdup(data, len);
	GST_BUFFER_PTS(b) = pts;
	GST_BUFFER_DTS(b) = pts;
	if (delta)
		GST_BUFFER_FLAG_SET(b, GST_BUFFER_FLAG_DELTA_UNIT);
	gst_app_src_push_buffer(GST_APP_SRC(src), b);
}

/* The sender's sink: one media message (H.264 access unit or stethoscope Opus). */
static int on_media_msg(void *user, const uint8_t *msg, size_t len, int is_key)
{
	struct cab_webrtc *w = user;
	struct cab_media_packet p;
	(void)is_key;
	if (w->cfg.on_sent)
		w->cfg.on_sent(w->cfg.user, msg, len);
	if (cab_media_packet_parse(msg, len, &p) != CAB_MEDIA_PKT_OK ||
	    p.type != CAB_MEDIA_PKT_MEDIA)
		return 0; /* stills go to on_still, not here */
	GstClockTime pts = running_ns(w, p.pts_us);
	if (p.stream == CAB_MEDIA_STREAM_VIDEO && p.codec == CAB_MEDIA_CODEC_H264) {
		push(w->vsrc, p.payload, p.payload_len, pts, !(p.flags & CAB_MEDIA_FLAG_KEY));
		__atomic_add_fetch(&w->st.video_au_out, 1, __ATOMIC_RELAXED);
	} else if (p.stream == CAB_MEDIA_STREAM_STETHOSCOPE && p.codec == CAB_MEDIA_CODEC_OPUS) {
		push(w->ssrc, p.payload, p.payload_len, pts, 0);
		__atomic_add_fetch(&w->st.steth_packets_out, 1, __ATOMIC_RELAXED);
	}
	return (int)len;
}

static void on_mic_pcm(void *user, const float *samples, int n, int64_t pts_us)
{
	struct cab_webrtc *w = user;
	push(w->msrc, samples, (size_t)n * sizeof(float), running_ns(w, pts_us), 0);
	__atomic_add_fetch(&w->st.mic_frames_out, 1, __ATOMIC_RELAXED);
}

/* --- what comes in ------------------------------------------------------- */

static GstFlowReturn on_video_sample(GstAppSink *sink, gpointer user)
{
	struct cab_webrtc *w = user;
	GstSample *s = gst_app_sink_pull_sample(sink);
	if (!s)
		return GST_FLOW_ERROR;
	GstBuffer *b = gst_sample_get_buffer(s);
	GstMapInfo m;
	if (b && gst_buffer_map(b, &m, GST_MAP_READ)) {
		struct cab_media_video_frame f = {0};
		f.width = w->out_w;
		f.height = w->out_h;
		f.format = CAB_MEDIA_PIX_RGBA;
		f.data[0] = m.data;
		f.linesize[0] = w->out_w * 4;
		f.src_width = w->out_w;
		f.src_height = w->out_h;
		f.pts_us = GST_BUFFER_PTS_IS_VALID(b) ? (int64_t)(GST_BUFFER_PTS(b) / 1000) : 0;
		f.is_key = !GST_BUFFER_FLAG_IS_SET(b, GST_BUFFER_FLAG_DELTA_UNIT);
		if (m.size >= (gsize)w->out_w * w->out_h * 4 && w->cfg.on_video)
			w->cfg.on_video(w->cfg.user, &f);
		gst_buffer_unmap(b, &m);
	}
	gst_sample_unref(s);
	int64_t now = mono_ms();
	pthread_mutex_lock(&w->lock);
	if (w->last_video_ms >= 0 && now - w->last_video_ms > w->st.longest_freeze_ms)
		w->st.longest_freeze_ms = now - w->last_video_ms;
	w->last_video_ms = now;
	w->st.video_in++;
	w->frozen = 0;
	pthread_mutex_unlock(&w->lock);
	return GST_FLOW_OK;
}

static GstFlowReturn on_audio_sample(GstAppSink *sink, gpointer user)
{
	struct cab_webrtc *w = user;
	GstSample *s = gst_app_sink_pull_sample(sink);
	if (!s)
		return GST_FLOW_ERROR;
	GstBuffer *b = gst_sample_get_buffer(s);
	GstMapInfo m;
	if (b && gst_buffer_map(b, &m, GST_MAP_READ)) {
		struct cab_media_audio_chunk a = {0};
		a.stream = CAB_MEDIA_STREAM_AUDIO;
		a.samples = m.data;
		a.nb_samples = (int)(m.size / 2);
		a.rate = 48000;
		a.channels = 1;
		a.format = CAB_MEDIA_SAMPLE_S16;
		a.pts_us = GST_BUFFER_PTS_IS_VALID(b) ? (int64_t)(GST_BUFFER_PTS(b) / 1000) : 0;
		if (w->cfg.on_audio && a.nb_samples > 0)
			w->cfg.on_audio(w->cfg.user, &a);
		gst_buffer_unmap(b, &m);
	}
	gst_sample_unref(s);
	pthread_mutex_lock(&w->lock);
	w->last_audio_ms = mono_ms();
	w->st.audio_in_chunks++;
	w->audio_lost = 0;
	pthread_mutex_unlock(&w->lock);
	return GST_FLOW_OK;
}

/* The doctor's decoded video changed size (a caps event into "vin"): logged, counted. */
static GstPadProbeReturn on_video_caps(GstPad *pad, GstPadProbeInfo *info, gpointer user)
{
	struct cab_webrtc *w = user;
	(void)pad;
	GstEvent *ev = GST_PAD_PROBE_INFO_EVENT(info);
	if (GST_EVENT_TYPE(ev) == GST_EVENT_CAPS) {
		GstCaps *caps = NULL;
		gst_event_parse_caps(ev, &caps);
		int wd = 0, ht = 0;
		const GstStructure *st = caps ? gst_caps_get_structure(caps, 0) : NULL;
		if (st && gst_structure_get_int(st, "width", &wd) && gst_structure_get_int(st, "height", &ht)) {
			pthread_mutex_lock(&w->lock);
			int changed = wd != w->st.in_width || ht != w->st.in_height;
			w->st.in_width = wd;
			w->st.in_height = ht;
			pthread_mutex_unlock(&w->lock);
			if (changed)
				cab_info("webrtc", "the doctor's video decoded at %dx%d", wd, ht);
		}
	}
	return GST_PAD_PROBE_OK;
}

/* decodebin found a decoded stream: link it to the static video or audio branch. */
static void on_decoded_pad(GstElement *dec, GstPad *pad, gpointer user)
{
	struct cab_webrtc *w = user;
	(void)dec;
	GstCaps *caps = gst_pad_get_current_caps(pad);
	if (!caps)
		caps = gst_pad_query_caps(pad, NULL);
	const char *name = gst_structure_get_name(gst_caps_get_structure(caps, 0));
	const char *target = g_str_has_prefix(name, "video") ? "vin" : "ain";
	GstElement *e = gst_bin_get_by_name(GST_BIN(w->pipe), target);
	GstPad *sink = gst_element_get_static_pad(e, "sink");
	if (gst_pad_is_linked(sink))
		cab_warn("webrtc", "a second %s stream from the browser is ignored", target + 0);
	else if (gst_pad_link(pad, sink) != GST_PAD_LINK_OK)
		cab_warn("webrtc", "cannot link the browser's %s", name);
	else
		cab_info("webrtc", "receiving %s from the browser", name);
	gst_object_unref(sink);
	gst_object_unref(e);
	gst_caps_unref(caps);
}

static void on_incoming(GstElement *wb, GstPad *pad, gpointer user)
{
	struct cab_webrtc *w = user;
	(void)wb;
	if (GST_PAD_DIRECTION(pad) != GST_PAD_SRC)
		return;
	GstElement *dec = gst_element_factory_make("decodebin", NULL);
	g_signal_connect(dec, "pad-added", G_CALLBACK(on_decoded_pad), w);
	gst_bin_add(GST_BIN(w->pipe), dec);
	gst_element_sync_state_with_parent(dec);
	GstPad *sink = gst_element_get_static_pad(dec, "sink");
	gst_pad_link(pad, sink);
	gst_object_unref(sink);
}

/* The browser lost video (PLI/FIR): rtph264pay sends a force-key-unit event upstream to
 * the appsrc; the FFmpeg encoder behind it makes the IDR. */
static GstPadProbeReturn on_upstream_event(GstPad *pad, GstPadProbeInfo *info, gpointer user)
{
	struct cab_webrtc *w = user;
	(void)pad;
	GstEvent *ev = GST_PAD_PROBE_INFO_EVENT(info);
	const GstStructure *st = ev ? gst_event_get_structure(ev) : NULL;
	if (st && gst_structure_has_name(st, "GstForceKeyUnit") && w->tx)
		cab_media_sender_request_keyframe(w->tx);
	return GST_PAD_PROBE_OK;
}

/* --- signalling -------------------------------------------------------------- */

static void on_offer_created(GstPromise *promise, gpointer user);

static gboolean create_offer(gpointer user)
{
	struct cab_webrtc *w = user;
	GstPromise *p = gst_promise_new_with_change_func(on_offer_created, w, NULL);
	g_signal_emit_by_name(w->wb, "create-offer", NULL, p);
	return G_SOURCE_REMOVE;
}

static void on_offer_created(GstPromise *promise, gpointer user)
{
	struct cab_webrtc *w = user;
	const GstStructure *reply = gst_promise_get_reply(promise);
	GstWebRTCSessionDescription *offer = NULL;
	if (reply && gst_structure_has_field(reply, "offer"))
		gst_structure_get(reply, "offer", GST_TYPE_WEBRTC_SESSION_DESCRIPTION, &offer,
		                  NULL);
	gst_promise_unref(promise);
	if (!offer) {
		/* seen under load (recipes/webrtc): a reply without an offer; try again */
		cab_warn("webrtc", "create-offer gave no offer; again in 500 ms");
		if (!w->stop) {
			usleep(500000);
			create_offer(w);
		}
		return;
	}
	GstPromise *p = gst_promise_new();
	g_signal_emit_by_name(w->wb, "set-local-description", offer, p);
	gst_promise_interrupt(p);
	gst_promise_unref(p);
	gchar *text = gst_sdp_message_as_text(offer->sdp);
	cab_info("webrtc", "offer made (%zu bytes of SDP)", strlen(text));
	emit_signal(w, "offer", text, NULL, 0);
	g_free(text);
	gst_webrtc_session_description_free(offer);
}

static void on_negotiation_needed(GstElement *wb, gpointer user)
{
	struct cab_webrtc *w = user;
	(void)wb;
	pthread_mutex_lock(&w->lock);
	int first = !w->offered;
	w->offered = 1;
	pthread_mutex_unlock(&w->lock);
	if (first)
		create_offer(w);
}

static void on_ice_candidate(GstElement *wb, guint mline, gchar *cand, gpointer user)
{
	(void)wb;
	emit_signal(user, "candidate", NULL, cand, (int)mline);
}

static void on_ice_state(GObject *o, GParamSpec *ps, gpointer user)
{
	struct cab_webrtc *w = user;
	GstWebRTCICEConnectionState s;
	g_object_get(o, ps->name, &s, NULL);
	cab_info("webrtc", "ICE %s",
	         s == GST_WEBRTC_ICE_CONNECTION_STATE_CONNECTED      ? "connected"
	         : s == GST_WEBRTC_ICE_CONNECTION_STATE_COMPLETED    ? "completed"
	         : s == GST_WEBRTC_ICE_CONNECTION_STATE_FAILED       ? "failed"
	         : s == GST_WEBRTC_ICE_CONNECTION_STATE_CHECKING     ? "checking"
	         : s == GST_WEBRTC_ICE_CONNECTION_STATE_DISCONNECTED ? "disconnected"
	                                                             : "new");
	pthread_mutex_lock(&w->lock);
	w->st.connected = s == GST_WEBRTC_ICE_CONNECTION_STATE_CONNECTED ||
	                  s == GST_WEBRTC_ICE_CONNECTION_STATE_COMPLETED;
	int report = s == GST_WEBRTC_ICE_CONNECTION_STATE_FAILED && !w->reported_ice_failed;
	if (report)
		w->reported_ice_failed = 1;
	pthread_mutex_unlock(&w->lock);
	if (report)
		incident(w, "ice-failed", "no network path to the doctor's browser (ICE failed)");
	if (w->st.connected && w->tx)
		cab_media_sender_request_keyframe(w->tx);
}

int cab_webrtc_signal_in(struct cab_webrtc *w, const struct cab_webrtc_signal *sig)
{
	if (!w || !sig || !sig->kind)
		return -1;
	if (strcmp(sig->kind, "answer") == 0 && sig->sdp) {
		GstSDPMessage *sdp = NULL;
		if (gst_sdp_message_new_from_text(sig->sdp, &sdp) != GST_SDP_OK || !sdp) {
			cab_warn("webrtc", "answer: SDP does not parse");
			return -1;
		}
		GstWebRTCSessionDescription *d =
		    gst_webrtc_session_description_new(GST_WEBRTC_SDP_TYPE_ANSWER, sdp);
		GstPromise *p = gst_promise_new();
		g_signal_emit_by_name(w->wb, "set-remote-description", d, p);
		gst_promise_wait(p);
		const GstStructure *r = gst_promise_get_reply(p);
		int bad = r && gst_structure_has_field(r, "error");
		gst_promise_unref(p);
		gst_webrtc_session_description_free(d);
		if (bad) {
			cab_warn("webrtc", "answer refused by webrtcbin");
			return -1;
		}
		w->answered = 1;
		cab_info("webrtc", "answer applied");
		return 0;
	}
	if (strcmp(sig->kind, "candidate") == 0 && sig->candidate) {
		if (sig->mline < 0 || sig->mline > 2)
			return -1;
		if (!sig->candidate[0])
			return 0; /* end of candidates */
		g_signal_emit_by_name(w->wb, "add-ice-candidate", (guint)sig->mline,
		                      sig->candidate);
		return 0;
	}
	if (strcmp(sig->kind, "bye") == 0)
		return 0; /* the owner ends the call (cab_webrtc_stop) */
	cab_warn("webrtc", "unexpected signal kind");
	return -1;
}

/* --- statistics, adaptation and incidents ------------------------------------ */

#define SCAN_MAX 8
/* What one get-stats reply says. webrtcbin 1.22 labels every outbound-rtp "video" and
 * gives no payload type, so the video stream is found through its receiver report:
 * the remote-inbound-rtp whose RTP clock is 90 kHz, matched to its outbound-rtp by
 * SSRC. */
struct stats_scan {
	struct { guint ssrc; uint64_t sent; } out[SCAN_MAX];
	struct { guint ssrc; uint64_t lost; } rr[SCAN_MAX];
	int n_out, n_rr;
	uint64_t sent, lost; /* of the video SSRCs with a receiver report */
	int have_rb;         /* the browser's last report block about our video: */
	gint rb_lost;        /* cumulative number of packets lost (RFC 3550 6.4.1) */
	guint rb_seq;        /* extended highest sequence number received */
	double rtt_s, fraction;
	int have_rr, relay;
};

/* The RTP clock rate in a stats structure's nested "gst-rtpsource-stats", or 0. */
static int stat_clock_rate(const GstStructure *s)
{
	const GValue *v = gst_structure_get_value(s, "gst-rtpsource-stats");
	gint rate = 0;
	if (v && GST_VALUE_HOLDS_STRUCTURE(v))
		gst_structure_get_int(gst_value_get_structure(v), "clock-rate", &rate);
	return rate;
}

static gboolean scan_stat(GQuark field, const GValue *v, gpointer user)
{
	struct stats_scan *sc = user;
	(void)field;
	if (!GST_VALUE_HOLDS_STRUCTURE(v))
		return TRUE;
	const GstStructure *s = gst_value_get_structure(v);
	GstWebRTCStatsType type;
	if (!gst_structure_get(s, "type", GST_TYPE_WEBRTC_STATS_TYPE, &type, NULL))
		return TRUE;
	if (type == GST_WEBRTC_STATS_OUTBOUND_RTP) {
		guint64 n = 0;
		guint ssrc = 0;
		if (gst_structure_get_uint64(s, "packets-sent", &n) &&
		    gst_structure_get_uint(s, "ssrc", &ssrc) && sc->n_out < SCAN_MAX) {
			sc->out[sc->n_out].ssrc = ssrc;
			sc->out[sc->n_out++].sent = n;
		}
	} else if (type == GST_WEBRTC_STATS_REMOTE_INBOUND_RTP) {
		gint64 lost64 = 0;
		gint lost = 0;
		guint ssrc = 0;
		gdouble rtt = 0, frac = 0;
		if (stat_clock_rate(s) != 90000 || !gst_structure_get_uint(s, "ssrc", &ssrc))
			return TRUE; /* not the video's report */
		const GValue *nv = gst_structure_get_value(s, "gst-rtpsource-stats");
		const GstStructure *ns =
		    nv && GST_VALUE_HOLDS_STRUCTURE(nv) ? gst_value_get_structure(nv) : NULL;
		if (ns && gst_structure_get_int(ns, "rb-packetslost", &sc->rb_lost) &&
		    gst_structure_get_uint(ns, "rb-exthighestseq", &sc->rb_seq))
			sc->have_rb = 1;
		/* packets-lost is a gint64 in 1.22 (a gint in older releases) */
		if (gst_structure_get_int64(s, "packets-lost", &lost64) ||
		    (gst_structure_get_int(s, "packets-lost", &lost) && ((lost64 = lost), 1))) {
			if (sc->n_rr < SCAN_MAX) {
				sc->rr[sc->n_rr].ssrc = ssrc;
				sc->rr[sc->n_rr++].lost = lost64 > 0 ? (uint64_t)lost64 : 0;
			}
		}
		if (gst_structure_get_double(s, "round-trip-time", &rtt))
			sc->rtt_s = rtt;
		if (gst_structure_get_double(s, "fraction-lost", &frac))
			sc->fraction = frac;
	} else if (type == GST_WEBRTC_STATS_LOCAL_CANDIDATE ||
	           type == GST_WEBRTC_STATS_REMOTE_CANDIDATE) {
		/* webrtcbin 1.22 lists the selected pair's candidates (and may swap local and
		 * remote: recipes/webrtc), so either side being a relay counts. */
		const gchar *ct = gst_structure_get_string(s, "candidate-type");
		if (ct && strcmp(ct, "relay") == 0)
			sc->relay = 1;
	}
	return TRUE;
}

static void poll_stats(struct cab_webrtc *w)
{
	GstPromise *p = gst_promise_new();
	g_signal_emit_by_name(w->wb, "get-stats", NULL, p);
	if (gst_promise_wait(p) != GST_PROMISE_RESULT_REPLIED) {
		gst_promise_unref(p);
		return;
	}
	struct stats_scan sc = {0};
	sc.rtt_s = -1;
	sc.fraction = -1;
	const GstStructure *r = gst_promise_get_reply(p);
	if (r)
		gst_structure_foreach(r, scan_stat, &sc);
	gst_promise_unref(p);
	for (int i = 0; i < sc.n_rr; i++)
		for (int j = 0; j < sc.n_out; j++)
			if (sc.out[j].ssrc == sc.rr[i].ssrc) {
				sc.sent += sc.out[j].sent;
				sc.lost += sc.rr[i].lost;
				sc.have_rr = 1;
			}

	int64_t now = mono_ms();
	struct cab_rtc_feedback fb = {now, -1, sc.rtt_s >= 0 ? (int32_t)(sc.rtt_s * 1000) : -1, 0};
	pthread_mutex_lock(&w->lock);
	if (sc.have_rb) {
		/* RFC 3550 A.3: the loss over the interval between two receiver reports =
		 * the growth of the cumulative lost count / the growth of the extended
		 * highest sequence number; it stands until the next report (a sample
		 * between reports is not a clean one) */
		if (w->rb_known && sc.rb_seq != w->rb_seq) {
			int64_t expected = (int64_t)sc.rb_seq - (int64_t)w->rb_seq;
			int64_t lost = (int64_t)sc.rb_lost - (int64_t)w->rb_lost;
			w->rb_loss = expected > 0 ? (lost <= 0 ? 0.0 : lost >= expected ? 1.0 : (double)lost / (double)expected) : w->rb_loss;
		}
		if (!w->rb_known || sc.rb_seq != w->rb_seq) {
			w->rb_seq = sc.rb_seq;
			w->rb_lost = sc.rb_lost;
			w->rb_known = 1;
		}
		fb.loss = w->rb_loss;
	} else if (sc.have_rr && sc.sent > w->prev_sent) {
		uint64_t ds = sc.sent - w->prev_sent;
		uint64_t dl = sc.lost > w->prev_lost ? sc.lost - w->prev_lost : 0;
		fb.loss = (double)dl / (double)(ds + dl);
		w->prev_sent = sc.sent;
		w->prev_lost = sc.lost;
	}
	struct cab_rtc_adapt_out o = {0};
	int adapt = w->answered && w->st.connected;
	if (adapt)
		o = cab_rtc_adapt_update(&w->adapt, &fb);
	w->st.loss = fb.loss;
	w->st.rtt_ms = fb.rtt_ms;
	w->st.rung = w->adapt.rung;
	w->st.video_off = w->adapt.video_off;
	int relay_new = sc.relay && !w->reported_relay;
	if (sc.relay)
		w->st.relay = w->reported_relay = 1;
	int freeze = w->last_video_ms >= 0 && now - w->last_video_ms > FREEZE_MS && !w->frozen;
	if (freeze)
		w->frozen = 1;
	int lost = w->last_audio_ms >= 0 && now - w->last_audio_ms > FREEZE_MS && !w->audio_lost;
	if (lost)
		w->audio_lost = 1;
	pthread_mutex_unlock(&w->lock);

	if (o.changed) {
		cab_info("webrtc", "adaptation: %s -> %s (loss %.1f %%, rtt %d ms)", o.reason,
		         o.video_off ? "audio only" : "video", fb.loss < 0 ? -1.0 : fb.loss * 100,
		         fb.rtt_ms);
		cab_media_sender_set_rung(w->tx, o.rung);
		cab_media_sender_set_video_off(w->tx, o.video_off);
	}
	if (relay_new)
		incident(w, "relay-used", "the call goes through the TURN relay");
	if (freeze)
		incident(w, "video-freeze", "no picture from the doctor for over 2 s");
	if (lost)
		incident(w, "audio-lost", "no sound from the doctor for over 2 s");
}

static void *stats_main(void *arg)
{
	struct cab_webrtc *w = arg;
	while (!w->stop) {
		for (int i = 0; i < STATS_MS / 50 && !w->stop; i++)
			usleep(50000);
		if (!w->stop)
			poll_stats(w);
	}
	return NULL;
}

/* --- set-up ---------------------------------------------------------------- */

int cab_webrtc_turn_uri(const char *url, const char *username, const char *credential, char *out,
                        size_t out_len)
{
	const char *scheme = NULL, *rest = NULL;
	if (strncmp(url, "turn:", 5) == 0) {
		scheme = "turn";
		rest = url + 5;
	} else if (strncmp(url, "turns:", 6) == 0) {
		scheme = "turns";
		rest = url + 6;
	} else {
		return -1;
	}
	if (!username || !credential || !rest[0])
		return -1;
	char *u = g_uri_escape_string(username, NULL, FALSE);
	char *c = g_uri_escape_string(credential, NULL, FALSE);
	int n = snprintf(out, out_len, "%s://%s:%s@%s", scheme, u, c, rest);
	g_free(u);
	g_free(c);
	return n > 0 && (size_t)n < out_len ? 0 : -1;
}

static gboolean on_bus(GstBus *bus, GstMessage *m, gpointer user)
{
	(void)bus;
	(void)user;
	if (GST_MESSAGE_TYPE(m) == GST_MESSAGE_ERROR) {
		GError *e = NULL;
		gchar *dbg = NULL;
		gst_message_parse_error(m, &e, &dbg);
		cab_err("webrtc", "%s: %s", GST_OBJECT_NAME(GST_MESSAGE_SRC(m)),
		        e ? e->message : "?");
		g_clear_error(&e);
		g_free(dbg);
	}
	return TRUE;
}

static GstBusSyncReply bus_sync(GstBus *bus, GstMessage *m, gpointer user)
{
	on_bus(bus, m, user);
	return GST_BUS_DROP;
}

static void apply_ice(struct cab_webrtc *w)
{
	for (int i = 0; i < w->cfg.n_ice; i++) {
		const struct cab_webrtc_ice_server *s = &w->cfg.ice[i];
		for (int j = 0; j < s->n_urls && j < CAB_WEBRTC_MAX_URLS; j++) {
			char uri[1024];
			const char *url = s->urls[j];
			if (strncmp(url, "stun:", 5) == 0) {
				snprintf(uri, sizeof uri, "stun://%s", url + 5);
				g_object_set(w->wb, "stun-server", uri, NULL);
			} else if (cab_webrtc_turn_uri(url, s->username, s->credential, uri,
			                               sizeof uri) == 0) {
				gboolean ok = FALSE;
				g_signal_emit_by_name(w->wb, "add-turn-server", uri, &ok);
				if (!ok)
					cab_warn("webrtc", "TURN server refused by webrtcbin");
			}
		}
	}
	if (w->cfg.relay_only)
		g_object_set(w->wb, "ice-transport-policy", GST_WEBRTC_ICE_TRANSPORT_POLICY_RELAY,
		             NULL);
}

static void set_directions(struct cab_webrtc *w)
{
	GArray *ts = NULL;
	g_signal_emit_by_name(w->wb, "get-transceivers", &ts);
	for (guint i = 0; ts && i < ts->len; i++) {
		GstWebRTCRTPTransceiver *t = g_array_index(ts, GstWebRTCRTPTransceiver *, i);
		g_object_set(t, "direction",
		             i == 2 ? GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_SENDONLY
		                    : GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV,
		             NULL);
		/* video: retransmission on NACK (RFC 4588 rtx) for both directions */
		if (i == 0)
			g_object_set(t, "do-nack", TRUE, NULL);
	}
	if (ts)
		g_array_unref(ts);
}

struct cab_webrtc *cab_webrtc_start(const struct cab_webrtc_cfg *cfg)
{
	if (!gst_is_initialized())
		gst_init(NULL, NULL);
	struct cab_webrtc *w = calloc(1, sizeof *w);
	if (!w)
		return NULL;
	w->cfg = *cfg;
	w->out_w = cfg->out_width > 0 ? cfg->out_width : 960;
	w->out_h = cfg->out_height > 0 ? cfg->out_height : 540;
	w->last_video_ms = w->last_audio_ms = -1;
	w->st.loss = -1;
	w->st.rtt_ms = -1;
	w->rb_loss = -1;
	pthread_mutex_init(&w->lock, NULL);
	cab_rtc_adapt_init(&w->adapt, cfg->media.start_rung, cfg->media.best_rung);

	char desc[4096];
	snprintf(desc, sizeof desc,
	         "webrtcbin name=wb bundle-policy=max-bundle latency=200 "
	         /* mid 0: H.264 access units from the FFmpeg sender */
	         "appsrc name=vsrc is-live=true format=time do-timestamp=false "
	         " caps=video/"
	         "x-h264,stream-format=byte-stream,alignment=au,profile=constrained-baseline "
	         " ! h264parse config-interval=-1 ! rtph264pay config-interval=-1 "
	         "aggregate-mode=zero-latency pt=%d "
	         " ! application/x-rtp,media=video,encoding-name=H264,payload=%d,"
	         "rtcp-fb-nack-pli=(boolean)true,rtcp-fb-goog-remb=(boolean)true ! wb. "
	         /* mid 1: the microphone, echo-cancelled and denoised */
	         "appsrc name=msrc is-live=true format=time do-timestamp=false "
	         " caps=audio/x-raw,format=F32LE,rate=48000,channels=1,layout=interleaved "
	         " ! audioconvert ! audio/x-raw,format=S16LE,rate=48000,channels=1 "
	         " ! webrtcdsp probe=echo echo-cancel=true noise-suppression=true "
	         "noise-suppression-level=moderate gain-control=false delay-agnostic=true "
	         " ! audioconvert ! opusenc bitrate=32000 audio-type=voice frame-size=20 "
	         " ! rtpopuspay pt=%d ! "
	         "application/x-rtp,media=audio,encoding-name=OPUS,payload=%d ! wb. "
	         /* mid 2: the stethoscope, Opus as encoded, nothing processed */
	         "appsrc name=ssrc is-live=true format=time do-timestamp=false "
	         " caps=audio/x-opus,channel-mapping-family=0,channels=1,rate=48000 "
	         " ! rtpopuspay pt=%d ! "
	         "application/x-rtp,media=audio,encoding-name=OPUS,payload=%d ! wb. "
	         /* the doctor's picture and sound */
	         "videoconvert name=vin ! videoscale add-borders=true "
	         " ! video/x-raw,format=RGBA,width=%d,height=%d,pixel-aspect-ratio=1/1 "
	         " ! appsink name=vsink sync=false max-buffers=4 drop=true emit-signals=true "
	         "audioconvert name=ain ! audioresample "
	         " ! audio/x-raw,format=S16LE,rate=48000,channels=1,layout=interleaved "
	         " ! webrtcechoprobe name=echo ! appsink name=asink sync=false emit-signals=true",
	         PT_H264, PT_H264, PT_OPUS_MIC, PT_OPUS_MIC, PT_OPUS_STETH, PT_OPUS_STETH, w->out_w,
	         w->out_h);
	GError *err = NULL;
	w->pipe = gst_parse_launch(desc, &err);
	if (!w->pipe || err) {
		cab_err("webrtc", "pipeline: %s", err ? err->message : "?");
		g_clear_error(&err);
		if (w->pipe)
			gst_object_unref(w->pipe);
		free(w);
		return NULL;
	}
	GstBin *bin = GST_BIN(w->pipe);
	w->wb = gst_bin_get_by_name(bin, "wb");
	w->vsrc = gst_bin_get_by_name(bin, "vsrc");
	w->msrc = gst_bin_get_by_name(bin, "msrc");
	w->ssrc = gst_bin_get_by_name(bin, "ssrc");
	w->vsink = gst_bin_get_by_name(bin, "vsink");
	w->asink = gst_bin_get_by_name(bin, "asink");
	g_object_get(w->wb, "ice-agent", &w->ice, NULL);
	if (cfg->loopback_candidates && w->ice) {
		gboolean ok = FALSE;
		g_signal_emit_by_name(w->ice, "add-local-ip-address", "127.0.0.1", &ok);
	}
	apply_ice(w);
	g_signal_connect(w->wb, "on-negotiation-needed", G_CALLBACK(on_negotiation_needed), w);
	g_signal_connect(w->wb, "on-ice-candidate", G_CALLBACK(on_ice_candidate), w);
	g_signal_connect(w->wb, "pad-added", G_CALLBACK(on_incoming), w);
	g_signal_connect(w->wb, "notify::ice-connection-state", G_CALLBACK(on_ice_state), w);
	g_signal_connect(w->vsink, "new-sample", G_CALLBACK(on_video_sample), w);
	GstElement *vin = gst_bin_get_by_name(bin, "vin");
	GstPad *vinpad = gst_element_get_static_pad(vin, "sink");
	gst_pad_add_probe(vinpad, GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM, on_video_caps, w, NULL);
	gst_object_unref(vinpad);
	gst_object_unref(vin);
	GstPad *vpad = gst_element_get_static_pad(w->vsrc, "src");
	gst_pad_add_probe(vpad, GST_PAD_PROBE_TYPE_EVENT_UPSTREAM, on_upstream_event, w, NULL);
	gst_object_unref(vpad);
	g_signal_connect(w->asink, "new-sample", G_CALLBACK(on_audio_sample), w);
	GstBus *bus = gst_element_get_bus(w->pipe);
	gst_bus_set_sync_handler(bus, bus_sync, w, NULL);
	gst_object_unref(bus);
	set_directions(w);

	if (gst_element_set_state(w->pipe, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE) {
		cab_err("webrtc", "pipeline does not start");
		cab_webrtc_stop(w);
		return NULL;
	}
	set_directions(w);
	w->base_ns = gst_element_get_base_time(w->pipe);

	struct cab_media_sender_cfg m = cfg->media;
	m.send = on_media_msg;
	m.send_user = w;
	m.on_mic_pcm = on_mic_pcm;
	m.send_stills = 0;
	w->tx = cab_media_sender_start(&m);
	if (!w->tx) {
		cab_webrtc_stop(w);
		return NULL;
	}
	w->origin_ns = cab_media_sender_origin_us(w->tx) * 1000;
	if (pthread_create(&w->stats_th, NULL, stats_main, w) != 0) {
		cab_webrtc_stop(w);
		return NULL;
	}
	return w;
}

struct cab_media_sender *cab_webrtc_sender(struct cab_webrtc *w)
{
	return w ? w->tx : NULL;
}

void cab_webrtc_stats(struct cab_webrtc *w, struct cab_webrtc_stats *out)
{
	pthread_mutex_lock(&w->lock);
	*out = w->st;
	out->video_au_out = __atomic_load_n(&w->st.video_au_out, __ATOMIC_RELAXED);
	out->mic_frames_out = __atomic_load_n(&w->st.mic_frames_out, __ATOMIC_RELAXED);
	out->steth_packets_out = __atomic_load_n(&w->st.steth_packets_out, __ATOMIC_RELAXED);
	pthread_mutex_unlock(&w->lock);
}

void cab_webrtc_stop(struct cab_webrtc *w)
{
	if (!w)
		return;
	w->stop = 1;
	if (w->stats_th)
		pthread_join(w->stats_th, NULL);
	if (w->tx)
		cab_media_sender_stop(w->tx);
	if (w->pipe)
		gst_element_set_state(w->pipe, GST_STATE_NULL);
	GstElement **els[] = {&w->wb, &w->vsrc, &w->msrc, &w->ssrc, &w->vsink, &w->asink};
	for (size_t i = 0; i < sizeof els / sizeof els[0]; i++)
		if (*els[i])
			gst_object_unref(*els[i]);
	if (w->ice)
		gst_object_unref(w->ice);
	if (w->pipe)
		gst_object_unref(w->pipe);
	pthread_mutex_destroy(&w->lock);
	free(w);
}
