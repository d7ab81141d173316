/* fixture.c — loads repository files for tests (see fixture.h). */
#include "fixture.h"

#include <stdio.h>
#include <stdlib.h>

#include "common/hexfile.h"

const char *cab_test_path(const char *path, char *buf, size_t size)
{
	const char *root = getenv("CABIN_SRC");
	if (path[0] == '/')
		snprintf(buf, size, "%s", path);
	else
		snprintf(buf, size, "%s/%s", root && *root ? root : ".", path);
	return buf;
}

void cab_test_load_capture(const char *path, uint8_t **out, size_t *len)
{
	char p[1024], err[256];
	FILE *f = fopen(cab_test_path(path, p, sizeof p), "rb");
	if (!f || cab_capture_read(f, out, len, err, sizeof err) < 0) {
		fprintf(stderr, "fixture %s: %s\n", p, f ? err : "cannot open");
		exit(2);
	}
	fclose(f);
}

char *cab_test_load_text(const char *path)
{
	char p[1024];
	FILE *f = fopen(cab_test_path(path, p, sizeof p), "rb");
	if (!f) {
		fprintf(stderr, "fixture %s: cannot open\n", p);
		exit(2);
	}
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *t = malloc((size_t)n + 1);
	if (!t || fread(t, 1, (size_t)n, f) != (size_t)n) {
		fprintf(stderr, "fixture %s: read error\n", p);
		exit(2);
	}
	t[n] = 0;
	fclose(f);
	return t;
}
