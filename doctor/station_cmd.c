/* station_cmd.c — the doctor's commands typed on cabin-doctor's stdin (README, "The
 * link and the doctor station"): one table row per verb with its parser and usage; a
 * request is sent to the cabin of the session named (a unique prefix is enough). */
#include "doctor/station_internal.h"

#include "common/log.h"

#include "cabin/reading.h"

#include <stdio.h>
#include <string.h>

/* A parsed request (pointers into the command line). */
struct req {
	const char *action, *kind, *text, *site;
	char *sess;
};

#define DELIM " \t\r\n"

static int kind_known(const char *k)
{
	for (int i = 1; i < CAB_KIND__COUNT; i++)
		if (!strcmp(cab_device_kind_name((enum cab_device_kind)i), k))
			return 1;
	return 0;
}

/* The request action of a "start"/"stop" word (docs/link-protocol.md), or NULL. */
static const char *stream_action(const char *word)
{
	return !word                    ? NULL
	       : !strcmp(word, "start") ? "stream_start"
	       : !strcmp(word, "stop")  ? "stream_stop"
	                                : NULL;
}

/* Each parser reads its words after the verb; 0 ok, -1 bad usage, -2 refused with
 * its own message in ERR. */
typedef int (*parse_fn)(char **save, struct req *r, char *err, size_t n);

static int p_measure(char **save, struct req *r, char *err, size_t n)
{
	(void)err, (void)n;
	r->action = "measure";
	r->sess = strtok_r(NULL, DELIM, save);
	r->kind = strtok_r(NULL, DELIM, save);
	return 0;
}

static int p_stream(char **save, struct req *r, char *err, size_t n)
{
	(void)err, (void)n;
	r->action = stream_action(strtok_r(NULL, DELIM, save));
	r->sess = strtok_r(NULL, DELIM, save);
	r->kind = strtok_r(NULL, DELIM, save);
	return r->action ? 0 : -1;
}

static int p_message(char **save, struct req *r, char *err, size_t n)
{
	(void)err, (void)n;
	r->action = "message";
	r->sess = strtok_r(NULL, DELIM, save);
	r->text = strtok_r(NULL, "\r\n", save);
	return r->text && *r->text ? 0 : -1;
}

static int p_camera(char **save, struct req *r, char *err, size_t n)
{
	(void)err, (void)n;
	r->action = "camera";
	r->sess = strtok_r(NULL, DELIM, save);
	char *cam = strtok_r(NULL, DELIM, save);
	r->kind = !cam                           ? NULL
	          : !strcmp(cam, "room")         ? "room-camera"
	          : !strcmp(cam, "otoscope")     ? "otoscope"
	          : !strcmp(cam, "dermatoscope") ? "dermatoscope"
	                                         : NULL;
	return r->kind ? 0 : -1;
}

static int p_still(char **save, struct req *r, char *err, size_t n)
{
	r->action = "still";
	r->sess = strtok_r(NULL, DELIM, save);
	char *site = strtok_r(NULL, "\r\n", save);
	while (site && (*site == ' ' || *site == '\t'))
		site++;
	r->site = site && *site ? site : NULL;
	if (r->site && strlen(r->site) > 200) {
		snprintf(err, n, "body site over 200 characters");
		return -2;
	}
	return 0;
}

static int p_stetho(char **save, struct req *r, char *err, size_t n)
{
	(void)err, (void)n;
	r->action = stream_action(strtok_r(NULL, DELIM, save));
	r->kind = "stethoscope";
	r->sess = strtok_r(NULL, DELIM, save);
	return r->action ? 0 : -1;
}

static int p_end(char **save, struct req *r, char *err, size_t n)
{
	(void)err, (void)n;
	r->action = "end";
	r->sess = strtok_r(NULL, DELIM, save);
	return 0;
}

static const struct {
	const char *verb;
	parse_fn parse;
	const char *usage;
} verbs[] = {
    {"measure", p_measure, "usage: measure SESSION KIND"},
    {"stream", p_stream, "usage: stream start|stop SESSION KIND"},
    {"message", p_message, "usage: message SESSION TEXT"},
    {"camera", p_camera, "usage: camera SESSION room|otoscope|dermatoscope"},
    {"still", p_still, "usage: still SESSION [BODY SITE]"},
    {"stetho", p_stetho, "usage: stetho start|stop SESSION"},
    {"end", p_end, "usage: end SESSION"},
};

