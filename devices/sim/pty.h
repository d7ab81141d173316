/* pty.h — the pseudo-terminal the serial instruments' simulators speak through (the
 * CMS50D+ oximeter, the OneTouch Ultra 2 glucometer): a master end the simulator's
 * thread reads and writes, a slave path the driver opens as it would open
 * /dev/ttyUSB0. POSIX pseudo-terminals (posix_openpt, grantpt, unlockpt, ptsname_r). */
#ifndef CABIN_DEVICES_SIM_PTY_H
#define CABIN_DEVICES_SIM_PTY_H

#include <stddef.h>

#include "devices/internal/driver.h"

/* Opens a pseudo-terminal in raw mode, its master non-blocking and close-on-exec;
 * writes the slave's path (e.g. "/dev/pts/7") to PATH (SIZE bytes). Returns the
 * master's file descriptor, or -1 with the reason logged under WHO (the simulator's
 * name). */
int cdi_sim_pty_open(const char *who, char *path, size_t size);

/* Fills candidate C (zeroed first) for a simulated serial instrument on the slave
 * PATH: bus CDI_BUS_SIM, syspath "sim:NAME", sim_name NAME, the MANUFACTURER and
 * PRODUCT shown to the technician, instrument KIND (enum cab_instrument_kind). */
void cdi_sim_pty_candidate(struct cdi_candidate *c, const char *path, const char *name,
                           const char *manufacturer, const char *product, int kind);

#endif
