/* main.c — the instruments tool (cabin-devices). Filled by the UI and flow modules. */
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--version")) {
			printf("cabin-devices %s\n", CABIN_VERSION);
			return 0;
		}
	fprintf(stderr, "cabin-devices: not yet wired\n");
	return 1;
}
