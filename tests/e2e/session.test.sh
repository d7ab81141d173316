#!/usr/bin/env bash
# session.test.sh — a whole teleconsultation end to end on the real programs:
# build/cabin (--sim: simulators speaking the instruments' real protocols) and
# build/cabin-doctor on 127.0.0.1 with real certificates (scripts/make-certs), the
# cabin under its own Xvfb driven by xdotool as a patient, in French: information,
# consent, identity (valid synthetic NIR), checks (the network check is the link),
# pre-call measurements (temperature, blood pressure, SpO2 and pulse, weight), the
# station restarted meanwhile (a link-lost incident), the call, a measurement the
# doctor asks for on cabin-doctor's stdin, end, summary, wipe, cleaning confirmed
# with the pharmacist's PIN; then a second session in English on the same cabin. Then the Bundle cabin-doctor wrote is checked value by
# value against the simulators' values and against the FHIR R4 schema, and the
# cabin's database, WAL and journal must hold no personal data, and the audit chain
# must verify. The call's video and sound (WebRTC with the doctor's browser) are
# tests/console/call.test.sh's: here the terminal doctor has no browser.
# Screenshots: $BUILD/screens/e2e/. Synthetic identity only.
set -uo pipefail
CABIN_SRC=${CABIN_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILD=${BUILD:-$CABIN_SRC/build}
out=$BUILD/screens/e2e
n=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
notok() { n=$((n + 1)); echo "not ok $n - $*"; }
check() { if eval "$2"; then ok "$1"; else notok "$1"; fi; }
for tool in Xvfb xdotool import python3; do
  command -v $tool >/dev/null || { echo "1..0 # SKIP $tool not installed"; exit 0; }
done
work=$(mktemp -d "$BUILD/e2e.XXXXXX")
mkdir -p "$out" "$work/data" "$work/doctor"
rm -f "$out"/*.png
pids=()
cleanup() {
  exec 7>&- 2>/dev/null
  local i
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do kill "${pids[i]}" 2>/dev/null; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done
  [ -n "${KEEP:-}" ] || rm -rf "$work"
}
trap cleanup EXIT

# Synthetic patient: MARTIN Camille, born 14/07/1985 in Saint-Étienne (42218).
NAME=MARTIN FIRST=Camille PHONE=0612345678 PHONE_E164=+33612345678
body=2850742218001
NIR=$body$(printf %02d $((97 - body % 97)))
PIN=482915

"$CABIN_SRC/scripts/make-certs" "$work/certs" >/dev/null
pin_hash=$(printf %s $PIN | "$CABIN_SRC/scripts/hash-secret" pin)
pwd_hash=$(printf %s service-cabin-42 | "$CABIN_SRC/scripts/hash-secret" password)
(umask 077; printf 'pharmacist %s\ntechnician %s\n' "$pin_hash" "$pwd_hash" >"$work/data/credentials")
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat >"$work/cabin.ini" <<INI
[cabin]
id = CABIN-DEV-0001
pharmacy_name = Pharmacie du Test
address = 1 rue de l'Exemple
postal_code = 75001
city = Paris
country = FR
phone = +33100000001
[station]
url = wss://127.0.0.1:$port
cert = $work/certs/cabin.pem
key = $work/certs/cabin.key
ca = $work/certs/ca.pem
[storage]
data_dir = $work/data
[media]
camera = none
microphone = none
INI
cat >"$work/doctor.ini" <<INI
[doctor]
name = Dr Claire Martin
specialty = Médecine générale
rpps = 10101010101
INI

mkfifo "$work/doctor.in"
start_doctor() {
  "$BUILD/cabin-doctor" --terminal-doctor --listen "127.0.0.1:$port" --cert "$work/certs/station.pem" \
    --key "$work/certs/station.key" --ca "$work/certs/ca.pem" --data "$work/doctor" \
    --config "$work/doctor.ini" --json <"$work/doctor.in" >>"$work/doctor.jsonl" 2>>"$work/doctor.err" &
  doctor=$!
  pids+=($doctor)
}
start_doctor
exec 7>"$work/doctor.in" # keeps the station's stdin open; commands are written here
doc() { echo "$*" >&7; }

Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$work/display" >"$work/xvfb.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do [ -s "$work/display" ] && break; sleep 0.1; done
export DISPLAY=:$(head -1 "$work/display")
for _ in $(seq 50); do xdpyinfo >/dev/null 2>&1 && break; sleep 0.1; done

log=$work/state.log map=$work/map
SDL_AUDIODRIVER=dummy \
CABIN_UI_MAP=$map SDL_RENDER_DRIVER=software CABIN_PRECALL_S=300 CABIN_NO_HOTPLUG=1 \
  CABIN_SIM_FAULT=omron-hem:fault=unplug \
  CABIN_LOG_FILE=$work/service.log "$BUILD/cabin" --config "$work/cabin.ini" --windowed 1280x800 \
  --state-log "$log" --sim --lang fr >"$work/cabin.log" 2>&1 &
cabin=$!
pids+=($cabin)

wait_for() { local t=${WAIT:-100}; for _ in $(seq "$t"); do "$@" && return 0; sleep 0.1; done; return 1; }
screen_is() { head -1 "$map" 2>/dev/null | grep -q "^# screen $1 "; }
where() { [ -f "$map" ] && awk -v n="$1" '$1 == n && $6 == 1 { printf "%d %d\n", $2 + $4 / 2, $3 + $5 / 2; f = 1; exit } END { exit !f }' "$map"; }
click() {
  wait_for where "$1" >/dev/null || { echo "# no enabled widget '$1' on screen"; return 1; }
  xdotool mousemove $(where "$1") click 1
  sleep 0.15
}
last_to() { tail -1 "$log" 2>/dev/null | sed -n 's/.*"to": *"\([a-z_]*\)".*/\1/p'; }
state_is() { [ "$(last_to)" = "$1" ]; }
shot() { sleep 0.3; import -window root "$out/$1.png" 2>/dev/null; }
typeinto() { click "$1" && { wait_for where key/ok >/dev/null || wait_for where pad/ok >/dev/null; } && xdotool type --delay 30 "$2" && sleep 0.2 && xdotool key Return && sleep 0.2; }
# station events: count of received messages of TYPE (optionally whose summary matches RE)
station_count() { python3 - "$work/doctor.jsonl" "$1" "${2:-}" <<'PY'
import json, re, sys
n = 0
for line in open(sys.argv[1], encoding='utf-8', errors='replace'):
    try: e = json.loads(line)
    except ValueError: continue
    if e.get('event') == 'message' and e.get('type') == sys.argv[2] and not e.get('duplicate') \
       and (not sys.argv[3] or re.search(sys.argv[3], e.get('summary', ''))):
        n += 1
print(n)
PY
}
station_has() { [ "$(station_count "$@")" -ge "${MIN:-1}" ]; }

# the last session the station saw opening
last_sid() { python3 -c 'import json,sys
sid = ""
for l in open(sys.argv[1]):
    try: e = json.loads(l)
    except ValueError: continue
    if e.get("type") == "session_open": sid = e["session"]
print(sid)' "$work/doctor.jsonl"; }
# readings of session $sid whose summary matches RE
sess_count() { python3 - "$work/doctor.jsonl" "$1" "${2:-}" "$sid" <<'PY'
import json, re, sys
n = 0
for line in open(sys.argv[1], encoding='utf-8', errors='replace'):
    try: e = json.loads(line)
    except ValueError: continue
    if e.get('event') == 'message' and e.get('type') == sys.argv[2] and not e.get('duplicate') \
       and e.get('session') == sys.argv[4] and (not sys.argv[3] or re.search(sys.argv[3], e.get('summary', ''))):
        n += 1
print(n)
PY
}
# log_more PATTERN N — the cabin's log has more than N lines matching PATTERN
log_more() { [ "$(grep -c -- "$1" "$work/cabin.log")" -gt "$2" ]; }
sess_has() { [ "$(sess_count "$@")" -ge "${MIN:-1}" ]; }

bundle_values() { python3 - "$1" <<'PY' 2>&1
import json, sys
b = json.load(open(sys.argv[1]))
MDC = 'urn:iso:std:iso:11073:10101'
obs = []
for e in b['entry']:
    r = e['resource']
    if r['resourceType'] != 'Observation': continue
    for p in r.get('component', [r]):
        m = [c for c in p['code'].get('coding', []) if c.get('system') == MDC]
        q = p.get('valueQuantity')
        if m and q: obs.append((int(m[0]['code']), q['value'], q['code'], r.get('effectiveDateTime')))
want = [(2 << 16 | 19292, 36.8, 'Cel'), (2 << 16 | 18949, 123, 'mm[Hg]'), (2 << 16 | 18950, 78, 'mm[Hg]'),
        (2 << 16 | 18474, 87, '/min'), (2 << 16 | 19384, 97, '%'), (2 << 16 | 18458, 65, '/min'),
        (2 << 16 | 57664, 72.4, 'kg')]
bad = [w for w in want if not any(o[0] == w[0] and abs(o[1] - w[1]) < 1e-6 and o[2] == w[2] and o[3] for o in obs)]
print('missing: %s' % bad if bad else 'values ok (%d observations)' % len(obs))
PY
}

# session LANG — one whole patient session, attract to cleaning; the first one also
# restarts the station while the patient measures (a link-lost incident)
session() {
  local L=$1 first=$2 p=$3
  click start && wait_for state_is language; click lang_$L && wait_for state_is information; shot $p-02-information
  click next && wait_for state_is consent
  click consent_tele/0; click consent_data/0; shot $p-03-consent
  click next && wait_for state_is identity
  typeinto birth_name "$NAME"
  typeinto first_names "$FIRST"
  typeinto birth_date "14/07/1985"
  click sex/0
  click place && xdotool type --delay 30 "Saint-Etienne" && sleep 0.4 && click results/0
  typeinto nir "${NIR:10}" # the cabin fills in 2 85 07 42 218 from sex, date and place
  typeinto phone "$PHONE"
  shot $p-04-identity
  click next
  check "[$L] consent and a valid identity (NIR key checked) lead to the checks" "wait_for state_is checks"
  WAIT=100 wait_for where next >/dev/null; shot $p-05-checks
  check "[$L] checks pass: camera (test picture), sound (simulated), network (the link is up)" "where next >/dev/null"
  click next
  wait_for state_is waiting_room; WAIT=50 wait_for test -n "\$(last_sid)"
  sid=$(last_sid)
  check "[$L] waiting room; the station got session_open, consent and identity" \
    "state_is waiting_room && WAIT=50 wait_for sess_has consent && sess_has identity"
  shot $p-06-waiting
  if [ "$first" = 1 ]; then # the station goes away and comes back while the patient measures
    kill "$doctor"; wait "$doctor" 2>/dev/null
    sleep 1
    start_doctor
  fi
  click measure/0
  check "[$L] thermometer (IEEE 11073 simulator) reading reaches the station" "WAIT=150 wait_for sess_has reading 'Body temperature|temp'"
  if [ "$first" = 1 ]; then # the cuff is unplugged during its first measurement (CABIN_SIM_FAULT)
    click measure/1
    check "[$L] blood pressure unplugged mid-measurement: the incident reaches the station" \
      "WAIT=150 wait_for sess_has incident 'instrument-error'"
    shot $p-07-unplugged
  fi
  click measure/1
  check "[$L] blood pressure (Omron protocol simulator) reaches the station" "WAIT=200 MIN=3 wait_for sess_has reading 'mm\\[Hg\\]|/min'"
  click measure/2
  check "[$L] SpO2 and pulse (CMS50 protocol simulator) reach the station" "WAIT=150 wait_for sess_has reading '%'"
  shot $p-07-measured-3
  click measure/3
  [ "$first" = 1 ] && check "[$L] the link loss and return is recorded as an incident" "WAIT=100 wait_for sess_has incident 'link-lost'"
  check "[$L] after the pre-call measurements the doctor joins: consultation" "WAIT=200 wait_for state_is consultation"
  sleep 2; shot $p-08-consultation
  doc "measure $sid thermometer"
  check "[$L] a measurement asked by the doctor (cabin-doctor stdin) arrives" "WAIT=150 MIN=2 wait_for sess_has reading 'Body temperature|temp'"
  shot $p-09-doctor-request
  doc "message $sid Merci, respirez calmement."
  check "[$L] a message from the doctor reaches the call screen" "WAIT=50 wait_for grep -q 'doctor request: message' '$work/cabin.log'"
  sleep 0.5; shot $p-09b-doctor-message
  click end_call
  check "[$L] end of the call: summary" "wait_for state_is summary"
  shot $p-10-summary
  local before=$(grep -c 'cleaning.started' "$work/cabin.log")
  click next
  check "[$L] wipe, then back to attract with the cleaning screen" \
    "WAIT=100 wait_for state_is attract && WAIT=100 wait_for log_more cleaning.started $before"
  shot $p-11-cleaning
  sleep 0.5; xdotool type --delay 50 "$PIN"; xdotool key Return
  check "[$L] the pharmacist confirms the cleaning with the PIN" "WAIT=50 wait_for log_more cleaning.confirmed $before"
  shot $p-12-after-cleaning
  local bundle=$work/doctor/$sid.json
  check "[$L] cabin-doctor wrote the hand-off Bundle" "WAIT=100 wait_for test -s '$bundle'"
  [ -s "$bundle" ] && cp "$bundle" "$out/bundle-$L.json"
  local res=$(bundle_values "$bundle")
  check "[$L] Bundle values: 36.8 Cel, 123/78 mm[Hg] pulse 87, SpO2 97 % PR 65, 72.4 kg ($res)" "[ \"\${res#values ok}\" != \"\$res\" ]"
  if [ -d "$CABIN_SRC/scripts/npm/node_modules/@asymmetrik" ]; then
    check "[$L] the Bundle validates against the FHIR R4 schema" "node '$CABIN_SRC/tests/lib/fhir_validate.js' '$bundle' >/dev/null"
  else ok "[$L] the Bundle validates against the FHIR R4 schema # SKIP npm packages not installed (scripts/install-deps)"; fi
  local inc=true what=
  [ "$first" = 1 ] && inc="grep -q 'link-lost' '$bundle'" what=" and the incident"
  check "[$L] the Bundle has the cabin's address and phone, the doctor$what" \
    "grep -q \"1 rue de l'Exemple\" '$bundle' && grep -q '+33100000001' '$bundle' && grep -q '10101010101' '$bundle' && $inc"
}

path_ok=1
if wait_for screen_is attract && wait_for where start >/dev/null && WAIT=100 wait_for grep -q '"event":"hello"' "$work/doctor.jsonl"; then
  ok "cabin on the attract screen, connected to cabin-doctor over mutual TLS"
else notok "cabin on the attract screen, connected to cabin-doctor"; sed 's/^/#   /' "$work/cabin.log" | tail -15; path_ok=0; fi
shot 01-attract
session fr 1 fr
session en 0 en

# nothing personal left in the cabin's files (after the hand-off ack wiped the session)
sleep 1
leak=
for f in "$work"/data/cabin.db "$work"/data/cabin.db-wal "$work"/data/cabin.db-journal; do
  [ -f "$f" ] || continue
  for s in "$NAME" "$FIRST" "$NIR" "$PHONE" "$PHONE_E164" "${PHONE#0}"; do
    grep -aq -- "$s" "$f" && leak+=" $(basename "$f"):$s"
  done
done
check "database, WAL and journal hold no name, NIR or phone${leak:+ (found$leak)}" "[ -z '$leak' ]"
kill "$cabin"; wait "$cabin" 2>/dev/null
check "cabin --verify-audit says ok" "'$BUILD/cabin' --verify-audit --data '$work/data' | grep -q '^ok'"
[ $path_ok = 1 ] || { echo "# cabin log:"; tail -5 "$work/cabin.log" | sed 's/^/#   /'; }
echo "1..$n"
