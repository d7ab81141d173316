/* outbox_item.c — helpers for struct cab_outbox_item (see outbox_port.h). */
#include "kiosk/link/outbox_port.h"

#include <stdlib.h>
#include <string.h>

void cab_outbox_item_clear(struct cab_outbox_item *item)
{
	free(item->body);
	memset(item, 0, sizeof *item);
}
