/* main.c — the reference doctor station (cabin-doctor). Filled by the UI and flow modules. */
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--version")) {
			printf("cabin-doctor %s\n", CABIN_VERSION);
			return 0;
		}
	fprintf(stderr, "cabin-doctor: not yet wired\n");
	return 1;
}
