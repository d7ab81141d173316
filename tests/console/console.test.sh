#!/usr/bin/env bash
# console.test.sh — the doctors' console end to end (docs/console.md): the real
# cabin-doctor (no terminal doctor) and the real cabin (--sim, under Xvfb, driven by its
# test hook) on 127.0.0.1 with certificates from scripts/make-certs --test, and headless
# Chromium through playwright-core presenting the doctors' PKCS#12 certificates
# (console.js). Checks: who may open the console, the queue, two doctors racing, the
# patient panel, readings with their exact values, each request's state and its arrival
# at the cabin, a long message, a still, report and prescription stored and sent, the
# Bundle download, the WebRTC relay with a fake signal (the cabin's peer refuses the
# bogus answer and says so; the call itself: call.test.sh), a console closed mid-call giving
# the patient back. Screenshots: $BUILD/screens/console/. About 60 s.
source "$(dirname "$0")/../e2e/harness.sh"
need_tools Xvfb xdpyinfo node openssl sqlite3
[ -x /usr/bin/chromium ] || { echo "1..0 # SKIP /usr/bin/chromium not installed"; exit 0; }
PW=$CABIN_SRC/scripts/npm/node_modules/playwright-core
[ -d "$PW" ] || { echo "1..0 # SKIP playwright-core not installed (make install-deps)"; exit 0; }
SHOTS=$BUILD/screens/console; rm -rf "$SHOTS"; mkdir -p "$SHOTS"
"$CABIN_SRC/scripts/make-certs" "$C" --cabin-id "$CABIN_ID" --test >/dev/null 2>&1
echo "1..41"
keep_logs() { [ "$failed" = 0 ] || cp "$T"/cabin.log "$T"/doctor.err "$DOC_OUT" "$T"/hook.log "$SHOTS"/ 2>/dev/null; }
trap 'keep_logs; cleanup' EXIT

start_xvfb 1280x800 || { echo "Bail out! no X server"; exit 1; }
# the pharmacist's PIN (synthetic: 482915), for the overlay's identity-document check
write_config "$T/cabin.ini"
printf '[service]\npharmacist_pin_hash = %s\n' "$(printf %s 482915 | "$CABIN_SRC/scripts/hash-secret" pin)" >>"$T/cabin.ini"
# the pharmacy's printer: a private cupsd with cups-pdf (tests/lib/cupsd.sh), when it can run here
PRINTING=
if [ "$(id -u)" = 0 ] && command -v cupsd >/dev/null && command -v pdftotext >/dev/null && command -v zbarimg >/dev/null; then
  source "$CABIN_SRC/tests/lib/cupsd.sh"
  mkdir -p "$T/cups"; chmod 711 "$T"  # cupsd's filters run as lp: they must reach $T/cups
  cupsd_start "$T/cups" && PRINTING=1
  PIDS+=("$CUPSD")
  rm -f "$CUPSD_PDFDIR"/Cabin_prescription-job_*.pdf
  printf '[printer]\nname = cabin\n' >>"$T/cabin.ini"
