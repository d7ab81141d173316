/* omron_hem.c — Omron HEM-790IT family HID protocol codec.
 * Source: openyou/libomron (commit 7febf1792621f381050881ee827b186bbd6ed610): protocol
 * notes in doc/, USBlyzer capture doc/logs/hem790it/1_2_07_TwoReadings.html, reading
 * layout corrected in libomron issue #25; PROTOCOLS.md 1.3. Checked against the
 * captured exchange copied in tests/devices/omron-hem/. */
#include "devices/proto/omron_hem.h"

#include <string.h>

#include "cabin/mdc.h"

void omron_encode_mode(uint16_t mode, uint8_t out[2])
{
	out[0] = (uint8_t)(mode >> 8);
	out[1] = (uint8_t)mode;
}

size_t omron_cmd_ver(uint8_t *out)
{
	memcpy(out, "VER00", 5);
	return 5;
}

size_t omron_cmd_gdc(uint8_t bank, uint8_t *out)
{
	const uint8_t m[8] = {'G', 'D', 'C', 0x00, bank, 0x00, 0x00, bank};
	memcpy(out, m, 8);
	return 8;
}

size_t omron_cmd_gme(uint8_t bank, uint16_t index, uint8_t *out)
{
	uint8_t hi = (uint8_t)(index >> 8), lo = (uint8_t)index;
	const uint8_t m[8] = {'G', 'M', 'E', 0x00, bank, hi, lo, (uint8_t)(bank ^ hi ^ lo)};
	memcpy(out, m, 8);
	return 8;
}

size_t omron_cmd_end(uint8_t *out)
{
	const uint8_t m[5] = {'E', 'N', 'D', 0xFF, 0xFF};
	memcpy(out, m, 5);
	return 5;
}

size_t omron_split_reports(const uint8_t *msg, size_t len, uint8_t (*reports)[8], size_t maxr)
{
	size_t nr = 0;
	for (size_t off = 0; off < len; off += OMRON_REPORT_PAYLOAD) {
		if (nr == maxr)
			return 0;
		size_t k = len - off < OMRON_REPORT_PAYLOAD ? len - off : OMRON_REPORT_PAYLOAD;
		memset(reports[nr], 0, 8);
		reports[nr][0] = (uint8_t)k;
		memcpy(&reports[nr][1], msg + off, k);
		nr++;
	}
	return nr;
}

int omron_asm_add(struct omron_asm *a, const uint8_t *report, size_t len)
{
	if (len != OMRON_REPORT_LEN)
		return -1;
	uint8_t k = report[0];
	if (k == 0 || k > OMRON_REPORT_PAYLOAD)
		return -1;
	if (a->n + k > OMRON_MSG_MAX)
		return -1;
	memcpy(a->buf + a->n, report + 1, k);
	a->n += k;
	return k < OMRON_REPORT_PAYLOAD ? 1 : 0;
}

enum omron_reply omron_reply_parse(const uint8_t *msg, size_t len, const uint8_t **data,
                                   size_t *data_len)
{
	if (data)
		*data = NULL;
	if (data_len)
		*data_len = 0;
	if (len == 5 && memcmp(msg, "OFF\r\n", 5) == 0)
		return OMRON_REPLY_OFF;
	if (len < 2)
		return OMRON_REPLY_BAD;
	if (memcmp(msg, "NO", 2) == 0)
		return OMRON_REPLY_NO;
	if (memcmp(msg, "OK", 2) != 0)
		return OMRON_REPLY_BAD;
	if (len == 2)
		return OMRON_REPLY_OK_BARE;
	if (len < 4 || msg[2] != 0x00)
		return OMRON_REPLY_BAD;
	uint8_t x = 0;
	for (size_t i = 2; i < len; i++)
		x ^= msg[i];
	if (x != 0)
		return OMRON_REPLY_BAD;
	if (data)
		*data = msg + 3;
	if (data_len)
		*data_len = len - 4;
	return OMRON_REPLY_OK;
}

