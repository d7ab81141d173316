/* voice.h — spoken guidance: text in French or English turned into speech with
 * libespeak-ng (Debian's espeak-ng-data voices "fr" and "en"), handed back as
 * signed 16-bit mono PCM at the synthesiser's sample rate. The caller plays it
 * (kiosk/app/bind_voice.c queues it to an SDL audio device). No SDL, no threads:
 * synthesis runs in the calling thread and returns when the text is spoken.
 *
 * libespeak-ng keeps one global synthesiser per process: open at most one
 * cab_voice at a time. */
#ifndef CABIN_VOICE_VOICE_H
#define CABIN_VOICE_VOICE_H

#include <stddef.h>
#include <stdint.h>

struct cab_voice;

/* Receives N samples of PCM (S16 native-endian, mono, cab_voice_rate() Hz), in order,
 * possibly in several calls for one text. USER is cab_voice_say()'s. */
typedef void (*cab_voice_sink)(const int16_t *pcm, size_t n, void *user);

/* Starts the synthesiser. DATA_DIR is the directory that holds espeak-ng-data (NULL:
 * the library's default, /usr/lib/x86_64-linux-gnu/espeak-ng-data on Debian).
 * Returns the voice, or NULL when the library or its data cannot be loaded (the
 * cabin then runs silent; the reason is logged). */
struct cab_voice *cab_voice_open(const char *data_dir);

/* Sample rate of the PCM in Hz (22050 with the Debian voices). */
int cab_voice_rate(const struct cab_voice *v);

/* Speaks TEXT (UTF-8, at most 2000 bytes; longer text is refused) in LANG ("fr" or
 * "en"; other values are refused) at RATE_WPM words per minute (80..450; 0: 150,
 * slower than espeak's 175 for older listeners), handing the PCM to SINK. Returns
 * the number of samples produced (0 for an empty text), or -1: bad arguments,
 * unknown language or a synthesiser error (logged). */
long cab_voice_say(struct cab_voice *v, const char *lang, const char *text, int rate_wpm,
                   cab_voice_sink sink, void *user);

/* Stops the synthesiser and frees V (NULL is fine). */
void cab_voice_close(struct cab_voice *v);

#endif
