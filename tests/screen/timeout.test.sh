#!/usr/bin/env bash
# timeout.test.sh — inactivity on the real program under its own Xvfb, with every
# timeout shortened to 2 s (CABIN_TIMEOUT_MS): the "are you still there?" dialog
# appears with its countdown, "I am still here" keeps the session, and silence
# then ends it: wipe, back to the attract screen; the state log shows it.
CLICK_SLEEP=0.15
source "$(dirname "$0")/../lib/screen.sh"
screen_setup timeout 6 1280x800
start_cabin CABIN_NO_LINK=1 CABIN_TIMEOUT_MS=2000 -- --windowed 1280x800 --lang en

wait_for screen_is attract && click start && wait_for screen_is language
if T=60 wait_for dialog 2; then ok "still-there dialog after 2 s idle"; else notok "still-there dialog after 2 s idle"; fi
import -window root "$out/still-there.png" 2>/dev/null
lines=$(wc -l <"$log")
click I_am_still_here
if wait_for dialog 0 && [ "$(last_to)" = language ]; then ok "'I am still here' keeps the session"; else notok "'I am still here' keeps the session"; fi
if [ "$(wc -l <"$log")" -gt "$lines" ] && tail -1 "$log" | grep -q '"event": "still_here"'; then
  ok "the answer is in the state log"; else notok "the answer is in the state log"; fi
# now say nothing: countdown, then the session is wiped
if T=100 wait_for dialog 2; then ok "countdown shown again"; else notok "countdown shown again"; fi
if T=100 wait_for grep -q '"to": "wipe", "event": "timeout"' "$log"; then ok "silence: timeout -> wipe"; else
  notok "silence: timeout -> wipe"; tail -3 "$log" | sed 's/^/#   /'; fi
if T=100 wait_for screen_is attract && [ "$(last_to)" = attract ]; then ok "back to attract"; else notok "back to attract"; fi
