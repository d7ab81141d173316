/* decode.c — `cabin-devices decode --protocol P FILE|-`: the dispatch table of
 * capture decoders (decoders.h) and the command itself. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/hexfile.h"
#include "devices/cli/cli.h"
#include "devices/cli/decoders.h"

/* Protocol name -> decoder. */
static const struct {
	const char *name;
	cab_cli_decode_fn fn;
	const char *what;
} decoders[] = {
	{"ieee11073", cab_cli_decode_ieee11073, "IEEE 11073-20601 conversation, agent's side (APDUs back to back)"},
	{"cms50", cab_cli_decode_cms50, "Contec CMS50D+ serial stream (Communication Protocol of Pulse Oximeter V7.0)"},
	{"omron", cab_cli_decode_omron, "Omron HEM-790IT HID report exchange (libomron notes, issue #25)"},
	{"omron-hem", cab_cli_decode_omron, "same as omron"},
};

static void decode_usage(FILE *f)
{
	fprintf(f, "usage: cabin-devices decode --protocol P FILE|-\n"
	           "Decodes captured bytes (hex text, '#' comments allowed, or raw binary) and prints\n"
	           "one JSON object per reading per line. On malformed input prints the readings\n"
	           "valid before the fault, a message on stderr, and exits 1.\nprotocols:\n");
	for (size_t i = 0; i < sizeof decoders / sizeof decoders[0]; i++)
		fprintf(f, "  %-10s %s\n", decoders[i].name, decoders[i].what);
}

cab_cli_decode_fn cab_cli_decoder(const char *name)
{
	for (size_t i = 0; i < sizeof decoders / sizeof decoders[0]; i++)
		if (strcmp(decoders[i].name, name) == 0)
			return decoders[i].fn;
	return NULL;
}

int cab_cli_cmd_decode(int argc, char **argv)
{
	const char *proto = NULL, *path = NULL;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			decode_usage(stdout);
			return 0;
		} else if (!strcmp(argv[i], "--protocol") && i + 1 < argc) {
			proto = argv[++i];
		} else if (!strncmp(argv[i], "--protocol=", 11)) {
			proto = argv[i] + 11;
		} else if (!path && (argv[i][0] != '-' || !strcmp(argv[i], "-"))) {
			path = argv[i];
		} else {
			fprintf(stderr, "cabin-devices decode: unexpected argument '%s'\n", argv[i]);
			decode_usage(stderr);
			return 2;
		}
	}
	if (!proto || !path) {
		decode_usage(stderr);
		return 2;
	}
	cab_cli_decode_fn fn = cab_cli_decoder(proto);
	if (!fn) {
		fprintf(stderr, "cabin-devices decode: unknown protocol '%s'\n", proto);
		decode_usage(stderr);
		return 2;
	}
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	if (!f) {
		fprintf(stderr, "cabin-devices decode: %s: %s\n", path, strerror(errno));
		return 2;
	}
	uint8_t *buf = NULL;
	size_t len = 0;
	char errbuf[256];
	int rc = cab_capture_read(f, &buf, &len, errbuf, sizeof errbuf);
	if (f != stdin)
		fclose(f);
	if (rc < 0) {
		fprintf(stderr, "cabin-devices decode: %s: %s\n", path, errbuf);
		return 1;
	}
	rc = fn(buf, len, stdout, stderr);
	fflush(stdout);
	free(buf);
	return rc;
}
