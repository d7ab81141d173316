/* rx_dialog.c — the dialog of the doctor's prescription on paper (see rx_dialog.h):
 * offered (its lines, Print / No thanks), printing, printed, or the printer's failure
 * in plain words with "ask the pharmacist". */
#include "kiosk/ui/rx_dialog.h"

#include "kiosk/print/print_cups.h"
#include "kiosk/ui/i18n.h"

int cab_rx_dialog_kind(const struct cab_view *v)
{
	return v->rx.shown ? (int)v->rx.state : 0;
}

/* What the patient reads when the printer failed (enum cab_print_err). */
static const char *fail_words(int e)
{
	switch ((enum cab_print_err)e) {
	case CAB_PRINT_NO_PRINTER:
		return N_("The cabin has no printer available.\nAsk the pharmacist: your "
		          "prescription stays with the doctor, who can send it to you.");
	case CAB_PRINT_OFFLINE:
		return N_("The printer is off or not connected.\nAsk the pharmacist: your "
		          "prescription stays with the doctor, who can send it to you.");
	case CAB_PRINT_NO_PAPER:
		return N_("The printer is out of paper.\nAsk the pharmacist: your "
		          "prescription stays with the doctor, who can send it to you.");
	case CAB_PRINT_OK:
	case CAB_PRINT_FAILED:
		break;
	}
	return N_("The printer could not print your prescription.\nAsk the pharmacist: your "
	          "prescription stays with the doctor, who can send it to you.");
}

void cab_rx_dialog(struct ui_dialog *d, const struct cab_view *v)
{
	switch (v->rx.state) {
	case CAB_RX_OFFERED:
		ui_dialog_init(d, N_("Your prescription"), v->rx.lines, 1);
		ui_label_init(&d->extra, N_("Do you want it printed on paper now?"), UI_T_BODY_BOLD);
		d->extra.align = UI_CENTER;
		ui_dialog_button(d, N_("No thanks"), UI_BTN_SECONDARY, CAB_ACT_RX_DECLINE);
		d->btn[0].w.name = "rx_decline";
		ui_dialog_button(d, N_("Print"), UI_BTN_PRIMARY, CAB_ACT_RX_PRINT);
		d->btn[1].w.name = "rx_print";
		break;
	case CAB_RX_PRINTING:
		ui_dialog_init(d, N_("Printing…"),
		               N_("Your prescription is being printed. Please wait."), 0);
		break;
	case CAB_RX_PRINTED:
		ui_dialog_init(d, N_("Printed"), N_("Take your prescription from the printer's tray."), 0);
		ui_dialog_button(d, N_("OK"), UI_BTN_PRIMARY, CAB_ACT_RX_CLOSE);
		d->btn[0].w.name = "rx_close";
		break;
	case CAB_RX_FAILED:
		ui_dialog_init(d, N_("Not printed"), fail_words(v->rx.fail), 0);
		d->band = (struct ui_rgba){190, 30, 45, 255};
		ui_dialog_button(d, N_("OK"), UI_BTN_PRIMARY, CAB_ACT_RX_CLOSE);
		d->btn[0].w.name = "rx_close";
		break;
	case CAB_RX_NONE:
	case CAB_RX_DECLINED:
		break;
	}
}

const char *cab_rx_say(const struct cab_view *v)
{
	if (!v->rx.shown)
		return NULL;
	switch (v->rx.state) {
	case CAB_RX_OFFERED:
		return N_("The doctor wrote you a prescription. Touch Print to have it on paper.");
	case CAB_RX_PRINTED:
		return N_("Printed: take your prescription from the printer's tray.");
	case CAB_RX_FAILED:
		return N_("The prescription was not printed. Please ask the pharmacist.");
	default:
		return NULL;
	}
}
