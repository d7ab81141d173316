/* station_media.c — one session's incoming media at the doctor station: receiver,
 * Matroska recorder, stethoscope WAV, viewer hand-off and counts (station_media.h). */
#include "doctor/station_media.h"

#include "common/log.h"
#include "kiosk/media/media_recorder.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define LOG "station-media"
#define WAV_RATE 48000
#define WAV_MAX_BYTES (512u * 1024 * 1024) /* about 1 h 30 of 16-bit mono 48 kHz */

struct station_media {
	char session[64], cabin[128], mkv[1200], wav_path[1200];
	struct station_viewer viewer;
	void (*need_key)(void *user, const char *cabin);
	void *key_user;
	struct cab_media_receiver *rx;
	struct cab_media_recorder *rec;
	FILE *wav;
	uint32_t wav_bytes;
	uint64_t steth_samples, audio_samples;
	/* video timestamps as decoded */
	int64_t first_pts, last_pts, min_dt, max_dt;
	uint64_t regular; /* frame intervals within 1 ms of the stream's frame time */
	int fps;
	int monotonic;
	uint64_t frames;
};

/* RIFF/WAVE header for 16-bit PCM mono (Microsoft WAVE, "fmt " tag 1); DATA_BYTES
 * is patched at the end. */
static void wav_header(FILE *f, uint32_t data_bytes)
{
	uint8_t h[44];
	uint32_t v;
	memcpy(h, "RIFF", 4);
	v = 36 + data_bytes;
	for (int i = 0; i < 4; i++)
		h[4 + i] = (uint8_t)(v >> (8 * i));
	memcpy(h + 8, "WAVEfmt ", 8);
	const uint32_t fmt[] = {16, 1 | (1u << 16), WAV_RATE, WAV_RATE * 2, 2 | (16u << 16)};
	for (int k = 0; k < 5; k++)
		for (int i = 0; i < 4; i++)
			h[16 + 4 * k + i] = (uint8_t)(fmt[k] >> (8 * i));
	memcpy(h + 36, "data", 4);
	for (int i = 0; i < 4; i++)
		h[40 + i] = (uint8_t)(data_bytes >> (8 * i));
	fseek(f, 0, SEEK_SET);
	fwrite(h, 1, sizeof h, f);
	fseek(f, 0, SEEK_END);
}

static void on_video(void *user, const struct cab_media_video_frame *f)
{
	struct station_media *m = user;
	if (m->frames) {
		int64_t d = f->pts_us - m->last_pts;
		if (d <= 0)
			m->monotonic = 0;
		if (d < m->min_dt)
			m->min_dt = d;
		if (d > m->max_dt)
			m->max_dt = d;
		int64_t ft = 1000000 / (m->fps > 0 ? m->fps : 30);
		if (d >= ft - 1000 && d <= ft + 1000)
			m->regular++;
	} else {
		m->first_pts = f->pts_us;
	}
	m->last_pts = f->pts_us;
	m->frames++;
	if (m->viewer.on_video)
		m->viewer.on_video(m->viewer.user, m->session, m->cabin, f);
}

static void on_audio(void *user, const struct cab_media_audio_chunk *a)
{
	struct station_media *m = user;
	if (a->stream == CAB_MEDIA_STREAM_STETHOSCOPE) {
		m->steth_samples += (uint64_t)a->nb_samples;
		size_t bytes = (size_t)a->nb_samples * 2;
		if (!m->wav) {
			m->wav = fopen(m->wav_path, "w+b");
			if (m->wav)
				wav_header(m->wav, 0);
			else
				cab_warn(LOG, "cannot create %s", m->wav_path);
		}
		if (m->wav && m->wav_bytes + bytes <= WAV_MAX_BYTES &&
		    fwrite(a->samples, 1, bytes, m->wav) == bytes) /* S16 LE on our targets */
			m->wav_bytes += (uint32_t)bytes;
	} else {
		m->audio_samples += (uint64_t)a->nb_samples;
	}
	if (m->viewer.on_audio)
		m->viewer.on_audio(m->viewer.user, m->session, a);
}

static void on_need_key(void *user, int stream)
{
	struct station_media *m = user;
	(void)stream;
	if (m->need_key)
		m->need_key(m->key_user, m->cabin);
}

