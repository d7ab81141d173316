#!/usr/bin/env bash
# voice.test.sh — spoken guidance with the real cabin under Xvfb: espeak-ng speaks
# through SDL's disk audio driver into a file. Each screen from attract to identity
# logs the samples it spoke (more than half a second each) and the file holds sound
# (not only silence); the header's voice button turns it quiet then off (nothing
# spoken), "repeat" speaks again; the large-text button switches the theme (the header
# button is shown selected). About 15 s.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/screen.sh"
screen_setup voice 9 1280x800
wav=$work/voice.raw
start_cabin CABIN_NO_LINK=1 CABIN_NO_MEDIA=1 SDL_AUDIODRIVER=disk SDL_DISKAUDIOFILE="$wav" \
  -- --windowed 1280x800 --sim --lang fr
spoke() { grep -q "voice: screen $1: [1-9][0-9]\{4,\} samples spoken ($2)" "$work/cabin.log"; }
# the idle attract screen does not talk to an empty room
if wait_for screen_is attract && wait_for grep -q "spoken guidance on" "$work/cabin.log" &&
  ! grep -q "samples spoken" "$work/cabin.log"; then ok "voice ready, attract silent"; else
  notok "voice ready, attract silent"; grep voice "$work/cabin.log" | sed 's/^/#   /'; fi
click start && wait_for screen_is language
if T=200 wait_for spoke language fr; then ok "language screen spoken in French"; else notok "language screen spoken"; fi
click lang_en && wait_for screen_is information
if T=200 wait_for spoke information en; then ok "information spoken in English after choosing it"; else
  notok "information spoken in English"; grep voice "$work/cabin.log" | sed 's/^/#   /'; fi
shot information-voice
# the disk driver wrote real sound: some 16-bit samples far from zero
loud=$(od -An -v -t d2 -w2 "$wav" 2>/dev/null | awk '$1 > 3000 || $1 < -3000 { n++ } END { print n + 0 }')
if [ "$loud" -gt 1000 ]; then ok "the sound output holds speech ($loud loud samples)"; else
  notok "the sound output holds speech ($loud loud samples)"; fi
before=$(grep -c "samples spoken" "$work/cabin.log")
click repeat
if wait_for test "$(grep -c "samples spoken" "$work/cabin.log")" -gt "$before"; then ok "repeat speaks again"; else
  notok "repeat speaks again"; fi
click voice && click voice # loud -> quiet -> off
if wait_for grep -q "voice: level 0" "$work/cabin.log" && sleep 0.5 && ! where repeat >/dev/null; then
  ok "voice button: quiet then off, no repeat button when off"; else notok "voice off"; fi
before=$(grep -c "samples spoken" "$work/cabin.log")
click next && wait_for screen_is consent; sleep 0.5
if [ "$(grep -c "samples spoken" "$work/cabin.log")" = "$before" ]; then ok "nothing spoken when off"; else
  notok "nothing spoken when off"; fi
click voice
if T=200 wait_for spoke consent en; then ok "on again: the screen is spoken"; else notok "on again"; fi
click large_text && shot consent-large
if wait_for where large_text >/dev/null; then ok "large-text button on the consent screen"; else notok "large text"; fi
