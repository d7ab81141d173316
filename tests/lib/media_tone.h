/* media_tone.h — test helper: the frequency of a pure tone in decoded PCM, by
 * positive-going zero crossings located with linear interpolation between samples. */
#ifndef CABIN_TEST_MEDIA_TONE_H
#define CABIN_TEST_MEDIA_TONE_H

#include <stddef.h>

/* Frequency in Hz of the tone in X (N mono float samples at RATE Hz), measured
 * between the first and the last positive-going zero crossing; a small dead band
 * (HYST, in sample units) ignores noise around zero. Returns -1 with fewer than
 * 3 crossings. */
double cab_test_tone_hz(const float *x, size_t n, int rate, float hyst);

#endif
