/* reading_json.c — JSON form of a reading with jansson (see reading_json.h). */
#include "devices/core/reading_json.h"

#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include "cabin/mdc.h"

static const char *const flag_names[] = {
	"ongoing", "signal-weak", "motion", "no-finger", "cuff-error",
	"irregular-heartbeat", "low-battery", "invalid", "stored", "before-session",
	"control-solution", "out-of-range", "clock-unset", "history",
};

static json_t *device_json(const struct cab_device_id *d)
{
	json_t *o = json_object();
	json_object_set_new(o, "kind", json_string(cab_device_kind_name(d->kind)));
	if (d->driver[0]) json_object_set_new(o, "driver", json_string(d->driver));
	if (d->manufacturer[0]) json_object_set_new(o, "manufacturer", json_string(d->manufacturer));
	if (d->model[0]) json_object_set_new(o, "model", json_string(d->model));
	if (d->serial[0]) json_object_set_new(o, "serial", json_string(d->serial));
	if (d->firmware[0]) json_object_set_new(o, "firmware", json_string(d->firmware));
	if (d->system_id[0]) json_object_set_new(o, "system_id", json_string(d->system_id));
	if (d->vid || d->pid) {
		char vp[10];
		snprintf(vp, sizeof vp, "%04x:%04x", d->vid, d->pid);
		json_object_set_new(o, "usb", json_string(vp));
	}
	if (d->simulated) json_object_set_new(o, "simulated", json_true());
	return o;
}

char *cab_reading_to_json(const struct cab_reading *r)
{
	json_t *o = json_object();
	const char *name = cab_mdc_name(r->mdc);
	char *text;

	json_object_set_new(o, "mdc", json_integer(r->mdc));
	json_object_set_new(o, "name", name ? json_string(name) : json_null());
	if (r->value_kind == CAB_VALUE_NUMBER) {
		json_object_set_new(o, "value", json_real(r->value));
	} else {
		json_object_set_new(o, "value", json_null());
		json_object_set_new(o, "special", json_string(cab_value_kind_name(r->value_kind)));
	}
	json_object_set_new(o, "ucum", json_string(r->ucum));
	if (r->device_time_ms != INT64_MIN) {
		char buf[64];
		time_t s = (time_t)(r->device_time_ms / 1000);
		int cs = (int)(r->device_time_ms % 1000) / 10;
		struct tm tm;
		gmtime_r(&s, &tm);
		if (cs)
			snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%02d", tm.tm_year + 1900,
			         tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, cs);
		else
			snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d", tm.tm_year + 1900,
			         tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
		json_object_set_new(o, "time", json_string(buf));
	}
	json_t *flags = json_array();
	for (unsigned i = 0; i < sizeof flag_names / sizeof flag_names[0]; i++)
		if (r->flags & (1u << i))
			json_array_append_new(flags, json_string(flag_names[i]));
	json_object_set_new(o, "flags", flags);
	json_object_set_new(o, "status", json_integer(r->measurement_status));
	if (r->clock_offset_ms != INT64_MIN && r->clock_offset_ms != 0)
		json_object_set_new(o, "clock_offset_ms", json_integer(r->clock_offset_ms));
	if (r->person_id != 0xFFFF && r->person_id != 0)
		json_object_set_new(o, "person", json_integer(r->person_id));
	json_object_set_new(o, "device", device_json(&r->device));
	text = json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(10));
	json_decref(o);
	return text;
}

int cab_reading_print_json(const struct cab_reading *r, FILE *out)
{
	char *t = cab_reading_to_json(r);
	if (!t)
		return -1;
	fprintf(out, "%s\n", t);
	free(t);
	return 0;
}
