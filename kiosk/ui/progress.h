/* progress.h — a horizontal progress bar with an optional caption inside. */
#ifndef CABIN_UI_PROGRESS_H
#define CABIN_UI_PROGRESS_H

#include "kiosk/ui/widget.h"

struct ui_progress {
	struct ui_widget w;
	float value;         /* 0..1 (clamped when drawn) */
	char caption[96];    /* raw text drawn centred, may be empty */
	struct ui_rgba fill; /* alpha 0: theme primary */
};

/* Sets up P empty (value 0, no caption). */
void ui_progress_init(struct ui_progress *p);
/* Width in pixels of the filled part for a bar of W pixels at VALUE. Pure. */
int ui_progress_fill_w(int w, float value);

#endif
