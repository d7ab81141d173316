/* ustar.h — writes a POSIX ustar archive (IEEE Std 1003.1, "pax" interchange
 * format, ustar header) of regular files into a memory buffer, for the log export.
 * Bounded: names up to 100 bytes, sizes up to CAB_USTAR_MAX bytes in all. */
#ifndef CABIN_COMMON_USTAR_H
#define CABIN_COMMON_USTAR_H

#include <stddef.h>
#include <stdint.h>

#define CAB_USTAR_MAX (64u << 20) /* hard maximum of one archive, bytes */

/* A growing archive. Zero-initialise, add files, finish, then free. */
struct cab_ustar {
	uint8_t *buf;
	size_t len, cap;
	int error; /* sticky: first failure (-ENOMEM, -EFBIG, -ENAMETOOLONG) */
};

/* Appends a regular file NAME (relative, <= 100 bytes, no "..") with DATA of LEN
 * bytes, mode 0600, modification time MTIME (seconds since the epoch). Returns 0
 * or the sticky error. */
int cab_ustar_add(struct cab_ustar *t, const char *name, const void *data, size_t len,
                  int64_t mtime);

/* Appends the two zero blocks that end an archive. Returns 0 or the sticky error. */
int cab_ustar_finish(struct cab_ustar *t);

/* Releases the buffer. */
void cab_ustar_free(struct cab_ustar *t);

#endif
