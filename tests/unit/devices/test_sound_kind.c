/* test_sound_kind.c — a USB sound card is a stethoscope when its product or
 * manufacturer says so (any case, English, French, German), anything else is left
 * to the media module; its ALSA capture name comes from its control node. The udev
 * side is covered by tests/devices/stethoscope.test.sh under umockdev. */
/* cmocka needs these first, in this order */
// clang-format off
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
// clang-format on
#include <stdio.h>
#include <string.h>

#include "cabin/devices.h"
#include "devices/core/candidate.h"

static struct cdi_candidate card(enum cdi_bus bus, const char *manufacturer, const char *product)
{
	struct cdi_candidate c;
	memset(&c, 0, sizeof c);
	c.bus = bus;
	snprintf(c.manufacturer, sizeof c.manufacturer, "%s", manufacturer);
	snprintf(c.product, sizeof c.product, "%s", product);
	return c;
}

static void kinds(void **state)
{
	(void)state;
	struct cdi_candidate c = card(CDI_BUS_SOUND, "Cabin Test", "USB Digital Stethoscope");
	assert_int_equal(cdi_sound_kind(&c), CAB_KIND_STETHOSCOPE);
	c = card(CDI_BUS_SOUND, "Cabin Test", "DIGITAL STETHOSCOPE");
	assert_int_equal(cdi_sound_kind(&c), CAB_KIND_STETHOSCOPE);
	c = card(CDI_BUS_SOUND, "St\xc3\xa9thoscope \xc3\xa9lectronique", "USB Audio");
	assert_int_equal(cdi_sound_kind(&c), CAB_KIND_STETHOSCOPE);
	c = card(CDI_BUS_SOUND, "", "Elektronisches Stethoskop");
	assert_int_equal(cdi_sound_kind(&c), CAB_KIND_STETHOSCOPE);
	c = card(CDI_BUS_SOUND, "Generic", "USB PnP Sound Device"); /* a microphone */
	assert_int_equal(cdi_sound_kind(&c), CAB_KIND_UNKNOWN);
	c = card(CDI_BUS_SOUND, "", "");
	assert_int_equal(cdi_sound_kind(&c), CAB_KIND_UNKNOWN);
	c = card(CDI_BUS_VIDEO, "", "Stethoscope camera"); /* not a sound card */
	assert_int_equal(cdi_sound_kind(&c), CAB_KIND_UNKNOWN);
}

static void alsa_names(void **state)
{
	(void)state;
	struct cab_device_info d;
	char out[16] = "";
	memset(&d, 0, sizeof d);
	snprintf(d.bus, sizeof d.bus, "sound");
	snprintf(d.devnode, sizeof d.devnode, "/dev/snd/controlC1");
	assert_int_equal(cab_device_alsa_name(&d, out, sizeof out), 0);
	assert_string_equal(out, "hw:1,0");
	snprintf(d.devnode, sizeof d.devnode, "/dev/snd/controlC12");
	assert_int_equal(cab_device_alsa_name(&d, out, sizeof out), 0);
	assert_string_equal(out, "hw:12,0");
	snprintf(d.devnode, sizeof d.devnode,
	         "/dev/snd/controlC100"); /* ALSA has 32 cards at most */
	assert_int_equal(cab_device_alsa_name(&d, out, sizeof out), -1);
	snprintf(d.devnode, sizeof d.devnode, "/dev/snd/controlC1x");
	assert_int_equal(cab_device_alsa_name(&d, out, sizeof out), -1);
	snprintf(d.devnode, sizeof d.devnode, "/dev/snd/pcmC1D0c");
	assert_int_equal(cab_device_alsa_name(&d, out, sizeof out), -1);
	snprintf(d.bus, sizeof d.bus, "video4linux");
	snprintf(d.devnode, sizeof d.devnode, "/dev/snd/controlC1");
	assert_int_equal(cab_device_alsa_name(&d, out, sizeof out), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(kinds),
	    cmocka_unit_test(alsa_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
