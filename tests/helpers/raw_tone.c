/* raw_tone.c — what tone a program played through SDL's disk audio driver
 * (SDL_AUDIODRIVER=disk writes the raw samples of the opened device, no header, to
 * SDL_DISKAUDIOFILE: SDL2 src/audio/disk/SDL_diskaudio.c). Cuts the file into 100 ms
 * windows, measures the tone of every window that is not silent (RMS above -40 dBFS)
 * with tests/lib/media_tone's zero-crossing measure, and prints one line:
 *   sounding=N near=M median=F
 * N sounding windows, M of them within 1 Hz of HZ, F the median of their estimates
 * (-1 when none).
 *   raw_tone FILE HZ [--rate R] [--channels C] [--format s16|f32] [--offset BYTES]
 * Defaults: 48000 Hz, 1 channel, s16 (native byte order): the spec kiosk/app opens
 * its sound output with. Only the first channel is measured. Exit 1 on a bad file
 * or argument, 0 otherwise (the caller judges the figures). */
#include "media_tone.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_WINDOWS 100000 /* 10 000 s of sound: far more than a test session */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	int rate = 48000, channels = 1, f32 = 0, rc = 1;
	long offset = 0;
	FILE *f = NULL;
	float *win = NULL;
	double *est = NULL;
	unsigned char *frame = NULL;
	if (argc < 3)
		goto usage;
	double hz = atof(argv[2]);
	for (int i = 3; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--rate"))
			rate = atoi(argv[i + 1]);
		else if (!strcmp(argv[i], "--channels"))
			channels = atoi(argv[i + 1]);
		else if (!strcmp(argv[i], "--format") && !strcmp(argv[i + 1], "s16"))
			f32 = 0;
		else if (!strcmp(argv[i], "--format") && !strcmp(argv[i + 1], "f32"))
			f32 = 1;
		else if (!strcmp(argv[i], "--offset"))
			offset = atol(argv[i + 1]);
		else
			goto usage;
	}
	if ((argc - 3) % 2 || hz <= 0 || rate < 8000 || rate > 192000 || channels < 1 ||
	    channels > 8 || offset < 0)
		goto usage;
	f = fopen(argv[1], "rb");
	if (!f || fseek(f, offset, SEEK_SET)) {
		fprintf(stderr, "raw_tone: cannot read %s at %ld\n", argv[1], offset);
		goto out;
	}
	size_t sample = f32 ? 4 : 2, frame_size = sample * (size_t)channels;
	size_t wn = (size_t)rate / 10;
	win = malloc(wn * sizeof *win);
	est = malloc(MAX_WINDOWS * sizeof *est);
	frame = malloc(frame_size);
	if (!win || !est || !frame)
		goto out;
	size_t sounding = 0, near = 0;
	for (size_t w = 0; w < MAX_WINDOWS; w++) {
		size_t n = 0;
		double energy = 0;
		while (n < wn && fread(frame, frame_size, 1, f) == 1) {
			float v;
			if (f32) {
				memcpy(&v, frame, 4);
			} else {
				int16_t s;
				memcpy(&s, frame, 2);
				v = s / 32768.0f;
			}
			win[n++] = v;
			energy += (double)v * v;
		}
		if (n < wn)
			break;
		if (energy / (double)n < 1e-4) /* -40 dBFS: silence between packets */
			continue;
		double e = cab_test_tone_hz(win, n, rate, 0.01f);
		est[sounding++] = e;
		if (e > 0 && e >= hz - 1 && e <= hz + 1)
			near++;
	}
	double median = -1;
	if (sounding) {
		qsort(est, sounding, sizeof *est, cmp_double);
		median = est[sounding / 2];
	}
	printf("sounding=%zu near=%zu median=%.2f\n", sounding, near, median);
	rc = 0;
	goto out;
usage:
	fprintf(stderr, "usage: raw_tone FILE HZ [--rate R] [--channels C] [--format s16|f32] "
	                "[--offset BYTES]\n");
out:
	if (f)
		fclose(f);
	free(win);
	free(est);
	free(frame);
	return rc;
}
