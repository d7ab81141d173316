/* voice.c — libespeak-ng in synchronous mode behind cab_voice (see voice.h). */
#include "kiosk/voice/voice.h"

#include <espeak-ng/speak_lib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

#define VOICE_MAX_TEXT 2000

struct cab_voice {
	int rate;            /* Hz */
	char lang[8];        /* voice selected now ("" none) */
};

/* What one espeak_Synth call hands its callback through the events' user_data. */
struct say_job {
	cab_voice_sink sink;
	void *user;
	long samples;
};

static int on_synth(short *wav, int numsamples, espeak_EVENT *ev)
{
	/* ev is a list ending with espeakEVENT_LIST_TERMINATED; each carries user_data */
	struct say_job *job = ev ? ev->user_data : NULL;
	if (job && wav && numsamples > 0) {
		job->sink((const int16_t *)wav, (size_t)numsamples, job->user);
		job->samples += numsamples;
	}
	return 0; /* continue */
}

struct cab_voice *cab_voice_open(const char *data_dir)
{
	int rate = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 200, data_dir, espeakINITIALIZE_DONT_EXIT);
	if (rate <= 0) {
		cab_log(CAB_LOG_WARN, "voice", "espeak-ng could not start (data in %s)",
		        data_dir ? data_dir : "the default place");
		return NULL;
	}
	struct cab_voice *v = calloc(1, sizeof *v);
	if (!v) {
		espeak_Terminate();
		return NULL;
	}
	v->rate = rate;
	espeak_SetSynthCallback(on_synth);
	return v;
}

int cab_voice_rate(const struct cab_voice *v)
{
	return v ? v->rate : 0;
}

long cab_voice_say(struct cab_voice *v, const char *lang, const char *text, int rate_wpm,
                   cab_voice_sink sink, void *user)
{
	if (!v || !lang || !text || !sink || (strcmp(lang, "fr") && strcmp(lang, "en")))
		return -1;
	size_t len = strnlen(text, VOICE_MAX_TEXT + 1);
	if (len > VOICE_MAX_TEXT)
		return -1;
	if (len == 0)
		return 0;
	if (rate_wpm == 0)
		rate_wpm = 150;
	if (rate_wpm < 80 || rate_wpm > 450)
		return -1;
	if (strcmp(v->lang, lang)) {
		if (espeak_SetVoiceByName(lang) != EE_OK) {
			cab_log(CAB_LOG_WARN, "voice", "no espeak-ng voice for %s", lang);
			return -1;
		}
		snprintf(v->lang, sizeof v->lang, "%s", lang);
	}
	espeak_SetParameter(espeakRATE, rate_wpm, 0);
	struct say_job job = {sink, user, 0};
	espeak_ERROR e = espeak_Synth(text, len + 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8, NULL, &job);
	if (e != EE_OK) {
		cab_log(CAB_LOG_WARN, "voice", "espeak-ng synthesis failed (%d)", (int)e);
		return -1;
	}
	return job.samples;
}

void cab_voice_close(struct cab_voice *v)
{
	if (!v)
		return;
	espeak_Terminate();
	free(v);
}
