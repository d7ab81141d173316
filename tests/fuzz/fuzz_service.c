/* fuzz_service.c — libFuzzer target for the service module's parsers of stored or
 * typed text: PHC strings (credentials file, configuration hashes), lockout state
 * lines, the one-key INI editor, station URLs and calibration dates. The first
 * byte picks the parser; the rest, made a C string, is its input. Invariants: a
 * parsed PHC string has bounded sizes and parameters; a parsed lockout line has
 * failures < 5 and a lock of at most 30 min; the editor never writes past its
 * output buffer and always NUL-terminates. No KDF is run (too slow to fuzz). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ini_edit.h"
#include "kdf.h"
#include "kiosk/staff/lockout.h"
#include "kiosk/service/report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 8192)
		return 0;
	char *text = malloc(size);
	if (!text)
		return 0;
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	switch (data[0] % 5) {
	case 0: {
		struct cab_phc p;
		if (cab_phc_parse(text, &p) == 0 &&
		    (p.salt_len < 8 || p.salt_len > 64 || p.hash_len < 16 || p.hash_len > 64 ||
		     p.params.log2_n < 1 || p.params.log2_n > 20 || !p.params.r || !p.params.p))
			abort();
		break;
	}
	case 1: {
		struct cab_lockout lo;
		if (cab_lockout_parse(&lo, text, 1000) == 0 &&
		    (lo.failures >= CAB_LOCKOUT_TRIES ||
		     cab_lockout_remaining(&lo, 1000) > 30 * 60 * 1000))
			abort();
		break;
	}
	case 2: {
		/* "assignment\ninitial text" */
		char out[1024];
		char *nl = strchr(text, '\n');
		const char *ini = "";
		if (nl) {
			*nl = '\0';
			ini = nl + 1;
		}
		memset(out, 'x', sizeof out);
		if (cab_ini_set(ini, text, out, sizeof out) == 0 && !memchr(out, '\0', sizeof out))
			abort();
		break;
	}
	case 3: {
		char host[64];
		int port = 0;
		if (cab_svc_parse_url(text, host, sizeof host, &port) == 0 &&
		    (port < 1 || port > 65535 || !host[0] || strlen(host) >= sizeof host))
			abort();
		break;
	}
	default:
		if (cab_svc_parse_date(text) < 0)
			abort();
		break;
	}
	free(text);
	return 0;
}
