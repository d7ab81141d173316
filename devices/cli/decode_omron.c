/* decode_omron.c — `cabin-devices decode --protocol omron`: an Omron HEM-790IT
 * exchange captured as 8-byte HID reports (both directions, in order) to readings.
 * Commands seen in the capture set the expected reply; a reply with no command
 * before it is recognised by its data length (13 = GME record, 4 = GDC count).
 * Protocol: libomron notes and issue #25 (see devices/proto/omron_hem.h). */
#include <string.h>

#include "devices/cli/decoders.h"
#include "devices/core/reading_json.h"
#include "devices/proto/omron_hem.h"

/* Length of a host command starting with the 3 letters M, 0 if not a command. */
static size_t command_len(const uint8_t *m)
{
	static const struct { const char *name; size_t len; } cmds[] = {
		{"VER", 5}, {"PRF", 5}, {"SRL", 5}, {"END", 5}, {"GDC", 8}, {"GME", 8},
	};
	for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
		if (memcmp(m, cmds[i].name, 3) == 0)
			return cmds[i].len;
	return 0;
}

/* 1 when DATA is non-empty printable ASCII (a VER reply's version string). */
static int printable(const uint8_t *data, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (data[i] < 0x20 || data[i] > 0x7E)
			return 0;
	return n > 0;
}

int cab_cli_decode_omron(const uint8_t *buf, size_t len, FILE *out, FILE *err)
{
	struct omron_asm a;
	struct cab_device_id id;
	uint8_t last_cmd[3] = {0, 0, 0};
	size_t msg_start = 0;

	memset(&a, 0, sizeof a);
	memset(&id, 0, sizeof id);
	id.kind = CAB_KIND_BLOOD_PRESSURE;
	strcpy(id.driver, "omron-hem");
	strcpy(id.manufacturer, "Omron");
	strcpy(id.model, "HEM-790IT");
	id.vid = OMRON_VID;
	id.pid = OMRON_PID_HEM790IT;

	for (size_t off = 0; off < len; off += OMRON_REPORT_LEN) {
		if (len - off < OMRON_REPORT_LEN) {
			fprintf(err, "omron: truncated HID report at byte %zu (%zu of 8 bytes)\n", off, len - off);
			return 1;
		}
		if (a.n == 0)
			msg_start = off;
		int r = omron_asm_add(&a, buf + off, OMRON_REPORT_LEN);
		if (r < 0) {
			fprintf(err, "omron: bad HID report at byte %zu (valid-byte count %u, must be 1..7; message at most %d bytes)\n",
			        off, buf[off], OMRON_MSG_MAX);
			return 1;
		}
		size_t expect = 0;
		int is_cmd = a.n >= 3 && (expect = command_len(a.buf)) != 0;
		if (!is_cmd && a.n >= 2 && memcmp(a.buf, "OK", 2) == 0 && last_cmd[0])
			expect = omron_reply_len(last_cmd);
		if (expect && a.n > expect) {
			fprintf(err, "omron: message at byte %zu longer than expected (%zu > %zu bytes)\n",
			        msg_start, a.n, expect);
			return 1;
		}
		if (r == 0 && !(expect && a.n == expect))
			continue;
		if (expect && a.n < expect) {
			fprintf(err, "omron: truncated message at byte %zu (%zu of %zu bytes)\n", msg_start, a.n, expect);
			return 1;
		}
		/* one whole message in a.buf */
		if (is_cmd) {
			if (expect == 8 && (a.buf[3] ^ a.buf[4] ^ a.buf[5] ^ a.buf[6]) != a.buf[7]) {
				fprintf(err, "omron: command %.3s at byte %zu has a bad checksum\n", (const char *)a.buf, msg_start);
				return 1;
			}
			memcpy(last_cmd, a.buf, 3);
			a.n = 0;
			continue;
		}
		const uint8_t *data;
		size_t dlen;
		enum omron_reply rep = omron_reply_parse(a.buf, a.n, &data, &dlen);
		if (rep == OMRON_REPLY_BAD) {
			fprintf(err, "omron: unrecognised or corrupt reply at byte %zu (%zu bytes; bad checksum or unknown start)\n",
			        msg_start, a.n);
			return 1;
		}
		if (rep == OMRON_REPLY_OK) {
			int is_gme = last_cmd[0] ? memcmp(last_cmd, "GME", 3) == 0 : dlen == 13;
			int is_ver = last_cmd[0] ? memcmp(last_cmd, "VER", 3) == 0 : printable(data, dlen);
			if (is_gme) {
				struct omron_record rec;
				struct cab_reading rd[3];
				if (omron_record_parse(data, dlen, &rec) < 0) {
					fprintf(err, "omron: GME reply at byte %zu is not a valid record (%zu data bytes, need 13 with a valid date)\n",
					        msg_start, dlen);
					return 1;
				}
				omron_record_readings(&rec, CAB_RF_STORED, rd);
				for (int i = 0; i < 3; i++) {
					rd[i].device = id;
					cab_reading_print_json(&rd[i], out);
				}
			} else if (is_ver) {
				char v[48];
				if (omron_ver_string(data, dlen, v, sizeof v) == 0) {
					char *sp = strchr(v, ' ');
					if (sp) {
						*sp = 0;
						snprintf(id.firmware, sizeof id.firmware, "%s", sp + 1);
					}
					snprintf(id.model, sizeof id.model, "%s", v);
				}
			}
		}
		a.n = 0;
	}
	if (a.n) {
		fprintf(err, "omron: capture ends inside a message starting at byte %zu\n", msg_start);
		return 1;
	}
	return 0;
}
