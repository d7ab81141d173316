/* install_dirs.c — compiled-in install directories and the data-directory lookup
 * (see install_dirs.h). */
#include "install_dirs.h"

#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "install_dirs_gen.h" /* $(BUILD)/gen: CAB_DATADIR, CAB_SYSCONFDIR, ... */

void cab_install_exe_dir(char *buf, size_t size)
{
	char exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n <= 0) {
		snprintf(buf, size, ".");
		return;
	}
	exe[n] = 0;
	snprintf(buf, size, "%s", dirname(exe));
}

static int holds(const char *dir, const char *probe)
{
	char p[4400];
	struct stat st;
	if (snprintf(p, sizeof p, "%.4200s/%.150s", dir, probe) >= (int)sizeof p)
		return 0;
	return stat(p, &st) == 0;
}

int cab_install_data_dir(const char *probe, char *buf, size_t size)
{
	char exe[4096], cand[4200];
	cab_install_exe_dir(exe, sizeof exe);
	/* the source tree's assets/, seen from build/ or build/<variant>/ */
	static const char *const tree[] = {"/../assets", "/../../assets"};
	for (size_t i = 0; i < sizeof tree / sizeof tree[0]; i++) {
		snprintf(cand, sizeof cand, "%.4000s%s", exe, tree[i]);
		if (holds(cand, probe)) {
			snprintf(buf, size, "%s", cand);
			return 1;
		}
	}
	/* an installation, wherever its root is: bindir or pkglibexecdir -> datadir */
	static const char *const rel[] = {CAB_BINDIR_TO_DATA, CAB_LIBEXECDIR_TO_DATA};
	for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
		snprintf(cand, sizeof cand, "%.4000s/%.190s", exe, rel[i]);
		if (holds(cand, probe)) {
			snprintf(buf, size, "%s", cand);
			return 0;
		}
	}
	snprintf(buf, size, "%s", CAB_PKGDATADIR);
	return 0;
}

const char *cab_install_config_dir(void)
{
	return CAB_SYSCONFDIR "/cabin";
}

void cab_install_state_dir(const char *name, char *buf, size_t size)
{
	const char *s = getenv("STATE_DIRECTORY");
	if (s && *s == '/') {
		size_t n = strcspn(s, ":");
		snprintf(buf, size, "%.*s", (int)n, s);
		return;
	}
	snprintf(buf, size, "%s/lib/%s", CAB_LOCALSTATEDIR, name);
}
