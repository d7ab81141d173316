/* viewer.h — cabin-doctor's window: the cabin's live video scaled into an SDL window
 * (letterboxed, session and cabin id in the title) and its sound through SDL audio.
 * The station's service thread feeds it (station_viewer callbacks); the window
 * itself lives on the main thread (viewer_run). */
#ifndef CABIN_DOCTOR_VIEWER_H
#define CABIN_DOCTOR_VIEWER_H

#include "doctor/station_media.h"

struct viewer;

/* Creates the window and, when AUDIO, the SDL audio device (S16 mono 48 kHz; a
 * missing audio device is logged and skipped). Main thread. NULL on error (no
 * display), with ERR filled. */
struct viewer *viewer_new(int audio, char *err, size_t n);

/* Callbacks for cab_station_media_cfg.viewer (any thread). */
struct station_viewer viewer_callbacks(struct viewer *v);

/* Runs the window loop on the main thread until STOP() returns non-zero or the
 * window is closed (then returns 1; 0 when STOP ended it). */
int viewer_run(struct viewer *v, int (*stop)(void));

/* Frames presented so far (for the log at exit). */
unsigned long viewer_frames_shown(const struct viewer *v);

/* Milliseconds of sound handed to SDL audio so far; -1 without an audio device. */
long viewer_sound_ms(const struct viewer *v);

/* Closes the window and the audio device. Main thread. NULL-safe. */
void viewer_free(struct viewer *v);

#endif