fi
DOCTOR_TERMINAL= DOCTOR_ARGS="--no-media" start_doctor || { echo "Bail out! cabin-doctor did not start"; exit 1; }
# (an array cannot prefix a function call: set it first; the UI map lists the
# pharmacist overlay's buttons)
CABIN_ENV=(CABIN_UI_MAP="$T/ui.map")
start_cabin || { echo "Bail out! cabin did not start: $(tail -5 "$T/cabin.log")"; exit 1; }
"$BUILD/tests/helpers/hook" "$HOOK" --session --lang en --until waiting_room --timeout-ms 30000 >>"$T/hook.log" 2>&1
S=$(hook sid | awk '{print $2}')
if state_is waiting_room && [ ${#S} -gt 8 ]; then ok "the patient waits for a doctor (no doctor before one takes them)"
else notok "the patient waits for a doctor" "state $(hook_state)" "$(tail -3 "$T/hook.log")"; fi
wait_for 20 grep -q "\"type\":\"identity\".*\"session\":\"$S\"\|\"session\":\"$S\".*\"type\":\"identity\"" "$DOC_OUT"

# a second cabin (its own certificate) whose patient's birth name is markup: shown as text
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/O=Cabin development/CN=CABIN-XSS-02" \
  -keyout "$C/cabin2.key" -out "$T/cabin2.csr" 2>/dev/null
printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n' >"$T/cabin2.ext"
openssl x509 -req -in "$T/cabin2.csr" -CA "$C/ca.pem" -CAkey "$C/ca.key" -CAcreateserial -days 2 \
  -extfile "$T/cabin2.ext" -out "$C/cabin2.pem" 2>/dev/null
now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
cat >"$T/xss.jsonl" <<JSON
{"type":"session_open","id":"xss-open-1","session":"xss-session-1","time":"$now"}
{"type":"identity","id":"xss-id-1","session":"xss-session-1","patient":{"birth_name":"<img src=x onerror=alert(1)>","first_names":"Camille","birth_date":"1985-07-14","sex":"female","birth_place_insee":"42218"}}
JSON
"$BUILD/tests/helpers/link_cabin" --raw "$T/xss.jsonl" --url "wss://127.0.0.1:$PORT" --cert "$C/cabin2.pem" --key "$C/cabin2.key" \
  --ca "$C/ca.pem" --cabin-id CABIN-XSS-02 --wait-ms 400000 >"$T/cabin2.out" 2>&1 &
PIDS+=($!)
SPKI=$(openssl x509 -in "$C/station.pem" -pubkey -noout | openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | base64)
CMD=$T/console.cmd ANS=$T/console.ans; : >"$CMD"; : >"$ANS"
# the shell answers the page script's questions about the cabin and the station
answer_loop() {
  local done=0
  while kill -0 "$1" 2>/dev/null; do
    local lines; lines=$(wc -l <"$CMD")
    while [ "$done" -lt "$lines" ]; do
      done=$((done + 1)); q=$(sed -n "${done}p" "$CMD")
      case $q in
        taken) wait_for 15 state_is consultation && echo "taken yes" >>"$ANS" || echo "taken no (state $(hook_state))" >>"$ANS" ;;
        readings) echo "readings $(node -e '
          const out = require("fs").readFileSync(process.argv[1], "utf8").split("\n").filter(Boolean).map(JSON.parse);
          const r = out.filter((e) => e.event === "message" && e.type === "reading" && e.session === process.argv[2] && !e.duplicate)
            .map((e) => e.message.observation.valueQuantity).filter(Boolean).map((q) => ({value: q.value, unit: q.unit}));
          console.log(JSON.stringify(r));' "$DOC_OUT" "$S")" >>"$ANS" ;;
        ready) wait_for 15 bash -c "'$BUILD/tests/helpers/hook' '$HOOK' patient-ready | grep -q '^ok'" && echo "ready yes" >>"$ANS" || echo "ready no" >>"$ANS" ;;
        requests) sleep 0.5; r=yes; for a in message stream_start stream_stop camera; do grep -q "doctor request: $a" "$T/cabin.log" || r="no ($a missing)"; done; echo "requests $r" >>"$ANS" ;;
        report) echo "report $(sqlite3 "$DOC_DATA/station.sqlite" "SELECT json_extract(body,'\$.prescription.lines[0].medicine') || '|' || json_extract(body,'\$.report.conclusion') FROM report WHERE session='$S'")" >>"$ANS" ;;
        printed) # the cabin's prescription dialog: Print; the PDF cups-pdf wrote
          if [ -z "$PRINTING" ]; then echo "printed skip (no cupsd here: root, cupsd, pdftotext, zbarimg)" >>"$ANS"; continue; fi
          r=yes
          wait_for 20 bash -c "'$BUILD/tests/helpers/hook' '$HOOK' screen >/dev/null; grep -q '^rx_print ' '$HOOK.map'"
          sleep 0.3; import -window root "$SHOTS/19-cabin-prescription-offered.png" 2>/dev/null
          wait_for 5 hook tap rx_print || r="no (no Print button: $(hook screen); $(head -1 "$HOOK.map"))"
          sleep 0.3; import -window root "$SHOTS/20-cabin-prescription-printing.png" 2>/dev/null
          if [ "$r" = yes ]; then # the cabin says what CUPS said of the job (completed or why not)
            wait_for 90 grep -q "prescription printed\|prescription not printed" "$T/cabin.log"
            grep -q "prescription printed" "$T/cabin.log" || r="no (the cabin: $(grep -a 'print' "$T/cabin.log" | tail -2))"
            [ "$r" = yes ] && { ls "$CUPSD_PDFDIR"/Cabin_prescription-job_*.pdf >/dev/null 2>&1 || r="no (no PDF from cups-pdf: $(tail -3 "$T/cups/log/error_log"))"; }
          fi
          if [ "$r" = yes ]; then
            pdf=$(ls -t "$CUPSD_PDFDIR"/Cabin_prescription-job_*.pdf | head -1)
            pdftotext -layout "$pdf" "$T/rx.txt"; pdftoppm -r 100 -png "$pdf" "$SHOTS/21-prescription-page"
            id=$(sqlite3 "$DOC_DATA/station.sqlite" "SELECT json_extract(body,'\$.prescription.id') FROM report WHERE session='$S'")
            for want in "Dr Jeanne Fabre" "RPPS 10101010105" "Patient : Camille MARTIN" "Né(e) le 14/07/1985" \
                "Paracétamol 500 mg" "1 comprimé 3 fois par jour - 5 jours" "Boire abondamment" "$id"; do
              grep -qF -- "$want" "$T/rx.txt" || { r="no (the page lacks \"$want\")"; break; }
            done
            qr=$(zbarimg -q --raw "$SHOTS/21-prescription-page-1.png" 2>/dev/null)
            [ "$r" = yes ] && { [ -n "$id" ] && [ "$qr" = "$id" ] || r="no (QR code \"$qr\", record's identifier \"$id\")"; }
            rm -f "$CUPSD_PDFDIR"/Cabin_prescription-job_*.pdf
          fi
          if [ "$r" = yes ]; then
            import -window root "$SHOTS/22-cabin-prescription-printed.png" 2>/dev/null
            wait_for 10 hook tap rx_close || r="no (no OK on the result: $(head -1 "$HOOK.map"))"
          fi
          echo "printed $r" >>"$ANS" ;;
        verified) # the pharmacist: staff corner, PIN, "Passport checked" in the overlay
          r=yes
          xdotool mousemove 10 10 mousedown 1 sleep 3.3 mouseup 1; sleep 0.5
          xdotool type --delay 50 482915; xdotool key Return
          wait_for 10 bash -c "head -1 '$T/ui.map' | grep -q '^# screen pharmacist '" || r="no (no overlay: $(head -1 "$T/ui.map"))"
          if [ "$r" = yes ]; then
            sleep 0.3; import -window root "$SHOTS/24-cabin-pharmacist-overlay.png" 2>/dev/null
            xy=$(awk '$1 == "Passport_checked" && $6 == 1 { printf "%d %d", $2 + $4 / 2, $3 + $5 / 2 }' "$T/ui.map")
            [ -n "$xy" ] && xdotool mousemove $xy click 1 || r="no (no Passport checked button)"
          fi
          [ "$r" = yes ] && { wait_for 20 grep -q '"verified":{"document":"PA"' "$DOC_OUT" || r="no (no verified identity at the station)"; }
          echo "verified $r" >>"$ANS" ;;
        printfail) # the same with the printer stopped (cupsdisable): told, and an incident
          r=yes; cupsdisable cabin
          wait_for 20 bash -c "'$BUILD/tests/helpers/hook' '$HOOK' screen >/dev/null; grep -q '^rx_print ' '$HOOK.map'"
          wait_for 5 hook tap rx_print || r="no (no Print button: $(head -1 "$HOOK.map"))"
          [ "$r" = yes ] && { wait_for 90 grep -q "prescription not printed" "$T/cabin.log" || r="no (the cabin: $(grep -a 'print' "$T/cabin.log" | tail -2))"; }
          [ "$r" = yes ] && { wait_for 10 bash -c "'$BUILD/tests/helpers/hook' '$HOOK' screen >/dev/null; grep -q '^rx_close ' '$HOOK.map'" || r="no (no result dialog)"; }
          sleep 0.3; import -window root "$SHOTS/23-cabin-prescription-not-printed.png" 2>/dev/null
          [ "$r" = yes ] && { wait_for 30 grep -q '"kind":"printer-error"' "$DOC_OUT" || r="no (no printer-error incident at the station)"; }
          hook tap rx_close >/dev/null; cupsenable cabin
          echo "printfail $r" >>"$ANS" ;;
        webrtc) wait_for 10 grep -Eq "answer refused by webrtcbin|answer: SDP does not parse|call signal answer without a call" "$T/cabin.log" && echo "webrtc answer" >>"$ANS" || echo "webrtc none" >>"$ANS" ;;
        released) wait_for 10 bash -c "[ \"\$(sqlite3 '$DOC_DATA/station.sqlite' \"SELECT count(*) FROM audit WHERE rpps='10101010105' AND action='release' AND detail='console closed' AND session='$S'\")\" = 1 ]" && echo "released yes" >>"$ANS" || echo "released no" >>"$ANS" ;;
      esac
    done
    sleep 0.2
  done
}
PLAYWRIGHT=$PW NODE_EXTRA_CA_CERTS=$C/ca.pem ORIGIN=https://127.0.0.1:$PORT CERTS=$C SHOTS=$SHOTS SPKI=$SPKI SESSION=$S \
  CMD_FILE=$CMD ANS_FILE=$ANS node "$CABIN_SRC/tests/console/console.js" >"$T/console.tap" 2>"$T/console.err" &
