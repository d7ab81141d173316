/* fault.c — the fault switch and the "cabin-fault" sqlite VFS (see fault.h). The VFS
 * wraps the default unix VFS: every file method forwards to the real one, except
 * that writes, truncates and syncs first ask the switch whether to fail. */
#include "kiosk/store/fault.h"

#include <signal.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "kiosk/store/store_internal.h"

static char fired_on[512]; /* file of the last write fault */

/* Atomic: the kiosk and link threads both allocate through st_malloc(). */
static struct {
	_Atomic long calls;  /* counted calls since reset */
	_Atomic long at;     /* fire on this call number (0 = disarmed) */
	_Atomic int sticky;  /* keep firing after AT */
} faults[CAB_FAULT__COUNT];

void cab_fault_arm(enum cab_fault_kind kind, long n, int sticky)
{
	faults[kind].calls = 0;
	faults[kind].at = n;
	faults[kind].sticky = sticky;
}

void cab_fault_reset(void)
{
	for (int i = 0; i < CAB_FAULT__COUNT; i++) {
		faults[i].calls = 0;
		faults[i].at = 0;
		faults[i].sticky = 0;
	}
	fired_on[0] = 0;
}

int cab_fault_hit(enum cab_fault_kind kind)
{
	long c = ++faults[kind].calls, at = faults[kind].at;
	if (!at)
		return 0;
	return c == at || (faults[kind].sticky && c > at);
}

long cab_fault_calls(enum cab_fault_kind kind)
{
	return faults[kind].calls;
}

void *st_malloc(size_t n)
{
	if (cab_fault_hit(CAB_FAULT_ALLOC))
		return NULL;
	return malloc(n ? n : 1);
}

/* --- the VFS ------------------------------------------------------------------ */

/* A file of the fault VFS: our header, then the real file object. */
struct fault_file {
	sqlite3_file base;     /* methods = fault_io */
	sqlite3_file *real;    /* the wrapped file, allocated right after this struct */
	const char *name;      /* path, valid while open (sqlite's guarantee), or NULL */
};


const char *cab_fault_last_file(void)
{
	return fired_on;
}

static sqlite3_vfs *real_vfs;

#define REAL(f) (((struct fault_file *)(f))->real)

static int f_close(sqlite3_file *f)
{
	int rc = REAL(f)->pMethods ? REAL(f)->pMethods->xClose(REAL(f)) : SQLITE_OK;
	return rc;
}
static int f_read(sqlite3_file *f, void *p, int n, sqlite3_int64 off)
{
	return REAL(f)->pMethods->xRead(REAL(f), p, n, off);
}
static int f_write(sqlite3_file *f, const void *p, int n, sqlite3_int64 off)
{
	if (cab_fault_hit(CAB_FAULT_WRITE)) {
		const char *name = ((struct fault_file *)f)->name;
		snprintf(fired_on, sizeof fired_on, "%s", name ? name : "");
		return SQLITE_FULL;
	}
	return REAL(f)->pMethods->xWrite(REAL(f), p, n, off);
}
static int f_truncate(sqlite3_file *f, sqlite3_int64 size)
{
	return REAL(f)->pMethods->xTruncate(REAL(f), size);
}
static int f_sync(sqlite3_file *f, int flags)
{
	if (cab_fault_hit(CAB_FAULT_KILL_SYNC))
		raise(SIGKILL);
	if (cab_fault_hit(CAB_FAULT_SYNC))
		return SQLITE_IOERR_FSYNC;
	return REAL(f)->pMethods->xSync(REAL(f), flags);
}
static int f_size(sqlite3_file *f, sqlite3_int64 *size)
{
	return REAL(f)->pMethods->xFileSize(REAL(f), size);
}
static int f_lock(sqlite3_file *f, int l)
{
	return REAL(f)->pMethods->xLock(REAL(f), l);
}
static int f_unlock(sqlite3_file *f, int l)
{
	return REAL(f)->pMethods->xUnlock(REAL(f), l);
}
static int f_check(sqlite3_file *f, int *out)
{
	return REAL(f)->pMethods->xCheckReservedLock(REAL(f), out);
}
static int f_fctl(sqlite3_file *f, int op, void *arg)
{
	return REAL(f)->pMethods->xFileControl(REAL(f), op, arg);
}
static int f_sector(sqlite3_file *f)
{
	return REAL(f)->pMethods->xSectorSize(REAL(f));
}
static int f_devchar(sqlite3_file *f)
{
	return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f));
}
static int f_shmmap(sqlite3_file *f, int pg, int pgsz, int extend, void volatile **pp)
{
	return REAL(f)->pMethods->xShmMap(REAL(f), pg, pgsz, extend, pp);
}
static int f_shmlock(sqlite3_file *f, int off, int n, int flags)
{
	return REAL(f)->pMethods->xShmLock(REAL(f), off, n, flags);
}
static void f_shmbarrier(sqlite3_file *f)
{
	REAL(f)->pMethods->xShmBarrier(REAL(f));
}
static int f_shmunmap(sqlite3_file *f, int del)
{
	return REAL(f)->pMethods->xShmUnmap(REAL(f), del);
}

