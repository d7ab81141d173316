/* sound_kind.c — which instrument a USB sound card is: a stethoscope when its USB
 * product or manufacturer string names one, otherwise nothing the instruments layer
 * drives (a microphone or headset, left to the media module's configuration). The
 * media module then captures the stethoscope through ALSA (docs/devices.md). */
#include "devices/core/candidate.h"

#include "cabin/devices.h"

#include <stdio.h>
#include <string.h>

/* Case-insensitive (ASCII) search of NEEDLE in HAY. */
static int contains_nocase(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	for (; *hay; hay++) {
		size_t i = 0;
		while (i < n && hay[i] && (hay[i] | 0x20) == (needle[i] | 0x20))
			i++;
		if (i == n)
			return 1;
	}
	return 0;
}

enum cab_device_kind cdi_sound_kind(const struct cdi_candidate *c)
{
	/* English "stethoscope", French "stéthoscope" (the é in UTF-8 is not ASCII:
	 * match the rest), German/Dutch "stethoskoop"/"stethoskop" */
	static const char *const names[] = {"stethoscop", "thoscope", "stethoskop", "stethoskoop"};
	if (c->bus != CDI_BUS_SOUND)
		return CAB_KIND_UNKNOWN;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (contains_nocase(c->product, names[i]) ||
		    contains_nocase(c->manufacturer, names[i]))
			return CAB_KIND_STETHOSCOPE;
	return CAB_KIND_UNKNOWN;
}

int cab_device_alsa_name(const struct cab_device_info *d, char *out, size_t n)
{
	const char *s = strstr(d->devnode, "/controlC");
	int card = -1;
	char end = 0;
	if (strcmp(d->bus, "sound") || !s || sscanf(s + 9, "%d%c", &card, &end) != 1 || card < 0 ||
	    card > 99)
		return -1;
	snprintf(out, n, "hw:%d,0", card);
	return 0;
}
