/* view.h — what the screens show, as plain data: the flow's state, the dialogs,
 * the doctor, the fee, the consent answers, the identity form, the check and
 * instrument tiles. The app (kiosk/app) fills it from the flow and the other
 * threads' events; screens only read it (and edit the form buffers bound to their
 * fields). Screens report what the patient did as cab_ui_action codes. No SDL. */
#ifndef CABIN_UI_VIEW_H
#define CABIN_UI_VIEW_H

#include <stdbool.h>

#include "kiosk/flow/flow.h"
#include "kiosk/identity/communes.h"
#include "kiosk/identity/identity.h"

/* What the patient did, as the app sees it (screens keep their own codes >= 100). */
enum cab_ui_action {
	CAB_ACT_NONE = 0,
	CAB_ACT_START,          /* attract touched */
	CAB_ACT_LANG_TOGGLE,    /* the language button in the header */
	CAB_ACT_LANG_PICK,      /* language screen; arg 0 = fr, 1 = en */
	CAB_ACT_EMERGENCY,      /* show the emergency notice */
	CAB_ACT_EMERGENCY_CLOSE,
	CAB_ACT_STOP,           /* the stop button: asks for confirmation */
	CAB_ACT_STOP_CONFIRM,   /* yes, stop and erase */
	CAB_ACT_STOP_CANCEL,
	CAB_ACT_STILL_HERE,     /* answer to "are you still there?" */
	CAB_ACT_BACK,
	CAB_ACT_NEXT,           /* the footer's main button (continue, confirm, finish) */
	CAB_ACT_CHECKS_RETRY,
	CAB_ACT_END_CALL,       /* consultation: the patient hangs up */
	CAB_ACT_MEASURE,        /* "take a measurement" on an instrument tile; arg = tile */
	CAB_ACT_MUTE,           /* consultation: mute / unmute the microphone */
	CAB_ACT_LARGE_TEXT,     /* header: large text and high contrast on/off (handled by the stage) */
	CAB_ACT_VOICE_CYCLE,    /* header: spoken guidance loud -> quiet -> off -> loud */
	CAB_ACT_VOICE_REPEAT,   /* header: say the screen's instruction again */
	CAB_ACT_RX_PRINT,       /* prescription dialog: print it */
	CAB_ACT_RX_DECLINE,     /* prescription dialog: no thanks */
	CAB_ACT_RX_CLOSE,       /* prescription dialog: the result was read */
	CAB_ACT_READY,          /* waiting room: "I'm ready" (the call may start) */
	CAB_ACT_SCREEN_BASE = 100
};

/* State of a check (camera, sound, network) or an instrument tile. */
enum cab_tile_state { CAB_TILE_IDLE, CAB_TILE_BUSY, CAB_TILE_OK, CAB_TILE_FAILED, CAB_TILE_ABSENT };

/* One tile. */
struct cab_tile {
	const char *name;   /* msgid ("Camera", "Thermometer") */
	const char *icon;   /* image in assets/images */
	enum cab_tile_state state;
	char detail[64];    /* raw text: a value with its unit ("37.2 °C"), or "" */
	float progress;     /* 0..1 while BUSY */
	bool instrument;    /* a measuring instrument (words: measured/measuring) */
};

#define CAB_VIEW_CHECKS 3
#define CAB_VIEW_INSTRUMENTS 5
#define CAB_PLACE_RESULTS 50

/* The identity screen's form: what the patient typed, and the validators' message
 * per field (msgids from cab_id_err_msgid(), NULL when fine). Indexed by
 * enum cab_id_field. */
struct cab_id_form {
	char birth_name[CAB_NAME_BYTES];
	char first_names[CAB_NAME_BYTES];
	char birth_date[16];   /* DD/MM/YYYY */
	int sex;               /* -1 not chosen, 0 female, 1 male */
	int abroad;            /* -1 not chosen, 0 born in France, 1 abroad */
	char place_query[96];  /* typed search, then the chosen place's name */
	char place_code[6];    /* chosen INSEE code, "" until one is picked */
	char nir[24];          /* optional, as typed */
	char phone[24];
	const char *err[8];
	const struct cab_place *results[CAB_PLACE_RESULTS]; /* current search results */
	int n_results;
};

