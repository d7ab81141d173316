/* media_tone.c — zero-crossing frequency estimate for the stethoscope tests. */
#include "media_tone.h"

double cab_test_tone_hz(const float *x, size_t n, int rate, float hyst)
{
	double first = -1, last = -1;
	long count = 0;
	int armed = 0; /* went below -hyst since the last crossing */
	for (size_t i = 1; i < n; i++) {
		if (x[i - 1] < -hyst)
			armed = 1;
		if (armed && x[i - 1] < 0 && x[i] >= 0) {
			double t =
			    (double)(i - 1) + (double)(-x[i - 1]) / (double)(x[i] - x[i - 1]);
			if (first < 0)
				first = t;
			last = t;
			count++;
			armed = 0;
		}
	}
	if (count < 3)
		return -1;
	return (double)(count - 1) * rate / (last - first);
}
