/* pcm_beeps.c — finds the beeps in raw 16-bit mono PCM (what SDL's "disk" audio
 * driver wrote: SDL_DISKAUDIOFILE) and prints, one "key=value" per line, how many
 * beeps were heard and the median of their frequencies, each measured inside the
 * beep by tests/lib/media_tone's zero-crossing measure (its first and last 10 ms
 * skipped: Opus' transform blurs the edges). Usage: pcm_beeps FILE RATE. Exit 1 on
 * a bad or empty file. */
#include "media_tone.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define MAX_SAMPLES (48000 * 600) /* 10 minutes at 48 kHz */
#define MAX_BEEPS 1024

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	int rc = 1;
	float *x = NULL;
	FILE *f = argc == 3 ? fopen(argv[1], "rb") : NULL;
	int rate = argc == 3 ? atoi(argv[2]) : 0;
	static double hz[MAX_BEEPS];
	size_t n = 0, nb = 0;
	if (!f || rate <= 0) {
		fprintf(stderr, "usage: pcm_beeps FILE RATE\n");
		goto out;
	}
	x = malloc(MAX_SAMPLES * sizeof *x);
	int16_t s;
	while (x && n < MAX_SAMPLES && fread(&s, 2, 1, f) == 1)
		x[n++] = s / 32768.0f;
	size_t win = (size_t)rate / 100; /* 10 ms envelope windows */
	if (!x || n < win * 10) {
		fprintf(stderr, "pcm_beeps: too short (%zu samples)\n", n);
		goto out;
	}
	/* A beep: a run of 10 ms windows whose RMS is above 0.05 (about -26 dBFS). */
	size_t start = 0;
	int in = 0;
	for (size_t w = 0; w + win <= n; w += win) {
		double e = 0;
		for (size_t i = 0; i < win; i++)
			e += (double)x[w + i] * x[w + i];
		int loud = sqrt(e / (double)win) > 0.05;
		if (loud && !in) {
			start = w;
			in = 1;
		} else if (!loud && in) {
			in = 0;
			if (w - start >= 4 * win && nb < MAX_BEEPS) { /* 40 ms at least */
				double h = cab_test_tone_hz(x + start + win, w - start - 2 * win,
				                            rate, 0.01f);
				if (h > 0)
					hz[nb++] = h;
			}
		}
	}
	qsort(hz, nb, sizeof hz[0], cmp_d);
	printf("samples=%zu\nbeeps=%zu\nmedian_hz=%.3f\n", n, nb, nb ? hz[nb / 2] : -1.0);
	rc = 0;
out:
	if (f)
		fclose(f);
	free(x);
	return rc;
}
