/* bench_ui.c — how long the kiosk takes to lay out and draw a frame with SDL's
 * software renderer (the slowest renderer the cabin may fall back to), per screen
 * size, averaged over every screen; and the cost of wrapping a paragraph.
 * Prints JSON lines for tests/bench/run. */
#include <SDL2/SDL.h>
#include <SDL2/SDL_ttf.h>
#include <stdio.h>
#include <string.h>

#include "clock.h"
#include "kiosk/ui/i18n.h"
#include "kiosk/ui/stage.h"
#include "kiosk/ui/wrap.h"

static int measure10(void *u, const char *s, size_t n)
{
	(void)u;
	(void)s;
	return (int)n * 10;
}

int main(void)
{
	static const int sizes[][2] = {{1920, 1080}, {1280, 800}, {1080, 1920}};
	if (SDL_Init(0) || TTF_Init())
		return 1;
	ui_i18n_init("build/locale", "fr");
	static struct cab_view v;
	static struct cab_stage st;
	for (size_t k = 0; k < 3; k++) {
		int w = sizes[k][0], h = sizes[k][1];
		SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
		SDL_Renderer *r = SDL_CreateSoftwareRenderer(s);
		struct ui_ctx ctx;
		if (!r || ui_ctx_init(&ctx, r, w, h, 0, "/usr/share/fonts/truetype/dejavu", "assets"))
			return 1;
		int frames = 0;
		int64_t t0 = cab_mono_ms();
		for (int state = CAB_FLOW_ATTRACT; state <= CAB_FLOW_WIPE; state++) {
			memset(&v, 0, sizeof v);
			cab_view_reset(&v);
			v.state = (enum cab_flow_state)state;
			cab_stage_init(&st, &v);
			for (int i = 0; i < 10; i++) {
				cab_stage_layout(&st, &ctx, &v);
				cab_stage_draw(&st, &ctx, &v);
				SDL_RenderFlush(r);
				frames++;
			}
		}
		double ms = (double)(cab_mono_ms() - t0) / frames;
		printf("{\"name\": \"ui_frame_ms_%dx%d\", \"value\": %.1f, \"unit\": \"ms\", \"note\": "
		       "\"layout + draw of one frame, software renderer, mean over every screen\"}\n",
		       w, h, ms);
		ui_ctx_free(&ctx);
		SDL_DestroyRenderer(r);
		SDL_FreeSurface(s);
	}
	const char *para = "La consultation coûte 30,00 €. L'Assurance Maladie la rembourse comme une "
	                   "consultation au cabinet, dans le respect du parcours de soins coordonnés.";
	struct ui_line lines[64];
	int64_t t0 = cab_mono_ms();
	int n = 0;
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
