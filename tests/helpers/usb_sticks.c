/* usb_sticks.c — prints the USB sticks cab_usb_sticks_find() sees, one line each
 * (cab_usb_stick_describe), for tests/service/usb_stick.test.sh under umockdev:
 *   usb_sticks MOUNTINFO */
#include <stdio.h>
#include <string.h>

#include "kiosk/service/usb_stick.h"

int main(int argc, char **argv)
{
	struct cab_usb_stick s[CAB_USB_STICKS_MAX];
	char line[400];
	if (argc != 2) {
		fprintf(stderr, "usage: usb_sticks MOUNTINFO\n");
		return 2;
	}
	int n = cab_usb_sticks_find(argv[1], s, CAB_USB_STICKS_MAX);
	if (n < 0) {
		printf("error: %s\n", strerror(-n));
		return 1;
	}
	printf("%d\n", n);
	for (int i = 0; i < n; i++)
		printf("%s\n", cab_usb_stick_describe(&s[i], line, sizeof line));
	return 0;
}