struct station_media *station_media_new(const char *dir, const char *session, const char *cabin,
                                        const struct station_viewer *viewer,
                                        void (*need_key)(void *user, const char *cabin),
                                        void *key_user)
{
	struct station_media *m = calloc(1, sizeof *m);
	if (!m)
		return NULL;
	snprintf(m->session, sizeof m->session, "%s", session);
	snprintf(m->cabin, sizeof m->cabin, "%s", cabin);
	if (viewer)
		m->viewer = *viewer;
	m->need_key = need_key;
	m->key_user = key_user;
	m->monotonic = 1;
	m->min_dt = INT64_MAX;
	snprintf(m->mkv, sizeof m->mkv, "%s/%s.mkv", dir, session);
	snprintf(m->wav_path, sizeof m->wav_path, "%s/%s-stethoscope.wav", dir, session);
	for (int k = 2; access(m->mkv, F_OK) == 0 && k < 100; k++) {
		snprintf(m->mkv, sizeof m->mkv, "%s/%s-%d.mkv", dir, session, k);
		snprintf(m->wav_path, sizeof m->wav_path, "%s/%s-%d-stethoscope.wav", dir, session,
		         k);
	}
	struct cab_media_receiver_cfg rc = {.pixfmt = CAB_MEDIA_PIX_YUV420P,
	                                    .samplefmt = CAB_MEDIA_SAMPLE_S16,
	                                    .out_rate = WAV_RATE,
	                                    .out_channels = 1,
	                                    .on_video = on_video,
	                                    .on_audio = on_audio,
	                                    .on_need_keyframe = on_need_key,
	                                    .user = m};
	m->rx = cab_media_receiver_new(&rc);
	m->rec = cab_media_recorder_open(m->mkv, cab_media_default_tracks, 3);
	if (!m->rx || !m->rec) {
		cab_err(LOG, "session %s: cannot start the receiver or %s", session, m->mkv);
		cab_media_receiver_free(m->rx);
		if (m->rec)
			cab_media_recorder_close(m->rec);
		free(m);
		return NULL;
	}
	cab_info(LOG, "session %s: recording to %s", session, m->mkv);
	return m;
}

int station_media_push(struct station_media *m, const uint8_t *msg, size_t len)
{
	struct cab_media_packet pk;
	if (len > 4 && msg[4] & CAB_MEDIA_FLAG_CONFIG &&
	    cab_media_packet_parse(msg, len, &pk) == 0 && pk.stream == CAB_MEDIA_STREAM_VIDEO &&
	    pk.config.fps > 0)
		m->fps = pk.config.fps; /* frame time for the regularity count */
	int r = cab_media_receiver_push(m->rx, msg, len);
	if (m->rec && cab_media_recorder_write(m->rec, msg, len) < 0) {
		cab_err(LOG, "session %s: recording stopped (write error)", m->session);
		cab_media_recorder_close(m->rec);
		m->rec = NULL;
	}
	return r;
}

const char *station_media_session(const struct station_media *m)
{
	return m->session;
}

const char *station_media_recording(const struct station_media *m)
{
	return m->mkv;
}

json_t *station_media_end(struct station_media *m)
{
	if (!m)
		return NULL;
	struct cab_media_receiver_stats rs;
	struct cab_media_recorder_stats cs = {0};
	cab_media_receiver_stats(m->rx, &rs);
	int rec_ok = -1;
	if (m->rec) {
		cab_media_recorder_stats(m->rec, &cs);
		rec_ok = cab_media_recorder_close(m->rec);
	}
	if (m->wav) {
		wav_header(m->wav, m->wav_bytes);
		fclose(m->wav);
	}
	/* no media came (session aborted, cabin gone, --session without video): the
	 * recorder wrote nothing, so no 0-byte .mkv is left behind */
	struct stat sb;
	int removed = stat(m->mkv, &sb) == 0 && sb.st_size == 0 && unlink(m->mkv) == 0;
	json_t *o = json_pack(
	    "{s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:b, s:I, s:I, s:i, s:i, "
	    "s:s, s:I, s:b}",
	    "session", m->session, "messages", (json_int_t)rs.messages, "bad_messages",
	    (json_int_t)rs.bad_messages, "video_frames", (json_int_t)m->frames, "audio_chunks",
	    (json_int_t)rs.audio_chunks, "audio_samples", (json_int_t)m->audio_samples,
	    "steth_chunks", (json_int_t)rs.steth_chunks, "steth_samples",
	    (json_int_t)m->steth_samples, "decode_errors", (json_int_t)rs.decode_errors, "gaps",
	    (json_int_t)rs.gaps, "skipped", (json_int_t)rs.skipped, "first_video_pts_us",
	    (json_int_t)(m->frames ? m->first_pts : -1), "video_pts_monotonic", m->monotonic,
	    "min_frame_interval_us", (json_int_t)(m->frames > 1 ? m->min_dt : 0),
	    "max_frame_interval_us", (json_int_t)(m->frames > 1 ? m->max_dt : 0), "width",
	    rs.video_width, "height", rs.video_height, "recording", m->mkv, "recorded_packets",
	    (json_int_t)cs.written, "recording_ok", rec_ok == 0 && cs.header_written);
	if (removed)
		json_object_set_new(o, "recording", json_null());
	json_object_set_new(o, "last_video_pts_us", json_integer(m->frames ? m->last_pts : -1));
	json_object_set_new(o, "regular_frame_intervals", json_integer((json_int_t)m->regular));
	if (m->wav)
		json_object_set_new(o, "stethoscope_wav", json_string(m->wav_path));
	cab_info(LOG, "session %s: media ended, %llu frames decoded, %llu recorded", m->session,
	         (unsigned long long)m->frames, (unsigned long long)cs.written);
	if (m->viewer.on_end)
		m->viewer.on_end(m->viewer.user, m->session);
	cab_media_receiver_free(m->rx);
	free(m);
	return o;
}
