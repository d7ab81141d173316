/* fixture.h — test helpers: load a repository file (hex capture or JSON) relative
 * to $CABIN_SRC (or the current directory). */
#ifndef CABIN_TEST_FIXTURE_H
#define CABIN_TEST_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

/* Loads the hex (or raw) capture at repo-relative PATH; aborts the test process
 * with a message when missing. Caller frees *OUT. */
void cab_test_load_capture(const char *path, uint8_t **out, size_t *len);

/* Reads a whole text file at repo-relative PATH (NUL-terminated, caller frees). */
char *cab_test_load_text(const char *path);

/* Repo-relative PATH made absolute into BUF. */
const char *cab_test_path(const char *path, char *buf, size_t size);

#endif
