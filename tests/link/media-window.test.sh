#!/usr/bin/env bash
# media-window.test.sh — cabin-doctor's window under its own Xvfb: the cabin's video
# (the test cabin's lavfi pattern) is shown scaled into the window, whose title names
# the session and the cabin; a screenshot is kept in $SHOT_DIR when set. Sound goes
# to SDL's dummy audio driver (no sound card in CI).
. "$(dirname "$0")/lib.sh"
echo "1..6"
for tool in Xvfb xdotool import; do
  command -v $tool >/dev/null || { for i in 1 2 3 4 5 6; do echo "ok $i # SKIP $tool not installed"; done; exit 0; }
done
Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$T/display" >"$T/xvfb.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 100); do [ -s "$T/display" ] && break; sleep 0.05; done
export DISPLAY=:$(head -1 "$T/display") SDL_AUDIODRIVER=dummy
start_station station --return-rung 3 || { echo "Bail out! station"; exit 1; }
"$BUILD/tests/helpers/media_cabin" --url "wss://127.0.0.1:$PORT/" --cabin-id CABIN-TEST-01 \
  "${CABIN_CERTS[@]}" --seconds 6 --wait-ms 30000 >"$T/cabin.out" 2>"$T/cabin.err" &
CAB_PID=$!; PIDS+=("$CAB_PID")
for _ in $(seq 100); do S=$(sed -n 's/^SESSION //p' "$T/cabin.out"); [ -n "$S" ] && break; sleep 0.05; done
want="cabin-doctor — session $S — cabin CABIN-TEST-01 (1280x720)"
for _ in $(seq 100); do
  title=$(xdotool search --name 'cabin-doctor' getwindowname 2>/dev/null | head -1)
  [ "$title" = "$want" ] && break; sleep 0.1
done
check "window title names the session and the cabin (\"$title\")" test "$title" = "$want"
sleep 1
wid=$(xdotool search --name 'cabin-doctor' | head -1)
import -window root "$T/shot.png" 2>/dev/null
[ -n "${SHOT_DIR:-}" ] && cp "$T/shot.png" "$SHOT_DIR/doctor-window.png"
geo=$(xdotool getwindowgeometry "$wid" | sed -n 's/.*Geometry: //p')
# The window (960x540) shows the 16:9 picture edge to edge: its corners are the
# pattern's colours, not the dark background (16,20,24).
pos=$(xdotool getwindowgeometry "$wid" | sed -n 's/.*Position: \([0-9]*\),\([0-9]*\).*/\1 \2/p')
read -r wx wy <<<"$pos"
colors=$(convert "$T/shot.png" -crop "${geo}+${wx}+${wy}" +repage -format %k info:)
check "the video fills the ${geo} window (${colors} colours in it)" test "${colors:-0}" -gt 500
bg=$(convert "$T/shot.png" -crop "1x1+$((wx + 480))+$((wy + 270))" -format '%[fx:int(255*r)],%[fx:int(255*g)],%[fx:int(255*b)]' info:)
check "the centre of the window is picture, not background ($bg)" test "$bg" != "16,20,24"
wait "$CAB_PID"
for _ in $(seq 100); do grep -q '"event":"media-stats"' "$T/doctor.out" && break; sleep 0.1; done
echo quit >&7
wait "$DOC_PID" 2>/dev/null
shown=$(sed -n 's/.*window showed \([0-9]*\) pictures.*/\1/p' "$T/doctor.err")
check "the window presented ${shown:-0} pictures (>= 60)" test "${shown:-0}" -ge 60
ms=$(sed -n 's/.*played \(-*[0-9]*\) ms of sound.*/\1/p' "$T/doctor.err")
check "the cabin's sound went to SDL audio (${ms:-0} ms of 6 s)" test "${ms:-0}" -ge 4000
probe=$(ffprobe -v error -count_packets -show_entries stream=codec_name,nb_read_packets -of csv=p=0 "$DATA/$S.mkv" 2>&1 | head -1)
npk=${probe#h264,}
check "the session was recorded as well (H.264, $npk packets)" bash -c "[[ '$probe' == h264,* ]] && [ '$npk' -ge 150 ]"
exit $failed
