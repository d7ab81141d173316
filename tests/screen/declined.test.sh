#!/usr/bin/env bash
# declined.test.sh — refusing the teleconsultation on the real program (1280x800,
# own Xvfb): the consent screen's "No", confirmed, ends the session politely
# (ENDED, reason shown), then OK wipes and returns to the attract screen. The state
# log must show consent -> ended -> wipe -> attract and nothing in between.
source "$(dirname "$0")/../lib/screen.sh"
screen_setup declined 4 1280x800
start_cabin CABIN_NO_LINK=1 -- --windowed 1280x800 --lang en

wait_for screen_is attract && click start && click lang_en && click next && wait_for screen_is consent
click consent_tele/1
# one answer is not enough: the confirm button stays disabled
if ! where next >/dev/null; then ok "confirm disabled until both questions are answered"; else notok "confirm disabled until both questions are answered"; fi
click consent_data/1 && shot consent-refused
click next
if wait_for screen_is ended; then ok "refusal ends the session politely"; else notok "refusal ends the session politely"; fi
shot ended
click next
if wait_for screen_is attract; then ok "OK wipes and returns to attract"; else notok "OK wipes and returns to attract"; fi
got=$(sed -n 's/.*"from": *"\([a-z_]*\)".*"to": *"\([a-z_]*\)".*"event": *"\([a-z_]*\)".*/\1>\2:\3/p' "$log" | tr '\n' ' ' | sed 's/ $//')
want="attract>language:start language>information:language_chosen information>consent:information_read consent>ended:consent_declined ended>wipe:ended_done wipe>attract:wipe_done"
if [ "$got" = "$want" ]; then ok "state log: $got"; else notok "state log: got '$got'"; fi
