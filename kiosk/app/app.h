/* app.h — the cabin program: window, main loop, the patient flow and the screens
 * tied together. The main thread runs everything here; other threads only post to
 * the event queue (events.h). */
#ifndef CABIN_APP_APP_H
#define CABIN_APP_APP_H

#include "kiosk/app/options.h"

/* Runs the kiosk until the window is closed. Returns the process exit status. */
int cab_app_run(const struct cab_options *o);

/* --render-screens: renders every screen and dialog in both languages at
 * 1920x1080, 1280x800 and 1080x1920 to DIR/<screen>-<lang>-<W>x<H>.png with the
 * software renderer (no display needed). Returns 0, or 1 on any failure. */
int cab_app_render_screens(const struct cab_options *o);

#endif
