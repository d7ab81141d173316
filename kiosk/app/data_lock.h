/* data_lock.h — one cabin per data directory: an exclusive flock(2) on
 * DATA_DIR/cabin.lock held for the life of the process, so that a second cabin
 * started on the same directory refuses to run instead of taking the first one's
 * live session for a crash and closing it. */
#ifndef CABIN_APP_DATA_LOCK_H
#define CABIN_APP_DATA_LOCK_H

#include <stddef.h>
#include <sys/types.h>

/* Creates DIR (and parents) if needed, opens DIR/cabin.lock (O_CLOEXEC: children such as the
 * media helpers do not inherit it) and takes an exclusive, non-blocking flock, then
 * writes our pid into it. Returns the descriptor (>= 0) to keep open until exit;
 * the kernel releases the lock when the process dies, however it dies, so a
 * restarted cabin gets it at once. Returns -1 when another process holds it (*OWNER
 * = its pid as written in the file, 0 if unknown) or -2 on another error (message
 * in ERR, SIZE bytes). */
int cab_data_lock(const char *dir, pid_t *owner, char *err, size_t size);

#endif
