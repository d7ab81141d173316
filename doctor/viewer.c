/* viewer.c — cabin-doctor's SDL window and sound (viewer.h). The service thread
 * copies the latest decoded picture into a buffer under a mutex; the main thread
 * uploads it to an IYUV texture and lets SDL scale it into the window keeping its
 * aspect ratio. Sound is queued to SDL audio; the stethoscope, when it streams,
 * is played instead of the room microphone. */
#include "doctor/viewer.h"

#include "common/clock.h"
#include "common/log.h"

#include <SDL.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOG "viewer"
#define AUDIO_RATE 48000
#define AUDIO_MAX_QUEUED (AUDIO_RATE * 2 / 4) /* bytes: 250 ms; older sound is dropped */

struct viewer {
	SDL_Window *win;
	SDL_Renderer *ren;
	SDL_Texture *tex;
	int tex_w, tex_h;
	SDL_AudioDeviceID audio;
	pthread_mutex_t mu;
	uint8_t *buf; /* latest picture, planar YUV 4:2:0, w*h*3/2 bytes */
	int w, h, fresh, ended;
	char title[256];
	int title_dirty;
	int64_t steth_ms; /* last stethoscope sound, monotonic ms */
	unsigned long shown;
	unsigned long long audio_bytes; /* sound handed to SDL audio */
};

static void on_video(void *user, const char *session, const char *cabin,
                     const struct cab_media_video_frame *f)
{
	struct viewer *v = user;
	if (f->format != CAB_MEDIA_PIX_YUV420P || f->width < 2 || f->height < 2)
		return;
	size_t ysz = (size_t)f->width * (size_t)f->height, csz = ysz / 4;
	pthread_mutex_lock(&v->mu);
	if (v->w != f->width || v->h != f->height) {
		uint8_t *nb = realloc(v->buf, ysz + 2 * csz);
		if (!nb) {
			pthread_mutex_unlock(&v->mu);
			return;
		}
		v->buf = nb;
		v->w = f->width;
		v->h = f->height;
	}
	uint8_t *dst = v->buf;
	for (int p = 0; p < 3; p++) {
		int pw = p ? f->width / 2 : f->width, ph = p ? f->height / 2 : f->height;
		for (int y = 0; y < ph; y++, dst += pw)
			memcpy(dst, f->data[p] + (size_t)y * (size_t)f->linesize[p], (size_t)pw);
	}
	v->fresh = 1;
	v->ended = 0;
	char t[256];
	snprintf(t, sizeof t, "cabin-doctor — session %s — cabin %s (%dx%d)", session, cabin,
	         f->src_width, f->src_height);
	if (strcmp(t, v->title)) {
		snprintf(v->title, sizeof v->title, "%s", t);
		v->title_dirty = 1;
	}
	pthread_mutex_unlock(&v->mu);
}

static void on_audio(void *user, const char *session, const struct cab_media_audio_chunk *a)
{
	struct viewer *v = user;
	(void)session;
	if (!v->audio || a->format != CAB_MEDIA_SAMPLE_S16 || a->channels != 1)
		return;
	int64_t now = cab_mono_ms();
	if (a->stream == CAB_MEDIA_STREAM_STETHOSCOPE)
		__atomic_store_n(&v->steth_ms, now, __ATOMIC_RELAXED);
	else if (now - __atomic_load_n(&v->steth_ms, __ATOMIC_RELAXED) < 500)
		return; /* the doctor listens to the stethoscope */
	if (SDL_GetQueuedAudioSize(v->audio) > AUDIO_MAX_QUEUED)
		SDL_ClearQueuedAudio(v->audio); /* late: start again from now */
	if (SDL_QueueAudio(v->audio, a->samples, (Uint32)a->nb_samples * 2) == 0)
		__atomic_add_fetch(&v->audio_bytes, (unsigned long long)a->nb_samples * 2,
		                   __ATOMIC_RELAXED);
}

static void on_end(void *user, const char *session)
{
	struct viewer *v = user;
	pthread_mutex_lock(&v->mu);
	v->ended = 1;
	snprintf(v->title, sizeof v->title, "cabin-doctor — session %s ended", session);
	v->title_dirty = 1;
	pthread_mutex_unlock(&v->mu);
}

struct station_viewer viewer_callbacks(struct viewer *v)
{
	return (struct station_viewer){on_video, on_audio, on_end, v};
}

