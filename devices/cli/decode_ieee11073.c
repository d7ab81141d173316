/* decode_ieee11073.c — `cabin-devices decode --protocol ieee11073` (see
 * decoders.h): the capture goes through the 11073 manager
 * (devices/proto/ieee11073/conversation.c). */
#include "devices/cli/decoders.h"

#include "devices/proto/ieee11073/conversation.h"

int cab_cli_decode_ieee11073(const uint8_t *buf, size_t len, FILE *out, FILE *err)
{
	return ieee_conversation_decode(buf, len, out, err);
}
