#!/usr/bin/env bash
# e2e.bench.sh — figures of the whole program, measured on the real build/cabin
# (--sim, 1920x1080 window under Xvfb, SDL's software renderer) with cabin-doctor on
# 127.0.0.1, through the test hook (kiosk/app/test_hook.h):
#   first_frame_ms          exec of build/cabin to its first frame presented
#   frame_ms_median_1080p   a full frame (layout, draw, present) of each patient
#   frame_ms_p99_1080p      screen, 30 frames per screen, 1920x1080
#   touch_to_redraw_ms      a tap injected into SDL's queue to the redraw presented
#                           (median of 30 taps on the language button)
#   rss_idle_mb             VmRSS on the attract screen after start-up
#   rss_call_mb             VmRSS during the call: the cabin's WebRTC peer running (test
#                           sources captured and encoded; no browser answers here)
source "$(dirname "$0")/../e2e/harness.sh"
need_tools Xvfb xdpyinfo node
# SDL_RENDER_VSYNC=0: the frame's own cost, not the wait for the next refresh (with
# vsync, as in the kiosk, a frame is shown at the next refresh: +0..16.7 ms at 60 Hz)
export CABIN_TEST_HOOK_SPEED=1 CABIN_SIZE=1920x1080 SDL_RENDER_VSYNC=0
start_xvfb 1920x1080 || exit 1
start_doctor || exit 1
fig() { printf '{"name": "%s", "value": %s, "unit": "%s", "note": "%s"}\n' "$1" "$2" "$3" "$4"; }
rss_mb() { awk '/^VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$CAB_PID/status"; }
stats() { node -e "const v=require('fs').readFileSync(0,'utf8').trim().split(/\s+/).map(Number).sort((a,b)=>a-b);
const q=p=>v[Math.min(v.length-1,Math.floor(p*(v.length-1)+0.5))];console.log(q(0.5),q(0.99),v.length)"; }

t0=$(date +%s%6N)
CABIN_ENV=(CABIN_PRECALL_S=0); start_cabin || { echo "bench: the cabin did not start" >&2; exit 1; }
ff=$(hook first-frame | awk '{print $2}')
fig first_frame_ms "$(( (ff - t0) / 1000 ))" ms "exec of build/cabin --sim --config (store, devices, media, link started first) to the first SDL_RenderPresent, 1920x1080 software renderer under Xvfb"
sleep 2
fig rss_idle_mb "$(rss_mb)" MB "VmRSS of build/cabin on the attract screen, simulators and link up"

# touch to redraw: 30 taps on the language button (each switches the language at once)
: >"$T/touch"
for _ in $(seq 30); do hook tap-time lang_toggle | awk '/^ok/ {print $2}' >>"$T/touch"; sleep 0.05; done
read -r tmed tp99 tn < <(stats <"$T/touch")
fig touch_to_redraw_ms "$(node -e "console.log(($tmed/1000).toFixed(2))")" ms "median of $tn taps (language button) from the event pushed to SDL's queue to SDL_RenderPresent done, vsync off; p99 $(node -e "console.log(($tp99/1000).toFixed(2))") ms"

# frame time per screen
: >"$T/frames"; worst=
frames() { # frames SCREEN
  local t; t=$(hook redraw 30 | cut -d' ' -f2-)
  echo "$t" >>"$T/frames"
  read -r m p _ < <(echo "$t" | stats)
  worst+="$1 $(node -e "console.log(($m/1000).toFixed(1))"), "
}
step() { hook tap "$1" >/dev/null; wait_for 10 state_is "$2"; sleep 0.3; }
frames attract
step start language; frames language
step lang_fr information; frames information
step next consent; hook tap consent_tele/0 >/dev/null; hook tap consent_data/0 >/dev/null; sleep 0.2; frames consent
step next identity
hook form birth_name MARTIN >/dev/null; hook form first_names Camille >/dev/null; hook form birth_date 14/07/1985 >/dev/null
hook form sex 0 >/dev/null; hook form place 42218 >/dev/null; hook form nir "2850742218001 $(printf %02d $((97 - 2850742218001 % 97)))" >/dev/null
hook form phone 0612345678 >/dev/null; sleep 0.2; frames identity
step next checks; sleep 2.5; frames checks
step next consultation
# the patient is ready: the (terminal doctor's) station asks for the call, the peer starts
wait_for 10 bash -c "'$BUILD/tests/helpers/hook' '$HOOK' patient-ready | grep -q '^ok'"
wait_for 20 grep -q "call: the cabin's peer started" "$T/cabin.log" || echo "bench: the call did not start" >&2; sleep 4; frames consultation
fig rss_call_mb "$(rss_mb)" MB "VmRSS during the call: the cabin's WebRTC peer running (camera and microphone test sources captured and encoded by x264/Opus, webrtcbin with webrtcdsp); no browser answers in this bench, so no doctor's video is decoded"
step end_call summary; frames summary
read -r fmed fp99 fn < <(tr ' ' '\n' <"$T/frames" | grep . | stats)
fig frame_ms_median_1080p "$(node -e "console.log(($fmed/1000).toFixed(2))")" ms "layout + draw + present of a whole frame, 1920x1080, SDL software renderer under Xvfb, vsync off, $fn frames over 8 screens; median per screen: ${worst%, }"
fig frame_ms_p99_1080p "$(node -e "console.log(($fp99/1000).toFixed(2))")" ms "99th percentile of the same $fn frames"
hook tap next >/dev/null
hook quit >/dev/null
