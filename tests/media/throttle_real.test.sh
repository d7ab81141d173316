#!/usr/bin/env bash
# throttle_real.test.sh — link adaptation on the REAL binaries: build/cabin (under
# Xvfb, in a consultation driven through its test hook) sends its camera and
# microphone over wss + mutual TLS through tests/helpers/throttle_proxy to the real
# cabin-doctor on 127.0.0.1. The cabin starts at 640x360 and climbs the ladder on the
# clear link; once it is at 960x540 or better, the proxy limits the cabin's direction
# to 400 kbit/s: the cabin must step down within 5 s, on what the link really
# delivers (the bytes the station's TCP acknowledged, kiosk/link/link_rate.h); when
# the limit is lifted it must step back up. Figures read from the cabin's test hook
# ("media-stats": rung, link_acked_kbps, link_unacked_bytes) every 200 ms.
source "$(dirname "$0")/../e2e/harness.sh"
need_tools Xvfb xdpyinfo node
echo "1..5"
start_xvfb 1280x800 || { echo "Bail out! no X server"; exit 1; }
DOCTOR_ARGS="--return-rung 3 --no-audio"
start_doctor || { echo "Bail out! cabin-doctor did not start"; exit 1; }
"$BUILD/tests/helpers/throttle_proxy" --port-file "$T/px" --target "$PORT" --rate 50000 \
  2>"$T/proxy.err" & PX=$!; PIDS+=("$PX")
wait_for 10 test -s "$T/px"
write_config "$T/cabin.ini"
sed -i "s|^url = .*|url = wss://127.0.0.1:$(cat "$T/px")|" "$T/cabin.ini"
export CABIN_TEST_HOOK_SPEED=4
start_cabin || { echo "Bail out! cabin did not start: $(tail -5 "$T/cabin.log")"; exit 1; }
wait_for 20 state_is attract
"$BUILD/tests/helpers/hook" "$HOOK" --session --until consultation --timeout-ms 15000 >>"$T/hook.log" 2>&1
if state_is consultation; then ok "the session reaches the consultation through the proxy"; else notok "the session reaches the consultation" "state $(hook_state)" "$(tail -3 "$T/hook.log")"; fi
now_ms() { local t=$EPOCHREALTIME; echo $(( ${t%.*} * 1000 + 10#${t#*.} / 1000 )); }
stat() { echo "$MS" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
# sample SECONDS: appends "ms rung acked_kbps unacked queue" lines to $T/samples
sample() {
  local end=$(( $(now_ms) + $1 * 1000 ))
  while [ "$(now_ms)" -lt "$end" ]; do
    MS=$(hook media-stats)
    echo "$(now_ms) $(stat rung) $(stat link_acked_kbps) $(stat link_unacked_bytes) $(stat link_queue_msgs) $(stat video_off)" >>"$T/samples"
    sleep 0.2
  done
}
: >"$T/samples"
# climb: up to 20 s for the ladder to reach rung 1 or 0 on the clear link
climb_end=$(( $(now_ms) + 20000 ))
while [ "$(now_ms)" -lt "$climb_end" ]; do
  sample 1
  r=$(tail -1 "$T/samples" | awk '{print $2}')
  [ "${r:-9}" -le 1 ] && break
done
r0=$(tail -1 "$T/samples" | awk '{print $2}')
sample 6 # settle: a step up that meets congestion within 5 s doubles the next wait
if [ "${r0:-9}" -le 1 ]; then ok "on the clear link the cabin climbs to rung $r0 (960x540 or better)"; else notok "on the clear link the cabin climbs to rung 1 or 0 (at ${r0:-?})" "$(tail -5 "$T/samples")"; fi
on=$(now_ms); kill -USR1 "$PX"
sample 8
off=$(now_ms); kill -USR2 "$PX"
sample 20
# level: the rung, or 4 when video is off (audio only)
lv() { awk '{print $1, ($6 == 1 ? 4 : $2), $3, $4, $5}' "$T/samples"; }
r0=$(lv | awk -v on="$on" '$1<on {l=$2} END{print l}')
down=$(lv | awk -v on="$on" -v off="$off" -v r0="$r0" '$1>=on && $1<off && $2>r0 {print $1-on; exit}')
low=$(lv | awk -v on="$on" -v off="$off" 'BEGIN{m=-1} $1>=on && $1<off && $2>m {m=$2} END{print m}')
kbps=$(awk -v on="$on" -v off="$off" '$1>=on+3000 && $1<off {s+=$3; n++} END{if(n) printf "%d", s/n; else print 0}' "$T/samples")
if [ -n "$down" ] && [ "$down" -le 5000 ]; then ok "throttled to 400 kbit/s: stepped down from level $r0 to $low (4 = audio only) $down ms after (<= 5000)"; else notok "throttled to 400 kbit/s: stepped down within 5 s (${down:-never})" "$(awk -v on="$on" '$1>=on' "$T/samples" | head -40)"; fi
if [ "${kbps:-0}" -ge 250 ] && [ "${kbps:-0}" -le 480 ]; then ok "the link measured what the station really took: ${kbps} kbit/s acknowledged under the 400 kbit/s limit (250..480)"; else notok "acknowledged throughput under the limit ${kbps:-?} kbit/s (250..480)" "$(awk -v on="$on" -v off="$off" '$1>=on && $1<off' "$T/samples" | head -40)"; fi
up=$(lv | awk -v off="$off" -v low="$low" '$1>=off && $2<low {print $1-off; exit}')
best=$(lv | awk -v off="$off" 'BEGIN{m=9} $1>=off && $2<m {m=$2} END{print m}')
if [ -n "$up" ]; then ok "limit lifted: stepped back up $up ms after (level $low -> $best within 20 s; 4 = audio only)"; else notok "limit lifted: stepped back up (never in 20 s)" "$(lv | awk -v off="$off" '$1>=off' | tail -20)"; fi
grep -o 'adaptation: .*' "$T/cabin.log" | sed 's/^/# /'
hook tap end_call >/dev/null; wait_for 5 state_is summary; hook tap next >/dev/null
exit $failed
