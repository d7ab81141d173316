/* atomic_file.h — small private files of the data directory (credentials, lockout
 * state) written atomically with mode 0600 and read with a hard size bound. */
#ifndef CABIN_COMMON_ATOMIC_FILE_H
#define CABIN_COMMON_ATOMIC_FILE_H

#include <stddef.h>

/* Replaces DIR/NAME with the LEN bytes of DATA: writes DIR/.NAME.tmp (created
 * 0600, O_EXCL after removing a stale one), fsync, rename, fsync of DIR. A crash
 * leaves either the old or the new file. Returns 0 or -errno. */
int cab_atomic_write(const char *dir, const char *name, const void *data, size_t len);

/* Reads DIR/NAME into BUF (SIZE bytes, NUL-terminated). Returns the length read,
 * -ENOENT when absent, -EFBIG when it does not fit, -EPERM when the file is
 * readable by group or others (mode must be 0600 or stricter), else -errno. */
int cab_file_read(const char *dir, const char *name, char *buf, size_t size);

#endif
