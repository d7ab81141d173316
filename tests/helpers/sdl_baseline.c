/* sdl_baseline.c — the baseline of the start and memory figures (issue "Fast where a
 * person or a platform waits", tests/bench/e2e.bench.sh): the least a cabin could do
 * to show its first frame. It opens the same window as the cabin (SDL2, software
 * renderer, shared-memory surface, WxH), opens DejaVu Sans with SDL2_ttf, draws one
 * line of text and presents one frame; then prints
 *   first-frame US RSS_KB
 * (CLOCK_REALTIME µs of the present, VmRSS in kB read one second later) and exits.
 * Usage: sdl_baseline WxH FONT */
#include <SDL2/SDL.h>
#include <SDL2/SDL_ttf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* VmRSS of this process in kB, or -1. */
static long rss_kb(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long kb = -1;
	if (!f)
		return -1;
	while (fgets(line, sizeof line, f))
		if (!strncmp(line, "VmRSS:", 6))
			kb = strtol(line + 6, NULL, 10);
	fclose(f);
	return kb;
}

int main(int argc, char **argv)
{
	int w = 1280, h = 800;
	if (argc < 3 || sscanf(argv[1], "%dx%d", &w, &h) != 2) {
		fprintf(stderr, "usage: sdl_baseline WxH FONT\n");
		return 2;
	}
	SDL_SetHint(SDL_HINT_RENDER_DRIVER, "software");
	SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
	if (SDL_Init(SDL_INIT_VIDEO) || TTF_Init()) {
		fprintf(stderr, "sdl_baseline: %s\n", SDL_GetError());
		return 1;
	}
	SDL_Window *win = SDL_CreateWindow("baseline", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, w, h, 0);
	SDL_Renderer *r = win ? SDL_CreateRenderer(win, -1, 0) : NULL;
	TTF_Font *font = TTF_OpenFont(argv[2], 48);
	if (!r || !font) {
		fprintf(stderr, "sdl_baseline: %s\n", SDL_GetError());
		return 1;
	}
	SDL_SetRenderDrawColor(r, 0xf2, 0xf6, 0xfa, 0xff);
	SDL_RenderClear(r);
	SDL_Surface *s = TTF_RenderUTF8_Blended(font, "Touchez l'écran pour commencer", (SDL_Color){0x12, 0x22, 0x33, 0xff});
	SDL_Texture *t = s ? SDL_CreateTextureFromSurface(r, s) : NULL;
	if (t)
		SDL_RenderCopy(r, t, NULL, &(SDL_Rect){(w - s->w) / 2, (h - s->h) / 2, s->w, s->h});
	SDL_RenderPresent(r);
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	long long us = (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
	SDL_Delay(1000);
	printf("first-frame %lld %ld\n", us, rss_kb());
	fflush(stdout);
	SDL_DestroyTexture(t);
	SDL_FreeSurface(s);
	TTF_CloseFont(font);
	SDL_DestroyRenderer(r);
	SDL_DestroyWindow(win);
	TTF_Quit();
	SDL_Quit();
	return 0;
}
