/* fault.h — fault injection for tests (STYLE.md #9, after curl's torture mode and
 * SQLite's crash tests): make the Nth allocation of the store fail, make the Nth
 * write or sync of sqlite fail (disk full or I/O error), or kill the process with
 * SIGKILL at the Nth sync. Nothing is armed unless a test arms it; production code
 * pays one counter test per allocation and nothing else. */
#ifndef CABIN_STORE_FAULT_H
#define CABIN_STORE_FAULT_H

/* What to make fail. */
enum cab_fault_kind {
	CAB_FAULT_ALLOC = 0, /* st_malloc() returns NULL */
	CAB_FAULT_WRITE,     /* sqlite xWrite on the fault VFS -> SQLITE_FULL */
	CAB_FAULT_SYNC,      /* sqlite xSync on the fault VFS -> SQLITE_IOERR_FSYNC */
	CAB_FAULT_KILL_SYNC, /* raise(SIGKILL) in the Nth xSync, before it syncs */
	CAB_FAULT__COUNT
};

/* Arms KIND to fail on its Nth call from now (N >= 1) and every call after it when
 * STICKY, else once. N = 0 disarms. Not thread-safe: arm from the test's thread. */
void cab_fault_arm(enum cab_fault_kind kind, long n, int sticky);

/* Disarms everything and resets the counters. */
void cab_fault_reset(void);

/* Returns 1 when the armed KIND fires on this call (counts the call), else 0. */
int cab_fault_hit(enum cab_fault_kind kind);

/* How many calls of KIND were counted since the last reset (to size torture loops). */
long cab_fault_calls(enum cab_fault_kind kind);

/* Path of the file whose write the last CAB_FAULT_WRITE refused ("" if none). */
const char *cab_fault_last_file(void);

/* Registers the "cabin-fault" sqlite VFS around the default one and makes it the
 * default, so that CAB_FAULT_WRITE / _SYNC / _KILL_SYNC act on every later
 * connection. Returns 0 or a sqlite error code. Idempotent. */
int cab_fault_vfs_install(void);

#endif