/* The doctor's prescription offered on paper (kiosk/app/bind_print.c, the dialog
 * kiosk/ui/rx_dialog.c, the summary). */
enum cab_rx_state {
	CAB_RX_NONE = 0,  /* no prescription in this session */
	CAB_RX_OFFERED,   /* shown: Print / No thanks */
	CAB_RX_PRINTING,  /* sent to the printer, waiting for CUPS's answer */
	CAB_RX_PRINTED,   /* the printer completed the job */
	CAB_RX_FAILED,    /* the printer failed: CAB_RX_VIEW.fail says how */
	CAB_RX_DECLINED,  /* the patient answered "No thanks" */
};
struct cab_rx_view {
	enum cab_rx_state state;
	bool shown;        /* the dialog is up (a result stays until the patient closes it) */
	int fail;          /* FAILED: enum cab_print_err (kiosk/print/print_cups.h) */
	char lines[1200];  /* the prescription's lines as the patient reads them (raw text,
	                      one medicine per line, its dose and duration under it) */
};

/* Everything on screen. */
struct cab_view {
	enum cab_flow_state state;
	int still_there_s;        /* seconds left on the countdown, -1: not shown */
	bool emergency;           /* emergency notice shown */
	bool confirm_stop;        /* "stop the session?" shown */
	bool identity_sent;       /* the identity went to the doctor station: the stop
	                             dialog says what stays with the doctor */
	int voice_level;          /* spoken guidance: 2 loud, 1 quiet, 0 off, -1 none in this cabin */
	enum cab_flow_end end_reason;
	struct cab_doctor doctor; /* copy of the session's doctor */
	int fee_cents;            /* consultation fee, euro cents (configurable) */
	char cabin_name[64];      /* shown in the header; raw text */
	int consent_tele;         /* -1 unanswered, 0 yes, 1 no */
	int consent_data;         /* -1 unanswered, 0 yes, 1 no */
	struct cab_id_form form;
	const struct cab_places *places; /* commune and country list; NULL: none */
	struct cab_tile checks[CAB_VIEW_CHECKS];
	struct cab_tile instruments[CAB_VIEW_INSTRUMENTS];
	int call_s;               /* seconds since the call started */
	int readings_sent;        /* measurements sent to the doctor */
	float wipe_progress;      /* 0..1 on the wipe screen */
	int requested_tile;       /* instrument the doctor asked for (highlighted), -1 none */
	int queue_position;       /* waiting room: place in the station's queue (1-based), 0 unknown */
	int queue_estimate_s;     /* the station's estimate of the wait, seconds, -1 unknown */
	bool released;            /* the doctor gave the patient back to the queue */
	bool patient_ready;       /* the patient pressed "I'm ready" */
	int bp_rest_s;            /* seconds of rest left before the blood pressure is taken, -1 none */
	char doctor_message[256]; /* last message the doctor sent (raw text), "" none */
	char link_text[64];       /* link quality shown in the call (raw text), "" unknown */
	bool muted;               /* microphone muted */
	bool camera_is_test;      /* the camera is the lavfi test source: say so */
	bool steth_on;            /* the stethoscope is streaming */
	int exam_camera;          /* camera the doctor sees: 0 room, 1 otoscope, 2 dermatoscope */
	int stills_taken;         /* exam pictures taken for the doctor in this call */
	struct cab_rx_view rx;    /* the prescription on paper */
	/* Pictures the media module decoded (RGBA, 4 bytes per pixel), owned by the app;
	 * *_seq changes whenever a new picture is there. NULL: none yet. */
	const unsigned char *video_rgba; int video_w, video_h; unsigned video_seq;
	const unsigned char *self_rgba; int self_w, self_h; unsigned self_seq;
};

/* Resets V to the empty session look (form emptied, tiles idle). Keeps cabin name,
 * fee and places. */
void cab_view_reset(struct cab_view *v);

/* Formats CENTS as a price in LANG ("fr": "25,00 €", "en": "€25.00") into BUF. */
void cab_view_format_fee(int cents, const char *lang, char *buf, unsigned long size);

#endif
