/* install_dirs.h — where an installed Cabin program finds its files, and whether it
 * runs from a build tree or from an installation (`make install`, the Debian package).
 *
 * The directories are compiled in by the Makefile (PREFIX, sysconfdir, localstatedir;
 * see README "Install") into $(BUILD)/gen/install_dirs.h. The data directory is also
 * found relative to the running binary, so that an installation copied under a
 * DESTDIR (the tests, a package being built) finds its own files. */
#ifndef CABIN_INSTALL_DIRS_H
#define CABIN_INSTALL_DIRS_H

#include <stddef.h>

/* Fills BUF (SIZE bytes) with the directory holding the program's shared data:
 *   - the source tree's assets/ when the binary runs from a build folder
 *     (<exe>/../assets or <exe>/../../assets holding PROBE);
 *   - else the installed data directory seen from the binary (<exe>/<relative path
 *     from its install folder to $(datadir)/cabin>) when it holds PROBE;
 *   - else the compiled-in $(datadir)/cabin (absolute).
 * PROBE is a relative path that the directory must hold (e.g. "images").
 * Returns 1 when the build tree was found, 0 for an installed layout. */
int cab_install_data_dir(const char *probe, char *buf, size_t size);

/* The compiled-in configuration directory, $(sysconfdir)/cabin (e.g. /etc/cabin). */
const char *cab_install_config_dir(void);

/* The compiled-in state directory of program NAME ("cabin", "cabin-doctor"):
 * $STATE_DIRECTORY when systemd set it (StateDirectory=; the first of a ':' list),
 * else $(localstatedir)/lib/NAME. Written to BUF (SIZE bytes). */
void cab_install_state_dir(const char *name, char *buf, size_t size);

/* The directory of the running binary (from /proc/self/exe; "." when unknown). */
void cab_install_exe_dir(char *buf, size_t size);

#endif
