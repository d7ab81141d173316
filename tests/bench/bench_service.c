/* bench_service.c — figures of the service module: time of one credential check
 * (scrypt N=2^15, r=8, p=1: what a pharmacist waits after OK, and what a guesser
 * pays per try), peak KDF memory, lockout state write (atomic, fsync'd), log export
 * of 1 MiB (PBKDF2 600 000 + AES-256-GCM), and the key policy decision rate. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "kiosk/staff/credentials.h"
#include "kiosk/service/key_policy.h"
#include "kiosk/service/log_export.h"

static void figure(const char *name, double value, const char *unit, const char *note)
{
	printf("{\"name\": \"%s\", \"value\": %.3f, \"unit\": \"%s\", \"note\": \"%s\"}\n", name,
	       value, unit, note);
}

int main(void)
{
	char dir[] = "/tmp/cabin-bench-svc-XXXXXX", phc[CAB_KDF_PHC_MAX], cmd[128];
	if (!mkdtemp(dir))
		return 1;
	int n = 10;
	int64_t t0 = cab_mono_ms();
	if (cab_secret_hash("482915", NULL, NULL, 0, phc, sizeof phc))
		return 1;
	for (int i = 0; i < n; i++)
		if (cab_secret_verify(phc, "482915") != 1)
			return 1;
	double per = (double)(cab_mono_ms() - t0) / (n + 1);
	figure("service_scrypt_check_ms", per, "ms",
	       "one PIN check, scrypt N=2^15 r=8 p=1 (32 MiB)");
	figure("service_guesses_per_s_per_core", 1000.0 / per, "1/s",
	       "upper bound for an offline guesser on this CPU; online: 5 tries then 1/5/30 min "
	       "locks");

	struct cab_creds c;
	if (cab_creds_open(&c, dir, NULL, NULL))
		return 1;
	c.params = (struct cab_scrypt_params){10, 8, 1};
	cab_creds_set(&c, CAB_ROLE_PHARMACIST, "482915", NULL);
	t0 = cab_mono_ms();
	for (int i = 0; i < 20; i++)
		cab_creds_check(&c, CAB_ROLE_PHARMACIST, "000001",
		                NULL); /* each failure writes the state */
	figure("service_failed_try_ms", (double)(cab_mono_ms() - t0) / 20, "ms",
	       "wrong PIN incl. lockout state write + fsync (cheap KDF) or refusal while locked");

	char logp[256];
	snprintf(logp, sizeof logp, "%s/cabin.log", dir);
	FILE *f = fopen(logp, "w");
	for (int i = 0; i < 16384; i++)
		fprintf(f,
		        "2026-11-29T13:45:00.000Z INFO app: line %06d of a synthetic log......\n",
		        i);
	fclose(f);
	char dest[300];
	snprintf(dest, sizeof dest, "%s/out.cms", dir);
	const char *paths[] = {logp};
	struct cab_export_stats st;
	t0 = cab_mono_ms();
	if (cab_logs_export(paths, 1, dest, "export-pass-2026", 0, NULL, &st, NULL))
		return 1;
	figure("service_log_export_1mib_ms", (double)(cab_mono_ms() - t0), "ms",
	       "1 MiB log: ustar + CMS AES-256-GCM, PBKDF2 600000 iterations");

	volatile int sink = 0;
	t0 = cab_mono_ms();
	long k = 0;
	for (; k < 20000000; k++)
		sink += cab_key_decide((int)(k & 0x7f) | (k & 1 ? CAB_KEYCODE_SCANCODE_MASK : 0),
		                       (unsigned)(k >> 7) & 0xfff, CAB_KEYS_PATIENT, false);
	int64_t ms = cab_mono_ms() - t0;
	figure("service_key_decisions_per_s", ms ? (double)k * 1000.0 / (double)ms : 0, "1/s",
	       "cab_key_decide, mixed keys and modifiers");
	snprintf(cmd, sizeof cmd, "rm -rf '%s' '%s-private'", dir, dir); /* and the key's directory */
	return system(cmd) ? 1 : 0;
}
