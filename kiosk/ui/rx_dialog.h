/* rx_dialog.h — the doctor's prescription offered on paper, as a modal dialog over
 * whatever screen the patient is on (the call or the summary): its lines with
 * "Print" / "No thanks", then "Printing…", then "Printed: take it from the tray" or
 * the printer's failure in plain words and "ask the pharmacist". Reads V->rx only
 * (struct cab_rx_view, filled by kiosk/app/bind_print.c). Map names of its buttons:
 * rx_print, rx_decline, rx_close. */
#ifndef CABIN_UI_RX_DIALOG_H
#define CABIN_UI_RX_DIALOG_H

#include "kiosk/ui/dialog.h"
#include "kiosk/ui/view.h"

/* Which prescription dialog V asks for: 0 none, else a key that changes whenever
 * the dialog's content must change (the rx state). */
int cab_rx_dialog_kind(const struct cab_view *v);

/* Sets D up (ui_dialog_init + buttons) for V->rx's state. */
void cab_rx_dialog(struct ui_dialog *d, const struct cab_view *v);

/* The msgid the cabin says while the dialog is up (kiosk/voice), or NULL. */
const char *cab_rx_say(const struct cab_view *v);

#endif
