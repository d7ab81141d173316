/* bind_print.h — binds kiosk/print to the patient: the doctor's prescription (the
 * station's `prescription` link message) is offered on screen (view.rx, the dialog of
 * kiosk/ui/rx_dialog.c), printed on the pharmacy's CUPS destination ([printer] name,
 * "" = the CUPS default) on a thread of its own when the patient touches Print, and
 * its result shown truthfully; a printer failure is a `printer-error` incident of the
 * session (so it lands in the record). The prescription is held in memory for the
 * session only and wiped with it. Main thread unless said. */
#ifndef CABIN_APP_BIND_PRINT_H
#define CABIN_APP_BIND_PRINT_H

#include "kiosk/app/bind.h"

struct cab_bind_print;

/* Set up with the app (view, configuration, effects) and the store binding's
 * session (read only). NULL on no memory. */
struct cab_bind_print *cab_bind_print_new(struct cab_app *a, const struct cab_app_session *ses);

/* The prescription RX_JSON (the `prescription` object as JSON text, docs/link-protocol.md)
 * arrived for the current session: shown with Print / No thanks. A second one
 * replaces the first unless it is printing. */
void cab_bind_print_offer(struct cab_bind_print *p, const char *rx_json);

/* CAB_ACT_RX_PRINT, CAB_ACT_RX_DECLINE or CAB_ACT_RX_CLOSE from the dialog. */
void cab_bind_print_action(struct cab_bind_print *p, int act);

/* A print job ended (CAB_QEV_PRINT). */
void cab_bind_print_event(struct cab_bind_print *p, const struct cab_printev *ev);

/* The session ended or a new one began: the prescription is wiped. */
void cab_bind_print_clear(struct cab_bind_print *p);

/* Waits for a print job still running, then frees P. NULL-safe. */
void cab_bind_print_stop(struct cab_bind_print *p);

#endif
