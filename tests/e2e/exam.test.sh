#!/usr/bin/env bash
# exam.test.sh — the stethoscope and the exam cameras end to end on the real programs:
# build/cabin (--sim instruments; lavfi sources from its [media] configuration stand
# in for the devices: the stethoscope plays a 180 Hz sine, the otoscope a red
# 1600x1200 picture, the dermatoscope a green 1280x960 one, each with a grid) and
# build/cabin-doctor (--terminal-doctor: the doctor's commands on its stdin), on
# 127.0.0.1 with certificates from scripts/make-certs, under Xvfb. The patient reaches
# the call through the cabin's test hook and says they are ready: the station asks for
# the call and the cabin's WebRTC peer starts its capture (no browser answers here:
# what the doctor's browser receives is tests/console/call.test.sh's and
# tests/media/webrtc.test.sh's). Then the doctor: starts the stethoscope (the cabin
# shows where to place it), stops it, switches the live video to the otoscope (the
# cabin's self-view, decoded from what it sends, shows the red picture), asks for a
# still with a body site (the JPEG the cabin captured = the file the station kept =
# the FHIR Media in the Bundle: SHA-256, image/jpeg, 1600x1200, body site), switches
# to the dermatoscope (green) and back to the room camera. Screenshots:
# $BUILD/screens/e2e-exam/. Synthetic identity only.
source "$(dirname "$0")/harness.sh"
need_tools Xvfb xdpyinfo xdotool import convert ffprobe node sha256sum
SHOTS=$BUILD/screens/e2e-exam
rm -rf "$SHOTS"; mkdir -p "$SHOTS"
echo "1..22"
SITE="left ear, tympanic membrane"
STETH_HZ=180
# the devices' stand-ins ([media] "lavfi:GRAPH", docs/media.md "Test sources")
OTO_RGB="184 58 46" DERMA_RGB="46 125 91"
OTOSCOPE="lavfi:color=c=0xb83a2e:s=1600x1200:r=30,drawgrid=w=200:h=200:t=4:c=0xf0e0c0"
DERMATOSCOPE="lavfi:color=c=0x2e7d5b:s=1280x960:r=30,drawgrid=w=160:h=160:t=4:c=0xf0e0c0"
STETHOSCOPE="lavfi:sine=frequency=$STETH_HZ:sample_rate=48000:samples_per_frame=960"

