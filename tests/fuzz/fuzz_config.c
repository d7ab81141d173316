/* fuzz_config.c — libFuzzer target for the configuration parser
 * (cab_config_load_buffer): any bytes must give a configuration or a list of
 * problems, never a crash, an overflow or a message without its file name. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "kiosk/config/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct cab_config cfg;
	static struct cab_config_errors errs;
	int n = cab_config_load_buffer("fuzz.ini", (const char *)data, size, &cfg, &errs);
	int kept = n < CAB_CONFIG_MAX_ERRORS ? n : CAB_CONFIG_MAX_ERRORS;
	for (int i = 0; i < kept; i++)
		if (strncmp(errs.e[i].text, "fuzz.ini", 8) != 0)
			__builtin_trap();
	if (cfg.n_languages < 0 || cfg.n_languages > CAB_CONFIG_MAX_LANGS)
		__builtin_trap();
	return 0;
}