struct viewer *viewer_new(int audio, char *err, size_t n)
{
	struct viewer *v = calloc(1, sizeof *v);
	if (!v) {
		snprintf(err, n, "out of memory");
		return NULL;
	}
	pthread_mutex_init(&v->mu, NULL);
	if (SDL_Init(SDL_INIT_VIDEO) != 0) {
		snprintf(err, n, "no display: %s", SDL_GetError());
		goto fail;
	}
	v->win = SDL_CreateWindow("cabin-doctor — waiting for a cabin", SDL_WINDOWPOS_CENTERED,
	                          SDL_WINDOWPOS_CENTERED, 960, 540, SDL_WINDOW_RESIZABLE);
	v->ren = v->win ? SDL_CreateRenderer(v->win, -1, 0) : NULL;
	if (!v->ren) {
		snprintf(err, n, "cannot open the window: %s", SDL_GetError());
		goto fail;
	}
	if (audio) {
		SDL_AudioSpec want = {
		    .freq = AUDIO_RATE, .format = AUDIO_S16SYS, .channels = 1, .samples = 1024};
		if (SDL_InitSubSystem(SDL_INIT_AUDIO) == 0)
			v->audio = SDL_OpenAudioDevice(NULL, 0, &want, NULL, 0);
		if (v->audio)
			SDL_PauseAudioDevice(v->audio, 0);
		else
			cab_warn(LOG, "no sound output: %s", SDL_GetError());
	}
	return v;
fail:
	viewer_free(v);
	return NULL;
}

static void present(struct viewer *v)
{
	int ww, wh;
	SDL_GetRendererOutputSize(v->ren, &ww, &wh);
	SDL_SetRenderDrawColor(v->ren, 16, 20, 24, 255);
	SDL_RenderClear(v->ren);
	pthread_mutex_lock(&v->mu);
	if (v->title_dirty) {
		SDL_SetWindowTitle(v->win, v->title);
		v->title_dirty = 0;
	}
	if (v->fresh && v->buf) {
		if (!v->tex || v->tex_w != v->w || v->tex_h != v->h) {
			if (v->tex)
				SDL_DestroyTexture(v->tex);
			v->tex = SDL_CreateTexture(v->ren, SDL_PIXELFORMAT_IYUV,
			                           SDL_TEXTUREACCESS_STREAMING, v->w, v->h);
			v->tex_w = v->w;
			v->tex_h = v->h;
		}
		if (v->tex)
			SDL_UpdateTexture(v->tex, NULL, v->buf, v->w);
		v->fresh = 0;
		v->shown++;
	}
	int ended = v->ended;
	pthread_mutex_unlock(&v->mu);
	if (v->tex && !ended && v->tex_w > 0 && v->tex_h > 0) {
		/* scale into the window, keeping the picture's aspect ratio */
		double s = (double)ww / v->tex_w < (double)wh / v->tex_h ? (double)ww / v->tex_w
		                                                         : (double)wh / v->tex_h;
		SDL_Rect r = {0, 0, (int)(v->tex_w * s), (int)(v->tex_h * s)};
		r.x = (ww - r.w) / 2;
		r.y = (wh - r.h) / 2;
		SDL_RenderCopy(v->ren, v->tex, NULL, &r);
	}
	SDL_RenderPresent(v->ren);
}

int viewer_run(struct viewer *v, int (*stop)(void))
{
	while (!stop()) {
		SDL_Event e;
		while (SDL_PollEvent(&e))
			if (e.type == SDL_QUIT)
				return 1;
		present(v);
		SDL_Delay(15);
	}
	return 0;
}

unsigned long viewer_frames_shown(const struct viewer *v)
{
	return v->shown;
}

long viewer_sound_ms(const struct viewer *v)
{
	return v->audio ? (long)(__atomic_load_n(&v->audio_bytes, __ATOMIC_RELAXED) /
	                         (AUDIO_RATE * 2 / 1000))
	                : -1;
}

void viewer_free(struct viewer *v)
{
	if (!v)
		return;
	if (v->audio)
		SDL_CloseAudioDevice(v->audio);
	if (v->tex)
		SDL_DestroyTexture(v->tex);
	if (v->ren)
		SDL_DestroyRenderer(v->ren);
	if (v->win)
		SDL_DestroyWindow(v->win);
	SDL_Quit();
	pthread_mutex_destroy(&v->mu);
	free(v->buf);
	free(v);
}
