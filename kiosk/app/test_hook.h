/* test_hook.h — the cabin's test hook: a local control socket that end-to-end tests,
 * the soak and the benchmarks use to drive the real program without X events.
 * Compiled into every build, active only when CABIN_TEST_HOOK names a socket path
 * (docs/e2e.md lists the commands). Main thread unless said. */
#ifndef CABIN_APP_TEST_HOOK_H
#define CABIN_APP_TEST_HOOK_H

#include <SDL2/SDL_events.h>
#include <stdbool.h>
#include <stdint.h>

struct cab_app;

/* Starts the hook when CABIN_TEST_HOOK is set: a unix stream socket at that path
 * (mode 0600, replaced if present) served by one thread; each line received is
 * run on the main thread and answered with one line ("ok ..." or "err ...").
 * Returns 0 (also when not enabled), -1 when the socket cannot be made. */
int cab_test_hook_start(struct cab_app *a);

/* True when E is a hook command (then run here and answered). */
bool cab_test_hook_sdl_event(struct cab_app *a, const SDL_Event *e);

/* Called after each frame is presented (first-frame time, frame counts, timed taps). */
void cab_test_hook_frame(struct cab_app *a);

/* Stops the thread and removes the socket. */
void cab_test_hook_stop(void);

/* MS divided by CABIN_TEST_HOOK_SPEED (an integer 1..100, default 1) when the
 * hook is active, so soak sessions do not wait on display timers (check steps,
 * wipe screen, simulated measurements); MS unchanged otherwise. Any thread. */
int64_t cab_test_hook_ms(int64_t ms);

#endif
