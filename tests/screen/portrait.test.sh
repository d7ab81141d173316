#!/usr/bin/env bash
# portrait.test.sh — the real program in a portrait 1080x1920 window under its own
# Xvfb: attract, language, information, consent, then the identity screen with the
# keyboard panel open; every touchable widget seen is at least 48 px (9 mm at this
# density) and screenshots go to $BUILD/screens/portrait/.
source "$(dirname "$0")/../lib/screen.sh"
screen_setup portrait 4 1080x1920
start_cabin CABIN_NO_LINK=1 -- --windowed 1080x1920
small=
click() {
  local xy; wait_for where "$1" >/dev/null || return 1
  small+=$(awk '!/^#/ && $1 != "results" && ($4 < 48 || $5 < 48) { printf " %s(%dx%d)", $1, $4, $5 }' "$map")
  xy=$(where "$1"); xdotool mousemove $xy click 1; sleep 0.2
}

wait_for screen_is attract; shot attract
click start && wait_for screen_is language && shot language
click lang_fr && wait_for screen_is information && shot information
click next && wait_for screen_is consent && click consent_tele/0 && click consent_data/1 && shot consent
if click next && wait_for screen_is identity; then ok "portrait: attract to identity by clicks"; else
  notok "portrait: attract to identity by clicks"; tail -3 "$log" | sed 's/^/#   /'; fi
click birth_name && wait_for where key/ok >/dev/null && xdotool type --delay 30 "MARTIN" && shot identity-keyboard
if grep -q "^key/é " "$map" && grep -q "^birth_name " "$map"; then ok "keyboard panel with accented keys"; else notok "keyboard panel with accented keys"; fi
click edit_back && shot identity
read -r w h < <(identify -format '%w %h' "$out/identity.png" 2>/dev/null)
if [ "$w" = 1080 ] && [ "$h" = 1920 ]; then ok "portrait screenshots are 1080x1920"; else notok "portrait screenshots are ${w}x$h"; fi
if [ -z "$small" ]; then ok "every touch target is at least 48x48 px"; else notok "targets too small:$small"; fi
