/* station_turn.c — the `ice_servers` message the station hands the cabin and the doctor's
 * console for a call: STUN urls as they are, TURN urls with short-lived REST credentials
 * (common/turn_rest.h; docs/webrtc.md "STUN, TURN and credentials"). */
#include <stdio.h>
#include <string.h>

#include "doctor/station.h"
#include "kiosk/link/message.h"
#include "turn_rest.h"

json_t *cab_station_ice_servers_msg(const struct cab_station_turn *t, const char *session,
                                    int64_t now)
{
	json_t *stun = json_array(), *turn = json_array();
	char buf[sizeof t->uris];
	snprintf(buf, sizeof buf, "%s", t->uris);
	char *save = NULL;
	for (char *u = strtok_r(buf, ", ", &save); u; u = strtok_r(NULL, ", ", &save)) {
		if (!strncmp(u, "stun:", 5))
			json_array_append_new(stun, json_string(u));
		else if (!strncmp(u, "turn:", 5) || !strncmp(u, "turns:", 6))
			json_array_append_new(turn, json_string(u));
	}
	json_t *list = json_array();
	if (json_array_size(stun))
		json_array_append_new(list, json_pack("{sO}", "urls", stun));
	char user[CAB_TURN_USER_MAX], cred[CAB_TURN_CRED_MAX];
	if (json_array_size(turn) &&
	    cab_turn_rest_credentials(t->secret, session, now, t->ttl_s > 0 ? t->ttl_s : 3600, user,
	                              cred) == 0)
		json_array_append_new(list, json_pack("{sOssss}", "urls", turn, "username", user,
		                                      "credential", cred));
	json_decref(stun);
	json_decref(turn);
	if (!json_array_size(list)) {
		json_decref(list);
		return NULL;
	}
	json_t *m = cab_msg_new(CAB_MSG_ICE_SERVERS, NULL);
	json_object_set_new(m, "session", json_string(session));
	json_object_set_new(m, "ice_servers", list);
	json_object_set_new(m, "policy", json_string(t->relay_only ? "relay" : "all"));
	return m;
}
