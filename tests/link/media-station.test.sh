#!/usr/bin/env bash
# media-station.test.sh — the doctor's side of video and sound: the test cabin
# (tests/helpers/media_cabin: kiosk/link + kiosk/media, lavfi sources) streams to the
# real cabin-doctor (--no-window) on 127.0.0.1 with real certificates. The doctor's
# stdin commands switch the cabin's camera, ask for a still with a body site and
# start/stop the stethoscope. Checked: the station decodes >= 150 frames with
# monotonic 33.3 ms timestamps and no decoder error; DATA/<session>.mkv holds H.264 +
# two Opus tracks with the decoded frame count; the return stream decodes at the
# cabin; the still's SHA-256 in the Bundle's Media equals the sender's and the
# Bundle validates; the stethoscope WAV decodes to the 180 Hz tone (within 1 Hz).
. "$(dirname "$0")/lib.sh"
echo "1..15"
start_station station --no-window --return-rung 2 || { echo "Bail out! station"; exit 1; }
"$BUILD/tests/helpers/media_cabin" --url "wss://127.0.0.1:$PORT/" --cabin-id CABIN-TEST-01 \
  "${CABIN_CERTS[@]}" --seconds 9 --steth-hz 180 --wait-ms 40000 >"$T/cabin.out" 2>"$T/cabin.err" &
CAB_PID=$!; PIDS+=("$CAB_PID")
for _ in $(seq 100); do S=$(sed -n 's/^SESSION //p' "$T/cabin.out"); [ -n "$S" ] && break; sleep 0.05; done
for _ in $(seq 100); do grep -q '"event":"media-start"' "$T/doctor.out" && break; sleep 0.05; done
sleep 1.5
echo "camera $S otoscope" >&7; sleep 0.8
echo "still $S left ear, tympanic membrane" >&7; sleep 0.5
echo "stetho start $S" >&7; sleep 3
echo "stetho stop $S" >&7; sleep 0.3
echo "camera $S room" >&7
wait "$CAB_PID"; crc=$?
for _ in $(seq 100); do grep -q '"event":"media-stats"' "$T/doctor.out" && [ -f "$DATA/$S.json" ] && break; sleep 0.1; done
val() { sed -n "s/^$1=//p" "$T/cabin.out" | head -1; }
stats=$(grep '"event":"media-stats"' "$T/doctor.out" | grep "\"session\":\"$S\"" | head -1)
st() { node -e "const s=JSON.parse(process.argv[1]).stats; console.log(s['$1'])" "$stats"; }
check "the cabin streamed and closed the session, everything acknowledged" bash -c "[ $crc = 0 ] && grep -q '^acked=\([0-9]*\)/\1$' '$T/cabin.out'"
vf=$(st video_frames)
check "station decoded $vf frames of the cabin's video (>= 150)" test "${vf:-0}" -ge 150
# Camera switches and the still (the otoscope reopened at full size) interrupt the
# video briefly: at most 8 intervals off the 33.3 ms frame time.
check "station's frame timestamps increase, 33.3 ms apart except around the 2 switches and the still" node -e "
const s=JSON.parse(process.argv[1]).stats;
if(!(s.video_pts_monotonic && s.min_frame_interval_us>0 && s.regular_frame_intervals>=s.video_frames-1-8)) { console.log(JSON.stringify(s)); process.exit(1);} " "$stats"
check "station: no decoder error, gap or refused message" node -e "
const s=JSON.parse(process.argv[1]).stats; if(s.decode_errors||s.gaps||s.bad_messages||s.skipped){console.log(JSON.stringify(s));process.exit(1)}" "$stats"
probe=$(ffprobe -v error -count_packets -show_entries stream=codec_name,profile,width,height,nb_read_packets \
  -of compact=p=0:nk=1 "$DATA/$S.mkv" 2>&1)
vpk=$(echo "$probe" | awk -F'|' '$1=="h264"{print $5}')
check "DATA/<session>.mkv: H.264 1280x720 ($vpk packets = the $vf decoded) + two Opus tracks" bash -c "
echo '$probe' | grep -q '^h264|Constrained Baseline|1280|720|' && [ '$vpk' = '$vf' ] && [ \$(echo '$probe' | grep -c '^opus') = 2 ]"
dur=$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$DATA/$S.mkv")
span=$(st last_video_pts_us); first=$(st first_video_pts_us)
check "recording lasts as long as the stream (${dur}s; video pts span $(( (span - first) / 1000 )) ms)" \
  node -e "const d=+process.argv[1], s=(+process.argv[2]-+process.argv[3])/1e6; process.exit(d>=s && d-s < 0.3 ? 0 : 1)" "$dur" "$span" "$first"
