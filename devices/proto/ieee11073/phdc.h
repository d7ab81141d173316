/* phdc.h — USB PHDC (Personal Healthcare Device Class 1.0) class-specific
 * descriptors found in a PHDC interface's extra bytes: 0x20 class-function
 * (bPHDCDataCode 0x02 = IEEE 11073-20601, bmCapability bit 0 = metadata preamble),
 * 0x30 11073 function extension (device specializations, LE MDC_DEV_SPEC_PROFILE
 * codes), 0x21 QoS, 0x22 metadata. Source: USB Device Class Definition for PHDC 1.0
 * as summarised in PROTOCOLS.md 1.1, checked on the EFM32 PHDC glucometer example
 * descriptors (tests/devices/ieee11073-phdc/). Pure; internal prefix ieee_. */
#ifndef CABIN_IEEE11073_PHDC_H
#define CABIN_IEEE11073_PHDC_H

#include <stddef.h>
#include <stdint.h>

#include "cabin/reading.h"

#define IEEE_PHDC_CLASS          0x0F
#define IEEE_PHDC_DATA_11073     0x02
#define IEEE_PHDC_SPECS_MAX      8

/* What the PHDC descriptors say. */
struct ieee_phdc_desc {
	int has_class_function;   /* a 0x20 descriptor was found */
	uint8_t data_code;        /* bPHDCDataCode (0x02 = 11073-20601) */
	uint8_t capability;       /* bmCapability (bit 0: metadata message preamble) */
	int has_function_ext;     /* a 0x30 descriptor was found */
	uint8_t n_specs;          /* device specializations kept (<= IEEE_PHDC_SPECS_MAX) */
	uint16_t specs[IEEE_PHDC_SPECS_MAX];
	unsigned n_qos;           /* 0x21 descriptors */
	unsigned n_metadata;      /* 0x22 descriptors */
};

/* Walks the descriptors in BUF[0..LEN) (any mix: interface extras, endpoint and
 * interface descriptors are skipped by their bLength) and fills OUT. Returns 0, or
 * -1 with a message in ERR for a descriptor running past the end, a bLength < 2,
 * or a class descriptor shorter than its fixed part. */
int ieee_phdc_parse(const uint8_t *buf, size_t len, struct ieee_phdc_desc *out, char *err,
                    size_t errsz);

/* Device kind of the first specialization Cabin knows (CAB_KIND_UNKNOWN if none). */
enum cab_device_kind ieee_phdc_kind(const struct ieee_phdc_desc *d);

#endif