/* Version 2 methods (WAL needs the shm ones); no mmap so every write goes through
 * f_write. */
static const sqlite3_io_methods fault_io = {
	2, f_close, f_read, f_write, f_truncate, f_sync, f_size, f_lock, f_unlock, f_check,
	f_fctl, f_sector, f_devchar, f_shmmap, f_shmlock, f_shmbarrier, f_shmunmap,
	NULL, NULL,
};

static int v_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *file, int flags,
                  int *out_flags)
{
	struct fault_file *ff = (struct fault_file *)file;
	(void)vfs;
	ff->real = (sqlite3_file *)(ff + 1);
	ff->name = name;
	memset(ff->real, 0, (size_t)real_vfs->szOsFile);
	int rc = real_vfs->xOpen(real_vfs, name, ff->real, flags, out_flags);
	ff->base.pMethods = ff->real->pMethods ? &fault_io : NULL;
	return rc;
}
static int v_delete(sqlite3_vfs *v, const char *n, int sync)
{
	(void)v;
	return real_vfs->xDelete(real_vfs, n, sync);
}
static int v_access(sqlite3_vfs *v, const char *n, int flags, int *out)
{
	(void)v;
	return real_vfs->xAccess(real_vfs, n, flags, out);
}
static int v_fullpath(sqlite3_vfs *v, const char *n, int size, char *out)
{
	(void)v;
	return real_vfs->xFullPathname(real_vfs, n, size, out);
}
static void *v_dlopen(sqlite3_vfs *v, const char *n)
{
	(void)v;
	return real_vfs->xDlOpen(real_vfs, n);
}
static void v_dlerror(sqlite3_vfs *v, int n, char *m)
{
	(void)v;
	real_vfs->xDlError(real_vfs, n, m);
}
static void (*v_dlsym(sqlite3_vfs *v, void *h, const char *s))(void)
{
	(void)v;
	return real_vfs->xDlSym(real_vfs, h, s);
}
static void v_dlclose(sqlite3_vfs *v, void *h)
{
	(void)v;
	real_vfs->xDlClose(real_vfs, h);
}
static int v_random(sqlite3_vfs *v, int n, char *out)
{
	(void)v;
	return real_vfs->xRandomness(real_vfs, n, out);
}
static int v_sleep(sqlite3_vfs *v, int us)
{
	(void)v;
	return real_vfs->xSleep(real_vfs, us);
}
static int v_time(sqlite3_vfs *v, double *out)
{
	(void)v;
	return real_vfs->xCurrentTime(real_vfs, out);
}
static int v_lasterr(sqlite3_vfs *v, int n, char *out)
{
	(void)v;
	return real_vfs->xGetLastError(real_vfs, n, out);
}
static int v_time64(sqlite3_vfs *v, sqlite3_int64 *out)
{
	(void)v;
	return real_vfs->xCurrentTimeInt64(real_vfs, out);
}

static sqlite3_vfs fault_vfs;

int cab_fault_vfs_install(void)
{
	if (real_vfs)
		return SQLITE_OK;
	int rc = sqlite3_initialize();
	if (rc != SQLITE_OK)
		return rc;
	sqlite3_vfs *def = sqlite3_vfs_find(NULL);
	if (!def)
		return SQLITE_ERROR;
	real_vfs = def;
	fault_vfs = (sqlite3_vfs){
		.iVersion = 2,
		.szOsFile = (int)sizeof(struct fault_file) + def->szOsFile,
		.mxPathname = def->mxPathname,
		.zName = "cabin-fault",
		.xOpen = v_open, .xDelete = v_delete, .xAccess = v_access,
		.xFullPathname = v_fullpath, .xDlOpen = v_dlopen, .xDlError = v_dlerror,
		.xDlSym = v_dlsym, .xDlClose = v_dlclose, .xRandomness = v_random,
		.xSleep = v_sleep, .xCurrentTime = v_time, .xGetLastError = v_lasterr,
		.xCurrentTimeInt64 = v_time64,
	};
	return sqlite3_vfs_register(&fault_vfs, 1);
}
