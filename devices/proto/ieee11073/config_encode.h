/* config_encode.h — a configuration written as MDC_NOTI_CONFIG event-info (agent
 * side; used by the simulated agent and tests). Internal: prefix ieee_. */
#ifndef CABIN_IEEE11073_CONFIG_ENCODE_H
#define CABIN_IEEE11073_CONFIG_ENCODE_H

#include "devices/proto/ieee11073/config.h"
#include "devices/proto/ieee11073/mder.h"

/* Writes ConfigReport {C->dev_config_id, objects with type, metric-spec-small,
 * physio list (compound objects), unit, attribute-value-map} into W. */
void ieee_config_report_encode(struct ieee_wr *w, const struct ieee_config *c);

#endif