JS=$!
answer_loop $JS
wait $JS
# renumber the page script's lines into this plan
while read -r line; do
  case $line in
    "ok "*"# SKIP"*) d=${line#ok * - }; skip "${d%% # SKIP*}" "${d#* # SKIP }" ;;
    "ok "*) ok "${line#ok * - }" ;;
    "not ok "*) notok "${line#not ok * - }" ;;
    "#   "*) echo "$line" ;;
  esac
done <"$T/console.tap"
[ -s "$T/console.err" ] && sed 's/^/# /' "$T/console.err" | head -20
# the inactivity lock, on a second station locking after 3 s
PORT2=$(free_port); mkdir -p "$T/station2"
"$BUILD/cabin-doctor" --listen "127.0.0.1:$PORT2" --cert "$C/station.pem" --key "$C/station.key" --ca "$C/ca.pem" \
  --data "$T/station2" --json --no-media --console-lock 3 </dev/null >"$T/station2.out" 2>&1 &
PIDS+=($!)
wait_for 10 grep -q '"event":"listening"' "$T/station2.out"
PLAYWRIGHT=$PW NODE_EXTRA_CA_CERTS=$C/ca.pem ORIGIN=https://127.0.0.1:$PORT2 CERTS=$C SHOTS=$SHOTS \
  node "$CABIN_SRC/tests/console/lock.js" >"$T/lock.tap" 2>"$T/lock.err"
while read -r line; do
  case $line in "ok "*) ok "${line#ok * - }" ;; "not ok "*) notok "${line#not ok * - }" ;; "#   "*) echo "$line" ;; esac
done <"$T/lock.tap"
[ -s "$T/lock.err" ] && sed 's/^/# /' "$T/lock.err" | head -10
locks=$(sqlite3 "$T/station2/station.sqlite" "SELECT group_concat(action) FROM audit WHERE rpps='10101010105' AND action IN ('lock','unlock')")
[ "$locks" = "lock,unlock" ] && ok "the lock and the unlock are audited with the RPPS" || notok "the lock and the unlock are audited" "$locks"
# the audit trail names the doctor's RPPS for their actions
acts=$(sqlite3 "$DOC_DATA/station.sqlite" "SELECT group_concat(DISTINCT action) FROM (SELECT action FROM audit WHERE rpps='10101010105' ORDER BY seq)")
case ",$acts," in *,take,*request,*report-save,*prescription-send,*bundle-download,*) ok "every doctor action is audited with the RPPS ($acts)" ;;
  *) notok "every doctor action is audited with the RPPS" "$acts" ;; esac
exit $failed
