/* bind_voice.c — spoken guidance bound to the main thread: the screen's instruction
 * (struct cab_screen.say) is spoken through kiosk/voice when a screen appears, again
 * on "repeat", at the volume the patient picks in the header (loud, quiet, off). The
 * PCM goes to an SDL audio device of its own. Nothing is said during the call, and
 * entering it cuts what was being said. [ui] voice_volume = 0 turns it off. */
#include <SDL2/SDL.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/app/app_internal.h"
#include "kiosk/app/bind.h"
#include "kiosk/ui/i18n.h"
#include "kiosk/ui/rx_dialog.h"
#include "kiosk/voice/voice.h"
#include "log.h"

struct cab_app_voice {
	struct cab_voice *voice;
	SDL_AudioDeviceID dev;
	int volume;             /* percent of full scale at level 2 (configuration) */
	long said;              /* samples queued since start (test figures) */
	int16_t buf[4096];
};

static void sink(const int16_t *pcm, size_t n, void *user)
{
	struct cab_app *a = user;
	struct cab_app_voice *av = a->voice;
	int pct = a->view.voice_level == 2 ? av->volume : av->volume / 2;
	while (n > 0) {
		size_t k = n < sizeof av->buf / sizeof av->buf[0] ? n : sizeof av->buf / sizeof av->buf[0];
		for (size_t i = 0; i < k; i++)
			av->buf[i] = (int16_t)((int)pcm[i] * pct / 100);
		if (SDL_QueueAudio(av->dev, av->buf, (Uint32)(k * sizeof av->buf[0])) != 0)
			return;
		av->said += (long)k;
		pcm += k;
		n -= k;
	}
}

int cab_app_voice_start(struct cab_app *a)
{
	a->view.voice_level = -1;
	if (a->cfg.voice_volume <= 0) {
		cab_info("voice", "spoken guidance off ([ui] voice_volume = 0)");
		return 0;
	}
	struct cab_app_voice *av = calloc(1, sizeof *av);
	if (!av)
		return -1;
	av->volume = a->cfg.voice_volume;
	av->voice = cab_voice_open(NULL);
	if (!av->voice)
		goto fail;
	if (SDL_InitSubSystem(SDL_INIT_AUDIO) != 0) {
		cab_warn("voice", "no sound: %s", SDL_GetError());
		goto fail;
	}
	SDL_AudioSpec want = {.freq = cab_voice_rate(av->voice), .format = AUDIO_S16SYS,
	                      .channels = 1, .samples = 1024};
	av->dev = SDL_OpenAudioDevice(NULL, 0, &want, NULL, 0);
	if (!av->dev) {
		cab_warn("voice", "no sound output for the spoken guidance: %s", SDL_GetError());
		goto fail;
	}
	SDL_PauseAudioDevice(av->dev, 0);
	a->voice = av;
	a->view.voice_level = 2;
	cab_info("voice", "spoken guidance on (%d Hz, volume %d %%)", want.freq, av->volume);
	return 0;
fail:
	cab_voice_close(av->voice);
	free(av);
	return -1;
}

/* Says the instruction of the screen now shown (nothing during the call). */
static void say_screen(struct cab_app *a)
{
	struct cab_app_voice *av = a->voice;
	SDL_ClearQueuedAudio(av->dev); /* a new screen interrupts the last one's words */
	const struct cab_screen *s = cab_screen_for(a->view.state);
	const char *say = cab_rx_say(&a->view); /* the prescription dialog, when it is up */
	if (!say)
		say = s->say;
	if (a->view.voice_level <= 0 || !say || a->view.state == CAB_FLOW_CONSULTATION)
		return;
	long before = av->said;
	long n = cab_voice_say(av->voice, ui_i18n_lang(), _(say), 0, sink, a);
	cab_info("voice", "screen %s: %ld samples spoken (%s)", s->name, n < 0 ? -1 : av->said - before,
	         ui_i18n_lang());
}

void cab_app_voice_screen(struct cab_app *a)
{
	if (a->voice)
		say_screen(a);
}

void cab_app_voice_action(struct cab_app *a, int act)
{
	if (!a->voice)
		return;
	if (act == CAB_ACT_VOICE_CYCLE) {
		a->view.voice_level = a->view.voice_level == 2 ? 1 : a->view.voice_level == 1 ? 0 : 2;
		cab_info("voice", "level %d", a->view.voice_level);
		if (a->view.voice_level == 0)
			SDL_ClearQueuedAudio(a->voice->dev);
		else
			say_screen(a);
	} else if (act == CAB_ACT_VOICE_REPEAT) {
		say_screen(a);
	}
	a->ctx.dirty = true;
}

void cab_app_voice_alert(struct cab_app *a)
{
	struct cab_app_voice *av = a->voice;
	if (!av || a->view.state == CAB_FLOW_CONSULTATION)
		return;
	SDL_ClearQueuedAudio(av->dev);
	int rate = cab_voice_rate(av->voice), n = rate / 5;
	int amp = 8000 * av->volume / 100;
	for (int note = 0; note < 2; note++) {
		double hz = note ? 660.0 : 880.0;
		for (int i = 0; i < n; i += (int)(sizeof av->buf / sizeof av->buf[0])) {
			int k = n - i < (int)(sizeof av->buf / sizeof av->buf[0]) ? n - i : (int)(sizeof av->buf / sizeof av->buf[0]);
			for (int j = 0; j < k; j++) {
				int s = i + j, edge = s < n - s ? s : n - s; /* 10 ms fades: no click */
				double env = edge < rate / 100 ? (double)edge / (rate / 100) : 1.0;
				av->buf[j] = (int16_t)(amp * env * sin(2.0 * M_PI * hz * s / rate));
			}
			SDL_QueueAudio(av->dev, av->buf, (Uint32)(k * sizeof av->buf[0]));
			av->said += k;
		}
	}
	cab_info("voice", "still-there chime: %d samples", 2 * n);
	if (a->view.voice_level > 0)
		cab_voice_say(av->voice, ui_i18n_lang(),
		              _("Are you still there? Touch the screen if you need more time."), 0, sink, a);
}

void cab_app_voice_guide(struct cab_app *a, int tile)
{
	struct cab_app_voice *av = a->voice;
	if (!av || a->view.voice_level <= 0 || a->view.state == CAB_FLOW_CONSULTATION)
		return;
	SDL_ClearQueuedAudio(av->dev);
	long before = av->said;
	for (int k = 0; k < 2; k++) {
		const char *m = cab_waiting_guide_step(tile, k);
		if (m)
			cab_voice_say(av->voice, ui_i18n_lang(), _(m), 0, sink, a);
	}
	cab_info("voice", "guide %d: %ld samples spoken (%s)", tile, av->said - before, ui_i18n_lang());
}

void cab_app_voice_stop(struct cab_app *a)
{
	struct cab_app_voice *av = a->voice;
	if (!av)
		return;
	SDL_CloseAudioDevice(av->dev);
	cab_voice_close(av->voice);
	free(av);
	a->voice = NULL;
}
