#!/usr/bin/env bash
# Media over the real link: the media sender's sink bound to cab_link_send_media(),
# wss with mutual TLS 1.3 on 127.0.0.1 to a real cabin-doctor. Every message the
# sender handed over reaches the station, byte for byte in total (6 s of 640x360
# video + Opus). The station does not decode yet (its media event has no payload).
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../link/lib.sh"
echo "1..3"
start_station || { notok "cabin-doctor started"; exit 1; }
"$BUILD/tests/helpers/media_link_cabin" --url "wss://127.0.0.1:$PORT/" --cabin-id CABIN-TEST-01 \
  "${CABIN_CERTS[@]}" --seconds 6 >"$T/media.out" 2>"$T/media.err"
line=$(grep '^MEDIA-SENT' "$T/media.out")
get() { echo "$line" | tr ' ' '\n' | grep "^$1=" | cut -d= -f2; }
sent=$(echo "$line" | awk '{print $2}'); bytes=$(get bytes); video=$(get video); dropped=$(get link_dropped)
sleep 0.5
rx=$(grep -c '"event":"media"' "$T/doctor.out")
rxbytes=$(grep -o '"event":"media"[^}]*"bytes":[0-9]*' "$T/doctor.out" | grep -o '[0-9]*$' | awk '{s+=$1} END{print s+0}')
if [ "${video:-0}" -ge 150 ]; then ok "the sender handed ${sent:-0} media messages (${video} video) to the link"
else notok "the sender handed >= 150 video messages to the link" "$line" "$(tail -5 "$T/media.err")"; fi
if [ "${dropped:-1}" = 0 ] && [ "$rx" = "$sent" ]; then ok "the station received all $rx messages (link dropped ${dropped})"
else notok "the station received every message" "sent=$sent dropped=$dropped received=$rx"; fi
if [ "$rxbytes" = "$bytes" ]; then ok "and all $rxbytes bytes"
else notok "byte totals match" "sent=$bytes received=$rxbytes"; fi