static void cmd_help(struct cab_station *st)
{
	stn_emit_text(
	    st, CAB_SEV_COMMAND, NULL, NULL,
	    "commands: sessions | measure SESSION KIND | stream start|stop SESSION KIND | "
	    "camera SESSION room|otoscope|dermatoscope | still SESSION [BODY SITE] | "
	    "stetho start|stop SESSION | "
	    "message SESSION TEXT | end SESSION | help  (SESSION may be a unique prefix; "
	    "KIND: thermometer blood-pressure pulse-oximeter scale glucometer stethoscope "
	    "otoscope dermatoscope room-camera)");
}

static void cmd_sessions(struct cab_station *st)
{
	char res[1024];
	json_t *arr = station_db_sessions(st->db);
	size_t i;
	json_t *s;
	int k = snprintf(res, sizeof res, "%zu session(s)", json_array_size(arr));
	json_array_foreach(arr, i, s)
	{
		const char *cab = json_string_value(json_object_get(s, "cabin"));
		if (k < (int)sizeof res - 100)
			k +=
			    snprintf(res + k, sizeof res - (size_t)k, "; %s cabin %s %s%s",
			             json_string_value(json_object_get(s, "session")), cab,
			             json_is_true(json_object_get(s, "closed")) ? "closed" : "open",
			             stn_conn_for_cabin(st, cab) ? " (connected)" : "");
	}
	json_decref(arr);
	stn_emit_text(st, CAB_SEV_COMMAND, NULL, NULL, res);
}

/* Sends request R to the cabin of its session. */
static void send_request(struct cab_station *st, const struct req *r)
{
	char res[1024], session[64], cabin[128];
	if (!r->sess) {
		stn_emit_text(st, CAB_SEV_COMMAND, NULL, NULL,
		              "a session id is needed (see sessions)");
		return;
	}
	if ((!strcmp(r->action, "measure") || !strncmp(r->action, "stream", 6)) &&
	    (!r->kind || !kind_known(r->kind))) {
		snprintf(res, sizeof res, "unknown instrument kind \"%.40s\" (see help)",
		         r->kind ? r->kind : "");
		stn_emit_text(st, CAB_SEV_COMMAND, NULL, NULL, res);
		return;
	}
	int found = station_db_find_session(st->db, r->sess, session, sizeof session);
	if (found != 1) {
		snprintf(res, sizeof res,
		         found ? "session prefix \"%.40s\" is ambiguous" : "no session \"%.40s\"",
		         r->sess);
		stn_emit_text(st, CAB_SEV_COMMAND, NULL, NULL, res);
		return;
	}
	station_db_session_cabin(st->db, session, cabin, sizeof cabin);
	struct stn_conn *c = stn_conn_for_cabin(st, cabin);
	if (!c) {
		snprintf(res, sizeof res, "cabin %.60s of session %.40s is not connected", cabin,
		         session);
		stn_emit_text(st, CAB_SEV_COMMAND, cabin, session, res);
		return;
	}
	json_t *m = cab_msg_new(CAB_MSG_REQUEST, NULL);
	json_object_set_new(m, "session", json_string(session));
	json_object_set_new(m, "action", json_string(r->action));
	if (r->kind)
		json_object_set_new(m, "kind", json_string(r->kind));
	if (r->text)
		json_object_set_new(m, "text", json_string(r->text));
	if (r->site)
		json_object_set_new(m, "body_site", json_string(r->site));
	snprintf(res, sizeof res, "sent %s%s%s%s%s to session %s (request %s)", r->action,
	         r->kind ? " " : "", r->kind ? r->kind : "", r->site ? " at " : "",
	         r->site ? r->site : "", session, json_string_value(json_object_get(m, "id")));
	stn_send_json(c, m);
	stn_emit_text(st, CAB_SEV_COMMAND, cabin, session, res);
}

void stn_run_command(struct cab_station *st, char *line)
{
	char res[256];
	char *save = NULL, *verb = strtok_r(line, DELIM, &save);
	if (!verb)
		return;
	if (!strcmp(verb, "help")) {
		cmd_help(st);
		return;
	}
	if (!strcmp(verb, "sessions")) {
		cmd_sessions(st);
		return;
	}
	for (size_t i = 0; i < sizeof verbs / sizeof verbs[0]; i++) {
		if (strcmp(verb, verbs[i].verb))
			continue;
		struct req r = {0};
		char err[128] = "";
		int rc = verbs[i].parse(&save, &r, err, sizeof err);
		if (rc == -1)
			stn_emit_text(st, CAB_SEV_COMMAND, NULL, NULL, verbs[i].usage);
		else if (rc == -2)
			stn_emit_text(st, CAB_SEV_COMMAND, NULL, NULL, err);
		else
			send_request(st, &r);
		return;
	}
	snprintf(res, sizeof res, "unknown command \"%.40s\" (try help)", verb);
	stn_emit_text(st, CAB_SEV_COMMAND, NULL, NULL, res);
}
