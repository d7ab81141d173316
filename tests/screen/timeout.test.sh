#!/usr/bin/env bash
# timeout.test.sh — inactivity on the real program under its own Xvfb, with every
# timeout shortened to 2 s (CABIN_TIMEOUT_MS): the "are you still there?" dialog
# appears with its countdown and is heard (a chime, then the question spoken, into
# SDL's disk audio file), "I need more time" keeps the session and gives the state
# twice its time before the next question (issue 16), and silence then ends it:
# wipe, back to the attract screen; the state log shows it.
CLICK_SLEEP=0.15
source "$(dirname "$0")/../lib/screen.sh"
screen_setup timeout 8 1280x800
start_cabin CABIN_NO_LINK=1 CABIN_NO_MEDIA=1 CABIN_TIMEOUT_MS=2000 SDL_AUDIODRIVER=disk \
  SDL_DISKAUDIOFILE="$work/audio.raw" -- --windowed 1280x800 --lang en

wait_for screen_is attract && click start && wait_for screen_is language
if T=60 wait_for dialog 2; then ok "still-there dialog after 2 s idle"; else notok "still-there dialog after 2 s idle"; fi
import -window root "$out/still-there.png" 2>/dev/null
lines=$(wc -l <"$log")
if wait_for grep -q "still-there chime: [1-9][0-9]* samples" "$work/cabin.log"; then ok "the question is heard: chime"; else
  notok "the question is heard: chime"; grep voice "$work/cabin.log" | sed 's/^/#   /'; fi
click I_need_more_time
answered=$(date +%s%N)
if wait_for dialog 0 && [ "$(last_to)" = language ]; then ok "'I need more time' keeps the session"; else notok "'I need more time' keeps the session"; fi
if [ "$(wc -l <"$log")" -gt "$lines" ] && tail -1 "$log" | grep -q '"event": "still_here"'; then
  ok "the answer is in the state log"; else notok "the answer is in the state log"; fi
# now say nothing: countdown, then the session is wiped
if T=100 wait_for dialog 2; then ok "countdown shown again"; else notok "countdown shown again"; fi
waited=$((($(date +%s%N) - answered) / 1000000))
if [ "$waited" -ge 3000 ]; then ok "more time: the next question came after $waited ms (2 x 2000 ms; without the extra time it comes after 2000)"; else
  notok "more time: the next question came after $waited ms, before 2 x 2000 ms"; fi
if T=100 wait_for grep -q '"to": "wipe", "event": "timeout"' "$log"; then ok "silence: timeout -> wipe"; else
  notok "silence: timeout -> wipe"; tail -3 "$log" | sed 's/^/#   /'; fi
if T=100 wait_for screen_is attract && [ "$(last_to)" = attract ]; then ok "back to attract"; else notok "back to attract"; fi
