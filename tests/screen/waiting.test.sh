#!/usr/bin/env bash
# waiting.test.sh — the waiting room tells the patient what is happening (issue 16):
# the real program at 1280x800 under its own Xvfb, no doctor station. A patient who
# refused to send readings reaches the waiting room (identity typed on the number
# pads); the screen says a doctor is coming, states the refusal, and offers "I'm
# ready"; touching it is acknowledged (the button becomes "Ready", disabled) and,
# with no doctor yet, the call does not start (state stays waiting_room). Large text
# at 1280x800 is shot as well. Screenshots in $BUILD/screens/waiting/ (look at them).
CLICK_SLEEP=0.12
source "$(dirname "$0")/../lib/screen.sh"
screen_setup waiting 11 1280x800
rm -f "$out"/*.png
# the doctors ask for 3 s of rest before the blood pressure (a short [timeouts] bp_rest)
printf '[timeouts]\nbp_rest = 3\n' >"$work/cabin.ini"
start_cabin CABIN_NO_LINK=1 CABIN_NO_MEDIA=1 SDL_AUDIODRIVER=disk SDL_DISKAUDIOFILE="$work/audio.raw" -- --windowed 1280x800 --sim --lang fr --config "$work/cabin.ini"
state_is() { [ "$(last_to)" = "$1" ]; }
keys() { local p=$1 w=$2 i c; for ((i = 0; i < ${#w}; i++)); do c=${w:i:1}; [ "$c" = " " ] && c=space; click "$p/$c" || return 1; done; }

wait_for screen_is attract && click start && click lang_fr && wait_for screen_is information && click next &&
  wait_for screen_is consent && click consent_tele/0 && click consent_data/1 && click next && wait_for screen_is identity
click birth_name && keys key martin && click key/ok && keys key camille && click key/ok &&
  keys pad 14071985 && click pad/ok && click sex/0
click place && keys key "st eti" && sleep 0.3 && click results/0
click nir && keys pad 00106 && click pad/ok && keys pad 0612345678 && click pad/ok
click next
if wait_for state_is checks && T=200 wait_for where next >/dev/null && click next && wait_for screen_is waiting_room; then
  ok "readings refused, identity on the pads: waiting room"; else notok "waiting room reached (state '$(last_to)')"; fi
shot 01-waiting-refused
# the refusal is stated: its text (dark ink) sits between the status card and the tiles
if grep -q "^ready .* 1$" "$map"; then ok "\"I'm ready\" offered"; else notok "\"I'm ready\" offered"; fi
click ready
if wait_for grep -q "^ready .* 0$" "$map"; then ok "\"I'm ready\" acknowledged (button disabled)"; else notok "\"I'm ready\" acknowledged"; fi
shot 02-ready-no-doctor
sleep 1
if state_is waiting_room && screen_is waiting_room; then ok "no doctor yet: the call does not start"; else notok "no doctor: state '$(last_to)'"; fi
# Measure shows how to use the instrument (two illustrated steps, its state) in
# place of the status card, and asks the instrument at once; Close brings the card back
click measure/1
if wait_for where guide_close >/dev/null && ! where ready >/dev/null; then ok "Measure shows the blood-pressure steps"; else notok "Measure shows the blood-pressure steps"; fi
shot 03-guide-bp
if wait_for grep -q "guide 1: [1-9][0-9]* samples spoken (fr)" "$work/cabin.log"; then ok "the blood-pressure steps are spoken"; else
  notok "the blood-pressure steps are spoken"; grep voice "$work/cabin.log" | tail -3 | sed 's/^/#   /'; fi
if grep -q "blood pressure after 3 s of rest" "$work/cabin.log" && ! grep -q "rest done" "$work/cabin.log" &&
  T=100 wait_for grep -q "rest done: blood pressure now" "$work/cabin.log"; then
  ok "blood pressure: 3 s of rest counted down first, then measured"; else notok "blood pressure rest"; grep app "$work/cabin.log" | tail -5 | sed 's/^/#   /'; fi
click guide_close
if wait_for where ready_ >/dev/null || grep -q "^ready " "$map"; then ok "Close brings the status back"; else notok "Close brings the status back"; fi
click measure/2 && wait_for where guide_close >/dev/null && sleep 2 && shot 04-guide-oximeter
if grep -q "screen waiting_room" "$work/cabin.log" || true; then :; fi
click large_text && sleep 0.3 && shot 05-large-text-guide
if where measure/0 >/dev/null && where guide_close >/dev/null; then ok "large text: the guide and the Measure buttons both on screen"; else notok "large text: guide and Measure buttons"; fi
click guide_close && sleep 0.3 && shot 06-large-text
# every touch target stays inside the window in large text
bad=$(awk '!/^#/ && ($3 + $5 > 800 || $2 + $4 > 1280) { print $1 }' "$map" | tr '\n' ' ')
if [ -z "$bad" ]; then ok "large text: every target inside the window"; else notok "large text: outside the window: $bad"; fi
click lang_toggle && sleep 0.3 && shot 07-large-text-en
if grep -q '"event": *"still_here"\|"to": *"consultation"' "$log"; then notok "unexpected transition"; else ok "no unexpected transition"; fi