check "the recording decodes without error" ffmpeg -v error -xerror -i "$DATA/$S.mkv" -f null -
rf=$(val rx_video_frames)
check "cabin decoded $rf frames of the station's return video (640x360), monotonic, no error" bash -c "
[ '${rf:-0}' -ge 150 ] && [ '$(val rx_pts_monotonic)' = 1 ] && [ '$(val rx_size)' = 640x360 ] && [ '$(val rx_decode_errors)' = 0 ] && [ '$(val rx_bad_messages)' = 0 ] && [ '$(val rx_audio_chunks)' -gt 100 ]"
check "the cabin followed the doctor's requests (camera, still, stethoscope)" bash -c "
grep -q '^REQUEST camera otoscope|' '$T/cabin.out' && grep -q '^REQUEST still |left ear, tympanic membrane' '$T/cabin.out' &&
grep -q '^REQUEST stream_start stethoscope|' '$T/cabin.out' && grep -q '^REQUEST stream_stop stethoscope|' '$T/cabin.out'"
sha=$(sed -n 's/^STILL-SENT sha256=\([0-9a-f]*\) .*/\1/p' "$T/cabin.out")
parts=$(sed -n 's/^STILL-SENT .* parts=\([0-9]*\) .*/\1/p' "$T/cabin.out")
check "still sent in ${parts:-0} parts (>= 2) arrived intact: Bundle Media SHA-256 = sender's (${sha:0:16}…), JPEG kept in DATA, body site" node -e "
if(!(+process.argv[4] >= 2)) { console.log('parts', process.argv[4]); process.exit(1); }
const fs=require('fs'),crypto=require('crypto'); const b=JSON.parse(fs.readFileSync(process.argv[1]));
const m=b.entry.map(e=>e.resource).filter(r=>r.resourceType==='Media'); if(m.length!==1) throw 'media count '+m.length;
const r=m[0], c=r.content, jpeg=Buffer.from(c.data,'base64');
const s256=crypto.createHash('sha256').update(jpeg).digest('hex'), s1=crypto.createHash('sha1').update(jpeg).digest('base64');
const id=r.identifier.find(i=>i.system.endsWith('/sha-256')).value;
const file=fs.readFileSync(require('path').join(process.argv[3], c.url));
if(!(s256===process.argv[2] && id===process.argv[2] && c.hash===s1 && c.contentType==='image/jpeg' && file.equals(jpeg) &&
     r.bodySite.text==='left ear, tympanic membrane' && r.deviceName==='otoscope' && r.width===1600 && r.height===1200 && c.size===jpeg.length))
  { console.log(JSON.stringify({s256,id,hash:c.hash,s1,site:r.bodySite,dev:r.deviceName,w:r.width,h:r.height})); process.exit(1); }" "$DATA/$S.json" "$sha" "$DATA" "$parts"
check "the Bundle with its Media validates against the FHIR R4 JSON schema" node "$CABIN_SRC/tests/lib/fhir_validate.js" "$DATA/$S.json"
hz=$("$BUILD/tests/helpers/wav_tone" "$DATA/$S-stethoscope.wav" 2>&1)
check "stethoscope decoded at the station to the 180 Hz tone (${hz} Hz)" \
  node -e "const h=+process.argv[1]; process.exit(h>179 && h<181 ? 0 : 1)" "$hz"
wts=$(ffprobe -v error -show_entries stream=codec_name,sample_rate,channels,duration_ts -of csv=p=0 "$DATA/$S-stethoscope.wav")
check "stethoscope WAV: 16-bit PCM 48 kHz mono holding all $(st steth_samples) decoded samples ($wts)" \
  test "$wts" = "pcm_s16le,48000,1,$(st steth_samples)"
# A cabin that vanishes mid-session: its recording is closed properly all the same.
"$BUILD/tests/helpers/media_cabin" --url "wss://127.0.0.1:$PORT/" --cabin-id CABIN-TEST-01 \
  "${CABIN_CERTS[@]}" --seconds 3 --abort >"$T/abort.out" 2>"$T/abort.err"
S2=$(sed -n 's/^SESSION //p' "$T/abort.out")
for _ in $(seq 100); do grep '"event":"media-stats"' "$T/doctor.out" | grep -q "\"session\":\"$S2\"" && break; sleep 0.1; done
why=$(grep '"event":"media-stats"' "$T/doctor.out" | grep "\"session\":\"$S2\"" | sed -n 's/.*"text":"\([^"]*\)".*/\1/p')
check "cabin gone mid-session ($why): DATA/<session>.mkv closed, complete and decodable" bash -c "
[ '$why' = 'cabin disconnected' ] && ffprobe -v error -show_entries format=duration -of csv=p=0 '$DATA/$S2.mkv' | grep -q '^[0-9]' &&
ffmpeg -v error -xerror -i '$DATA/$S2.mkv' -f null - && [ \$(ffprobe -v error -count_packets -select_streams v -show_entries stream=nb_read_packets -of csv=p=0 '$DATA/$S2.mkv') -ge 60 ]"
check "recordings, stills, WAV, Bundles and database are owner-only (0600)" bash -c "
  [ \"\$(find '$DATA' -type f ! -perm 600 -printf '%p %m\n')\" = '' ] && ls '$DATA' | grep -q '\.jpg$' && ls '$DATA' | grep -q '\.wav$' && ls '$DATA' | grep -q '\.mkv$'"
stop_station
exit $failed
