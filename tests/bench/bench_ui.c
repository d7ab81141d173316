/* bench_ui.c — how long the kiosk takes to lay out and draw a frame with SDL's
 * software renderer (the slowest renderer the cabin may fall back to), per screen
 * size, averaged over every screen; and the cost of wrapping a paragraph.
 * Prints JSON lines for tests/bench/run. */
#include <SDL2/SDL.h>
#include <SDL2/SDL_ttf.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <string.h>

#include "clock.h"
#include "kiosk/ui/i18n.h"
#include "kiosk/ui/stage.h"
#include "kiosk/ui/text_cache.h"
#include "kiosk/ui/ui.h"
#include "kiosk/ui/wrap.h"

static int measure10(void *u, const char *s, size_t n)
{
	(void)u;
	(void)s;
	return (int)n * 10;
}

static int64_t now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int cmp64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

static double pct(int64_t *v, int n, double p)
{
	qsort(v, (size_t)n, sizeof *v, cmp64);
	int i = (int)(p * (n - 1) + 0.5);
	return v[i < n ? i : n - 1] / 1000.0;
}

#define REDRAWS 20
#define MAXF 4096

/* Draws every screen at W x H: one cold frame, then REDRAWS redraws each; the redraws'
 * times (µs) go to OUT. CACHED 0 switches the text cache off (the baseline). */
static int frames(int w, int h, int cached, int64_t *out, int *nout)
{
	static struct cab_view v;
	static struct cab_stage st;
	SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
	SDL_Renderer *r = SDL_CreateSoftwareRenderer(s);
	struct ui_ctx ctx;
	if (!r || ui_ctx_init(&ctx, r, w, h, 0, "/usr/share/fonts/truetype/dejavu", "assets"))
		return -1;
	if (!cached) {
		ui_text_cache_free(ctx.texts);
		ctx.texts = NULL;
	}
	*nout = 0;
	for (int state = CAB_FLOW_ATTRACT; state <= CAB_FLOW_WIPE; state++) {
		memset(&v, 0, sizeof v);
		cab_view_reset(&v);
		v.state = (enum cab_flow_state)state;
		cab_stage_init(&st, &v);
		for (int i = 0; i <= REDRAWS; i++) {
			int64_t t0 = now_us();
			ui_ctx_begin_frame(&ctx);
			cab_stage_layout(&st, &ctx, &v);
			cab_stage_draw(&st, &ctx, &v);
			SDL_RenderFlush(r);
			if (i > 0 && *nout < MAXF)
				out[(*nout)++] = now_us() - t0;
		}
	}
	ui_ctx_free(&ctx);
	SDL_DestroyRenderer(r);
	SDL_FreeSurface(s);
	return 0;
}

/* The least a frame can cost: clear and copy one full-window texture (µs each). */
static int floor_frames(int w, int h, int64_t *out, int *nout)
{
	SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
	SDL_Renderer *r = SDL_CreateSoftwareRenderer(s);
	SDL_Texture *t = r ? SDL_CreateTexture(r, SDL_PIXELFORMAT_ARGB8888,
	                                       SDL_TEXTUREACCESS_STATIC, w, h)
	                   : NULL;
	if (!t)
		return -1;
	*nout = 0;
	for (int i = 0; i < 200; i++) {
		int64_t t0 = now_us();
		SDL_SetRenderDrawColor(r, 250, 250, 250, 255);
		SDL_RenderClear(r);
		SDL_RenderCopy(r, t, NULL, NULL);
		SDL_RenderFlush(r);
		out[(*nout)++] = now_us() - t0;
	}
	SDL_DestroyTexture(t);
	SDL_DestroyRenderer(r);
	SDL_FreeSurface(s);
	return 0;
}

int main(void)
{
	static const int sizes[][2] = {{1920, 1080}, {1280, 800}, {1080, 1920}};
	static int64_t t[MAXF];
	int n;
	if (SDL_Init(0) || TTF_Init())
		return 1;
	ui_i18n_init("build/locale", "fr");
	for (size_t k = 0; k < 3; k++) {
		int w = sizes[k][0], h = sizes[k][1];
		if (frames(w, h, 1, t, &n))
			return 1;
		double p50 = pct(t, n, 0.5), p99 = pct(t, n, 0.99);
		if (frames(w, h, 0, t, &n))
			return 1;
		double b50 = pct(t, n, 0.5), b99 = pct(t, n, 0.99);
		printf("{\"name\": \"ui_frame_ms_p50_%dx%d\", \"value\": %.2f, \"unit\": \"ms\", "
		       "\"note\": \"layout + draw of a redraw, software renderer into a surface, %d "
		       "redraws over every screen; baseline without the text cache in the same run: "
		       "%.2f ms\", \"baseline\": %.2f}\n",
		       w, h, p50, n, b50, b50);
		printf("{\"name\": \"ui_frame_ms_p99_%dx%d\", \"value\": %.2f, \"unit\": \"ms\", "
		       "\"note\": \"99th percentile of the same redraws; without the text cache: %.2f "
		       "ms\", \"baseline\": %.2f}\n",
		       w, h, p99, b99, b99);
		if (k == 0 && !floor_frames(w, h, t, &n))
			printf("{\"name\": \"ui_frame_floor_ms_1920x1080\", \"value\": %.2f, \"unit\": "
			       "\"ms\", \"note\": \"the least a frame costs: clear and copy one "
			       "full-window texture, median of %d\"}\n",
			       pct(t, n, 0.5), n);
	}
	const char *para = "La consultation coûte 30,00 €. L'Assurance Maladie la rembourse comme une "
	                   "consultation au cabinet, dans le respect du parcours de soins coordonnés.";
	struct ui_line lines[64];
	int64_t t0 = cab_mono_ms();
	n = 0;
	while (cab_mono_ms() - t0 < 300) {
		for (int i = 0; i < 1000; i++)
			ui_wrap(para, 400, measure10, NULL, lines, 64);
		n += 1000;
	}
	printf("{\"name\": \"ui_wrap_per_s\", \"value\": %.0f, \"unit\": \"paragraphs/s\", \"note\": "
	       "\"150-character paragraph, fixed-advance measure (the font's measuring excluded)\"}\n",
	       n / ((double)(cab_mono_ms() - t0) / 1000.0));
	TTF_Quit();
	SDL_Quit();
	return 0;
}