size_t omron_reply_len(const uint8_t *cmd3)
{
	if (memcmp(cmd3, "GDC", 3) == 0)
		return 8;
	if (memcmp(cmd3, "GME", 3) == 0)
		return 17;
	if (memcmp(cmd3, "END", 3) == 0)
		return 2;
	return 0;
}

int omron_gdc_count(const uint8_t *data, size_t data_len)
{
	if (!data || data_len != 4)
		return -1;
	return (int)data[2] << 8 | data[3];
}

int omron_ver_string(const uint8_t *data, size_t data_len, char *out, size_t outsz)
{
	size_t k = 0;
	if (!outsz)
		return -1;
	for (size_t i = 0; i < data_len && k + 1 < outsz; i++)
		out[k++] = (data[i] >= 0x20 && data[i] < 0x7F) ? (char)data[i] : '?';
	out[k] = 0;
	return k ? 0 : -1;
}

int omron_record_parse(const uint8_t *d, size_t data_len, struct omron_record *rec)
{
	memset(rec, 0, sizeof *rec);
	if (!d || data_len != 13)
		return -1;
	rec->year = 2000 + d[0];
	rec->month = d[1];
	rec->day = d[2];
	rec->hour = d[3];
	rec->minute = d[4];
	rec->second = d[5];
	rec->unit = d[6];
	rec->sys = (int)d[7] << 8 | d[8];
	rec->dia = d[9];
	rec->pulse = d[10];
	rec->flags = (uint16_t)(d[11] << 8 | d[12]);
	if (rec->month < 1 || rec->month > 12 || rec->day < 1 || rec->day > 31 ||
	    rec->hour > 23 || rec->minute > 59 || rec->second > 59)
		return -1;
	return 0;
}

/* Days from 1970-01-01 to Y-M-D (proleptic Gregorian), for the device time stamp. */
static int64_t days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int omron_record_readings(const struct omron_record *rec, uint32_t extra_flags,
                          struct cab_reading *out)
{
	static const struct { uint32_t term; const char *ucum; } what[3] = {
		{MDC_PRESS_BLD_NONINV_SYS, "mm[Hg]"},
		{MDC_PRESS_BLD_NONINV_DIA, "mm[Hg]"},
		{MDC_PULS_RATE_NON_INV, "/min"},
	};
	const int values[3] = {rec->sys, rec->dia, rec->pulse};
	uint32_t flags = extra_flags;
	if (rec->flags & OMRON_FLAG_IRREGULAR)
		flags |= CAB_RF_IRREGULAR_HB;
	if (rec->flags & OMRON_FLAG_MOVEMENT)
		flags |= CAB_RF_MOTION;
	int64_t t = ((days_from_civil(rec->year, rec->month, rec->day) * 24 + rec->hour) * 60 +
	             rec->minute) * 60 + rec->second;
	for (int i = 0; i < 3; i++) {
		memset(&out[i], 0, sizeof out[i]);
		out[i].mdc = MDC_FULL(MDC_PART_SCADA, what[i].term);
		out[i].value_kind = CAB_VALUE_NUMBER;
		out[i].value = values[i];
		strcpy(out[i].ucum, what[i].ucum);
		out[i].device_time_ms = t * 1000;
		out[i].flags = flags;
		out[i].person_id = 0xFFFF;
	}
	return 3;
}

size_t omron_encode_gme_reply(const struct omron_record *rec, uint8_t *out)
{
	uint8_t d[13] = {
		(uint8_t)(rec->year - 2000), (uint8_t)rec->month, (uint8_t)rec->day,
		(uint8_t)rec->hour, (uint8_t)rec->minute, (uint8_t)rec->second,
		(uint8_t)rec->unit, (uint8_t)(rec->sys >> 8), (uint8_t)rec->sys,
		(uint8_t)rec->dia, (uint8_t)rec->pulse, (uint8_t)(rec->flags >> 8), (uint8_t)rec->flags,
	};
	uint8_t x = 0;
	out[0] = 'O';
	out[1] = 'K';
	out[2] = 0x00;
	memcpy(out + 3, d, 13);
	for (int i = 0; i < 13; i++)
		x ^= d[i];
	out[16] = x;
	return 17;
}