start_xvfb 1280x800 || { echo "Bail out! no X server"; exit 1; }
start_doctor || { echo "Bail out! cabin-doctor did not start"; exit 1; }
write_config "$T/cabin.ini"
sed -i -e "s|^stethoscope = .*|stethoscope = $STETHOSCOPE|" -e "s|^otoscope = .*|otoscope = $OTOSCOPE|" "$T/cabin.ini"
echo "dermatoscope = $DERMATOSCOPE" >>"$T/cabin.ini"
CABIN_ENV=(CABIN_TEST_HOOK_SPEED=4) start_cabin || { echo "Bail out! cabin did not start: $(tail -5 "$T/cabin.log")"; exit 1; }
H=$BUILD/tests/helpers/hook
sid() { hook sid | awk '{print $2}'; }
exam_is() { [ "$(hook exam | cut -d' ' -f2-)" = "$1" ]; }
# doctor_view NAME: screenshot of the cabin; prints the mean colour and deviation of
# the middle of its self-view (top right of the video area, 1280x800 window at 0,0):
# the picture the cabin sends, decoded back
doctor_view() {
  import -window root "$SHOTS/$1.png" 2>/dev/null && mean_colour "$SHOTS/$1.png" 120x70+737+167
}
# near R G B — the mean colour printed by doctor_view ($view) is within 40 of R G B
near() {
  local m=($view)
  [ ${#m[@]} -ge 3 ] && [ $(( (m[0]-$1)*(m[0]-$1) + (m[1]-$2)*(m[1]-$2) + (m[2]-$3)*(m[2]-$3) )) -lt 1600 ]
}
# view_until NAME TEST...: takes doctor_view NAME every 0.3 s (at most 10 s) until
# TEST (run with $view set) holds; leaves $view at the last one
view_until() {
  local name=$1; shift
  for _ in $(seq 30); do
    view=$(doctor_view "$name")
    "$@" && return 0
    sleep 0.3
  done
  return 1
}
is_room() { local m=($view); [ "${m[3]:-0}" -gt 40 ] && ! near $OTO_RGB && ! near $DERMA_RGB; }
# on failure the logs join the screenshots (the work directory is removed)
keep_logs() { [ "$failed" = 0 ] || cp "$T"/cabin.log "$T"/doctor.err "$DOC_OUT" "$T"/hook.log "$SHOTS"/ 2>/dev/null; }

# --- the call -----------------------------------------------------------------------------
"$H" "$HOOK" --session --lang en --until consultation --timeout-ms 20000 >>"$T/hook.log" 2>&1
S=$(sid)
if state_is consultation && [ ${#S} -gt 8 ]; then ok "the patient reaches the call (session ${S:0:8}…)"
else notok "the patient reaches the call" "state $(hook_state)" "$(tail -3 "$T/hook.log")"; fi
cab_win=$(xdotool search --pid "$CAB_PID" 2>/dev/null | head -1)
[ -n "$cab_win" ] && xdotool windowmove "$cab_win" 0 0
# the patient is ready: the terminal doctor's station asks for the call
wait_for 10 bash -c "$H $HOOK patient-ready | grep -q '^ok'"
if wait_for 20 grep -q "call: the cabin's peer started" "$T/cabin.log" &&
   wait_for 15 bash -c "[ \$($H $HOOK video | awk '{print \$3}') -gt 10 ]"; then
  ok "the station asks for the call: the cabin's peer starts and its self-view shows what it sends"
else notok "the call starts on the cabin" "$(grep -i 'call\|webrtc' "$T/cabin.log" | tail -3)" "$(hook video)"; fi
sleep 1
shot room; view_until doctor-room is_room
read -r vr vg vb vsd <<<"$view"
if is_room; then ok "the cabin sends the room camera's test pattern (mean $vr $vg $vb, deviation $vsd)"
else notok "the cabin sends the room camera's test pattern" "mean/deviation: $view"; fi

# --- stethoscope ----------------------------------------------------------------------------
doctor_say "stetho start ${S:0:8}"
if wait_for 10 exam_is "1 0 0"; then ok "stetho start: the cabin streams the stethoscope"; else notok "stetho start: the cabin streams the stethoscope" "$(hook exam)"; fi
sleep 0.5; shot stethoscope
# the placement picture (assets/images/stethoscope_chest.svg): its four red dots
# (#d62828) in the card at the lower left of the video area (1280x800 window at 0,0)
red_dots() { convert "$1" -crop 280x280+40+490 +repage -fuzz 6% -fill black +opaque '#d62828' -fill white -opaque '#d62828' -format '%[fx:int(mean*w*h)]' info:; }
red=$(red_dots "$SHOTS/stethoscope.png"); red0=$(red_dots "$SHOTS/room.png")
if [ "$red" -gt 400 ] && [ "$red0" -lt 50 ]; then ok "the cabin shows where to place the stethoscope ($red red-dot pixels, $red0 before)"
else notok "the cabin shows where to place the stethoscope" "red-dot pixels: $red (before: $red0)"; fi
sleep 3
doctor_say "stetho stop ${S:0:8}"
wait_for 10 exam_is "0 0 0"; shot stethoscope-stopped
red1=$(red_dots "$SHOTS/stethoscope-stopped.png")
if exam_is "0 0 0" && [ "$red1" -lt 50 ]; then ok "stetho stop: the placement picture goes away ($red1 red-dot pixels)"
else notok "stetho stop: the placement picture goes away" "hook: $(hook exam); red-dot pixels: $red1"; fi

# --- otoscope: live video, then a still with a body site -------------------------------------
doctor_say "camera ${S:0:8} otoscope"
wait_for 10 exam_is "0 1 0"
if view_until doctor-otoscope near $OTO_RGB; then ok "camera otoscope: the cabin sends the otoscope's red picture (mean $view)"
else notok "camera otoscope: the cabin sends the otoscope's picture" "mean/deviation $view, want about $OTO_RGB"; fi
shot otoscope
doctor_say "still ${S:0:8} $SITE"
if wait_for 20 bash -c "grep -q '\"event\":\"still\"' '$DOC_OUT'"; then ok "still: the station reassembled and verified the JPEG"
else notok "still: the station reassembled and verified the JPEG" "$(grep -o 'still[^ ]*' "$T/cabin.log" | tail -3)" "$(doctor_events still-error)"; fi
cab_sha=$(sed -n 's/.*still [^ ]* for the doctor: otoscope (test source) \([0-9]*\)x\([0-9]*\), .* sha256 \([0-9a-f]\{64\}\).*/\3/p' "$T/cabin.log" | tail -1)
cab_size=$(sed -n 's/.*still [^ ]* for the doctor: otoscope (test source) \([0-9]*x[0-9]*\),.*/\1/p' "$T/cabin.log" | tail -1)
jpg=$(doctor_events still "$S" | tail -1 | node -e "const l=require('fs').readFileSync(0,'utf8').trim(); console.log(l ? JSON.parse(l).text : '')")
file_sha=$( [ -s "$jpg" ] && sha256sum "$jpg" | cut -c1-64)
if [ -n "$cab_sha" ] && [ "$cab_sha" = "$file_sha" ]; then ok "still: the JPEG the station kept has the SHA-256 of the one the cabin captured (${cab_sha:0:16}…)"
else notok "still: SHA-256 of the JPEG kept = captured" "cabin: ${cab_sha:-none} ($cab_size)" "station file $jpg: ${file_sha:-none}"; fi
dims=$( [ -s "$jpg" ] && ffprobe -v error -select_streams v:0 -show_entries stream=codec_name,width,height -of csv=p=0 "$jpg")
if [ "$dims" = "mjpeg,1600,1200" ] && [ "$cab_size" = 1600x1200 ]; then ok "still: a JPEG at the camera's full resolution, 1600x1200 (>= 1024x768)"
else notok "still: a JPEG at the camera's full resolution" "ffprobe: ${dims:-none}; cabin: ${cab_size:-none}"; fi
view=$( [ -s "$jpg" ] && mean_colour "$jpg")
if near $OTO_RGB; then ok "still: the picture is the otoscope's (mean $view)"; else notok "still: the picture is the otoscope's" "mean/deviation ${view:-none}"; fi
if wait_for 5 exam_is "0 1 1"; then ok "still: the cabin tells the patient a picture was taken"; else notok "still: the cabin tells the patient" "$(hook exam)"; fi
shot otoscope-still

# --- dermatoscope, then back to the room ---------------------------------------------------------
doctor_say "camera ${S:0:8} dermatoscope"
wait_for 10 exam_is "0 2 1"
if view_until doctor-dermatoscope near $DERMA_RGB; then ok "camera dermatoscope: the cabin sends the dermatoscope's green picture (mean $view)"
else notok "camera dermatoscope: the cabin sends its picture" "mean/deviation $view, want about $DERMA_RGB"; fi
shot dermatoscope
doctor_say "camera ${S:0:8} room"
wait_for 10 exam_is "0 0 1"
view_until doctor-room-again is_room
read -r vr vg vb vsd <<<"$view"
if is_room; then ok "camera room: the cabin sends the room camera again (mean $vr $vg $vb, deviation $vsd)"
else notok "camera room: the cabin sends the room camera again" "mean/deviation $view"; fi
shot room-again

# --- end of the call: what the station recorded -----------------------------------------------
hook tap end_call >/dev/null; wait_for 5 state_is summary; hook tap next >/dev/null
B=$DOC_DATA/$S.json
if wait_for 20 test -s "$B"; then ok "end of the call: cabin-doctor wrote the Bundle"; else notok "end of the call: cabin-doctor wrote the Bundle" "state $(hook_state)"; fi
media=$(node -e "
const b = JSON.parse(require('fs').readFileSync('$B', 'utf8'));
const m = b.entry.map(e => e.resource).filter(r => r.resourceType === 'Media');
if (m.length !== 1) { console.log('media count ' + m.length); process.exit(0); }
const r = m[0], c = r.content || {}, data = Buffer.from(c.data || '', 'base64');
const sha = require('crypto').createHash('sha256').update(data).digest('hex');
const sha1 = require('crypto').createHash('sha1').update(data).digest('base64');
const id = (r.identifier || []).find(i => /sha-256/.test(i.system)) || {};
console.log([r.bodySite && r.bodySite.text, c.contentType, r.width + 'x' + r.height, r.deviceName,
             sha, id.value, c.hash === sha1, c.size === data.length, r.status].join('|'));
" 2>&1)
want="$SITE|image/jpeg|1600x1200|otoscope|$cab_sha|$cab_sha|true|true|completed"
if [ "$media" = "$want" ]; then ok "Bundle: one FHIR Media, body site '$SITE', image/jpeg, 1600x1200, otoscope, SHA-256 of the captured JPEG (data and identifier), SHA-1 hash"
else notok "Bundle: the FHIR Media of the still" "got:  $media" "want: $want"; fi
if [ -d "$CABIN_SRC/scripts/npm/node_modules/@asymmetrik" ]; then
  check "Bundle: validates against the FHIR R4 schema" node "$CABIN_SRC/tests/lib/fhir_validate.js" "$B"
else skip "Bundle: validates against the FHIR R4 schema" "scripts/npm/node_modules missing (run scripts/install-deps)"; fi
# The record as a platform receives it: Medplum's FHIR router and validator on loopback.
node "$CABIN_SRC/tests/lib/fhir_server.js" --port-file "$T/fhir.port" 2>"$T/fhir.err" &
PIDS+=($!)
wait_for 10 test -s "$T/fhir.port"
check "Bundle: posted twice to a FHIR server, every resource validates (Medplum), references resolve, nothing created twice" \
  node "$CABIN_SRC/tests/lib/fhir_check.js" "http://127.0.0.1:$(cat "$T/fhir.port")" "$B" --post 2
acts=$(node -e "
const b = JSON.parse(require('fs').readFileSync('$B', 'utf8'));
const by = (u) => b.entry.find(e => e.fullUrl === u);
const m = b.entry.map(e => e.resource).find(r => r.resourceType === 'Media') || {};
const sr = by((m.basedOn || [{}])[0].reference) || {}, pr = by((m.partOf || [{}])[0].reference) || {};
const cam = by((m.device || {}).reference) || {};
console.log([sr.resource && sr.resource.resourceType, sr.resource && sr.resource.status,
             pr.resource && pr.resource.resourceType, cam.resource && cam.resource.type.text,
             m.bodySite && m.bodySite.coding ? m.bodySite.coding[0].code : '-'].join('|'));
" 2>&1)
want_site=-; case "$SITE" in *ear*|*oreille*) want_site=117590005;; esac
if [ "$acts" = "ServiceRequest|completed|Procedure|otoscope|$want_site" ]; then ok "Bundle: the still answers the doctor's request (ServiceRequest completed, Procedure), its camera is a Device, body site coded ($want_site)"
else notok "Bundle: the still's request, act, camera and body site" "got:  $acts" "want: ServiceRequest|completed|Procedure|otoscope|$want_site"; fi
if [ "$(doctor_count '"event":"still-error"')" = 0 ] && [ "$(doctor_count '"event":"still"')" = 1 ]; then ok "exactly one still, no still error"
else notok "exactly one still, no still error" "$(doctor_events still-error | head -2)"; fi

# --- afterwards ----------------------------------------------------------------------------------
wait_for 15 state_is attract
shot attract
check "no personal data in the cabin's database, WAL or journal" no_personal_data "$CAB_DATA"
check "audit chain verifies" audit_ok "$CAB_DATA"
hook quit >/dev/null
keep_logs
exit $failed
