/* wav_tone.c — prints the frequency (Hz) of the tone in a 16-bit mono PCM WAV file
 * (the station's DATA/<session>-stethoscope.wav), skipping its first 0.1 s, using
 * tests/lib/media_tone's zero-crossing measure. Exit 1 on a bad file. */
#include "media_tone.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	FILE *f = argc == 2 ? fopen(argv[1], "rb") : NULL;
	uint8_t h[44];
	if (!f || fread(h, 1, 44, f) != 44 || memcmp(h, "RIFF", 4) || memcmp(h + 36, "data", 4) ||
	    h[22] != 1 || h[34] != 16) {
		fprintf(stderr, "wav_tone: not a 16-bit mono WAV\n");
		return 1;
	}
	int rate = h[24] | h[25] << 8 | h[26] << 16 | h[27] << 24;
	size_t cap = 1 << 20, n = 0;
	float *x = malloc(cap * sizeof *x);
	int16_t s;
	while (x && fread(&s, 2, 1, f) == 1) {
		if (n == cap) {
			float *nx = realloc(x, (cap *= 2) * sizeof *x);
			if (!nx)
				break;
			x = nx;
		}
		x[n++] = s / 32768.0f;
	}
	fclose(f);
	size_t skip = (size_t)rate / 10;
	if (!x || rate <= 0 || n < skip + (size_t)rate / 10) {
		fprintf(stderr, "wav_tone: too short (%zu samples)\n", n);
		return 1;
	}
	printf("%.3f\n", cab_test_tone_hz(x + skip, n - skip, rate, 0.01f));
	free(x);
	return 0;
}
