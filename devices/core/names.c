/* names.c — stable names of device kinds and special values (see cabin/reading.h). */
#include "cabin/reading.h"

#include <stddef.h>

const char *cab_device_kind_name(enum cab_device_kind kind)
{
	static const char *const names[CAB_KIND__COUNT] = {
		[CAB_KIND_UNKNOWN] = "unknown",
		[CAB_KIND_THERMOMETER] = "thermometer",
		[CAB_KIND_BLOOD_PRESSURE] = "blood-pressure",
		[CAB_KIND_PULSE_OXIMETER] = "pulse-oximeter",
		[CAB_KIND_SCALE] = "scale",
		[CAB_KIND_GLUCOMETER] = "glucometer",
		[CAB_KIND_STETHOSCOPE] = "stethoscope",
		[CAB_KIND_OTOSCOPE] = "otoscope",
		[CAB_KIND_DERMATOSCOPE] = "dermatoscope",
		[CAB_KIND_ROOM_CAMERA] = "room-camera",
	};
	if ((unsigned)kind >= CAB_KIND__COUNT)
		return "unknown";
	return names[kind];
}

const char *cab_value_kind_name(enum cab_value_kind kind)
{
	switch (kind) {
	case CAB_VALUE_NAN: return "NaN";
	case CAB_VALUE_NRES: return "NRes";
	case CAB_VALUE_PINF: return "+INF";
	case CAB_VALUE_NINF: return "-INF";
	case CAB_VALUE_RESERVED: return "reserved";
	case CAB_VALUE_NUMBER: break;
	}
	return NULL;
}
