#!/usr/bin/env bash
# cabin-devices decode on the instrument fixtures: output lines compared exactly with
# tests/devices/*/expected/*.jsonl, values cross-checked against the fixtures' own
# .json (sources named there), and malformed input -> readings valid before the
# fault, a message on stderr, exit 1. Also --help of every subcommand. Prints TAP.
set -uo pipefail
: "${BUILD:?}" "${CABIN_SRC:?}"
bin=$BUILD/cabin-devices
d=$CABIN_SRC/tests/devices
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
n=0; fail=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
no() { n=$((n + 1)); echo "not ok $n - $1"; fail=1; }
check() { if eval "$2"; then ok "$1"; else no "$1"; fi; }
tests=()

# 1. exact output on every fixture
for proto_dir in cms50:cms50 omron:omron-hem; do
  proto=${proto_dir%%:*}; dir=$d/${proto_dir#*:}
  for hex in "$dir"/fixtures/*.hex; do
    name=$(basename "$hex" .hex)
    "$bin" decode --protocol "$proto" "$hex" >"$tmp/out" 2>"$tmp/err"; rc=$?
    if ((rc == 0)) && diff -u "$dir/expected/$name.jsonl" "$tmp/out" >"$tmp/diff"; then
      ok "decode $proto $name: lines equal expected/$name.jsonl"
    else
      no "decode $proto $name (rc $rc)"; sed 's/^/# /' "$tmp/diff" "$tmp/err" | head -20
    fi
  done
done

# 2. values against the fixtures' decoded values (independent of the expected files)
"$bin" decode --protocol cms50 "$d/cms50/fixtures/realtime_stream_7pkts_spo2_97_pr_65.hex" >"$tmp/s.jsonl"
check "cms50 stream: SpO2, pulse and pleth per packet equal the fixture's decoded values" \
  "node -e '
const fs=require(\"fs\");
const want=JSON.parse(fs.readFileSync(process.argv[1])).decoded.summary.packets;
const got=fs.readFileSync(process.argv[2],\"utf8\").trim().split(\"\\n\").map(JSON.parse);
if (got.length!==4*want.length) process.exit(1);
want.forEach((p,i)=>{const g=got.slice(4*i,4*i+4);
 if(g[0].name!==\"MDC_PULS_OXIM_SAT_O2\"||g[0].value!==p.spo2_pct||g[0].ucum!==\"%\") process.exit(2);
 if(g[1].name!==\"MDC_PULS_OXIM_PULS_RATE\"||g[1].value!==p.pulse_rate_bpm||g[1].ucum!==\"/min\") process.exit(3);
 if(g[2].value!==null||g[2].special!==\"NaN\"||!p.pi_invalid) process.exit(4);
 if(g[3].name!==\"MDC_PULS_OXIM_PLETH\"||g[3].value!==p.pleth) process.exit(5);});
' $d/cms50/fixtures/realtime_stream_7pkts_spo2_97_pr_65.json $tmp/s.jsonl"
"$bin" decode --protocol omron "$d/omron-hem/fixtures/gme_reading_2007-01-01_123_78_87.hex" >"$tmp/o.jsonl"
check "omron GME: SYS/DIA/pulse, units and time equal the fixture's decoded reading, no MEAN" \
  "node -e '
const fs=require(\"fs\");
const w=JSON.parse(fs.readFileSync(process.argv[1])).decoded.summary.reading;
const g=fs.readFileSync(process.argv[2],\"utf8\").trim().split(\"\\n\").map(JSON.parse);
const t=\"2007-01-01T00:06:38\";
if(g.length!==3) process.exit(1);
if(g[0].name!==\"MDC_PRESS_BLD_NONINV_SYS\"||g[0].value!==w.sys_mmHg||g[0].ucum!==\"mm[Hg]\"||g[0].time!==t) process.exit(2);
if(g[1].name!==\"MDC_PRESS_BLD_NONINV_DIA\"||g[1].value!==w.dia_mmHg||g[1].time!==t) process.exit(3);
if(g[2].name!==\"MDC_PULS_RATE_NON_INV\"||g[2].value!==w.pulse_bpm||g[2].ucum!==\"/min\") process.exit(4);
if(g.some(r=>r.name===\"MDC_PRESS_BLD_NONINV_MEAN\")) process.exit(5);
' $d/omron-hem/fixtures/gme_reading_2007-01-01_123_78_87.json $tmp/o.jsonl"
"$bin" decode --protocol omron "$d/omron-hem/fixtures/session_ver_gdc_gme_end.hex" >"$tmp/v.jsonl"
check "omron session: identity from the VER reply (M7080IT, 207) on the readings" \
  "grep -c '\"model\":\"M7080IT\",\"firmware\":\"207\"' $tmp/v.jsonl | grep -qx 3"

# 3. stdin and hex/raw input
"$bin" decode --protocol cms50 - <"$d/cms50/fixtures/realtime_finger_out.hex" >"$tmp/in"
check "decode reads hex from stdin" "diff -q $tmp/in $d/cms50/expected/realtime_finger_out.jsonl >/dev/null"
xxd -r -p "$d/cms50/fixtures/realtime_finger_out.hex" >"$tmp/raw.bin" 2>/dev/null || \
  printf '\x01\xe1\x84\xc0\x90\x80\x80\xff\xff' >"$tmp/raw.bin"
"$bin" decode --protocol cms50 "$tmp/raw.bin" >"$tmp/raw" 2>&1
check "decode reads raw binary" "diff -q $tmp/raw $d/cms50/expected/realtime_finger_out.jsonl >/dev/null"

# 4. malformed input: readings before the fault, message, exit 1
bad() { # name protocol hex expected_lines stderr_pattern
  printf '%s\n' "$3" >"$tmp/bad.hex"
  "$bin" decode --protocol "$2" "$tmp/bad.hex" >"$tmp/out" 2>"$tmp/err"; local rc=$?
  local lines; lines=$(wc -l <"$tmp/out")
  if ((rc == 1)) && ((lines == $4)) && grep -q "$5" "$tmp/err"; then ok "malformed: $1"
  else no "malformed: $1 (rc $rc, $lines lines)"; sed 's/^/# /' "$tmp/err"; fi
}
bad "cms50 truncated at end (valid packet first)" cms50 "01 e0 85 b3 96 c1 e1 ff ff 01 e0 85 b0" 4 "truncated packet at end"
bad "cms50 packet cut by a new type byte" cms50 "01 e0 85 b3 96 c1 e1 ff ff 01 e0 85 01 e0 85 b3 96 c1 e1 ff ff" 4 "truncated packet"
bad "cms50 garbage between packets" cms50 "01 e0 85 b3 96 c1 e1 ff ff ff 93 a5 01 e0 85 b3 96 c1 e1 ff ff" 4 "garbage"
bad "cms50 unknown packet type" cms50 "05 80 80 80" 0 "unknown type"
bad "omron report shorter than 8 bytes" omron "07 4f 4b 00 07 01 01" 0 "truncated HID report"
bad "omron absurd valid-byte count" omron "09 4f 4b 00 07 01 01 00" 0 "bad HID report"
bad "omron bad reply checksum" omron "07 4f 4b 00 07 01 01 00 07 06 26 00 00 7b 4e 57 03 00 00 46 00 7b 4e 57" 0 "corrupt reply"
bad "omron reply longer than its command allows" omron "07 47 4d 45 00 00 00 01 01 01 00 00 00 00 00 00 07 4f 4b 00 07 01 01 00 07 06 26 00 00 7b 4e 57 07 00 00 45 00 7b 4e 57" 0 "longer than expected"
bad "omron capture ends inside a message" omron "07 4f 4b 00 07 01 01 00" 0 "ends inside a message"
bad "omron record with month 13" omron "07 4f 4b 00 07 0d 01 00 07 06 26 00 00 7b 4e 57 03 00 00 49 00 7b 4e 57" 0 "not a valid record"
printf '\x7f\x7a\x7a\x10' >"$tmp/nh" # raw bytes (DEL is not text): cms50 parses them
"$bin" decode --protocol cms50 "$tmp/nh" >"$tmp/out" 2>"$tmp/err"; rc=$?
check "raw non-hex bytes are rejected by cms50 (exit 1)" "((rc == 1)) && grep -qE 'unknown type|garbage' $tmp/err"
printf 'zz not hex' >"$tmp/nh" # printable text: meant as hex, refused as such
"$bin" decode --protocol cms50 "$tmp/nh" >"$tmp/out" 2>"$tmp/err"; rc=$?
check "text that is not hex: exit 1, not hex at byte 0" "((rc == 1)) && grep -q \"not hex at byte 0 ('z')\" $tmp/err"
"$bin" decode --protocol nosuch "$tmp/nh" >/dev/null 2>"$tmp/err"; rc=$?
check "unknown protocol: exit 2 with a message" "((rc == 2)) && grep -q 'unknown protocol' $tmp/err"
"$bin" decode --protocol cms50 /nonexistent >/dev/null 2>"$tmp/err"; rc=$?
check "missing file: exit 2 with a message" "((rc == 2)) && grep -q nonexistent $tmp/err"

# 5. --help everywhere
for c in list watch read simulate decode; do
  "$bin" "$c" --help >"$tmp/h" 2>&1; rc=$?
  check "$c --help" "((rc == 0)) && grep -q usage $tmp/h"
done
"$bin" --help >"$tmp/h"; check "cabin-devices --help lists the commands" "grep -q simulate $tmp/h && grep -q decode $tmp/h"

# 6. simulate and read end to end (simulators through the real drivers)
CABIN_OMRON_WAIT_MS=1000 timeout 20 "$bin" read sim:omron-hem --sim-options "sys=133,dia=85,pulse=72,measure_ms=200" --timeout 10 >"$tmp/r" 2>"$tmp/err"
check "read sim:omron-hem prints SYS 133 / DIA 85 / pulse 72" \
  "grep -q '\"MDC_PRESS_BLD_NONINV_SYS\",\"value\":133.0' $tmp/r && grep -q '\"value\":85.0' $tmp/r && grep -q '\"MDC_PULS_RATE_NON_INV\",\"value\":72.0' $tmp/r"
timeout 20 "$bin" read sim:cms50 --sim-options "spo2=94,pr=61" --timeout 10 >"$tmp/r" 2>"$tmp/err"
check "read sim:cms50 prints SpO2 94 and pulse 61" \
  "grep -q '\"MDC_PULS_OXIM_SAT_O2\",\"value\":94.0' $tmp/r && grep -q '\"MDC_PULS_OXIM_PULS_RATE\",\"value\":61.0' $tmp/r"
timeout 20 "$bin" read sim:cms50 --sim-options "fault=unplug,unplug_ms=200,fault=no-finger" --timeout 10 >"$tmp/r" 2>"$tmp/err"; rc=$?
check "read on an instrument unplugged before a result: exit 1, says so" "((rc == 1)) && grep -q unplugged $tmp/err"
timeout 20 "$bin" simulate cms50 --seconds 1 >"$tmp/sim" 2>"$tmp/err"; rc=$?
check "simulate cms50 prints its pseudo-terminal" "((rc == 0)) && grep -qE '^cms50 /dev/pts/[0-9]+$' $tmp/sim"
timeout 20 "$bin" watch --sim=pulse-oximeter --no-hotplug --seconds 2 --measure pulse-oximeter >"$tmp/w" 2>"$tmp/err"; rc=$?
check "watch --sim: attached, ready, a requested reading, detached as JSON lines" \
  "((rc == 0)) && grep -q '\"event\":\"attached\"' $tmp/w && grep -q '\"state\":\"ready\"' $tmp/w && grep -q '\"event\":\"reading\"' $tmp/w && grep -q '\"event\":\"detached\"' $tmp/w"


# bad input is refused (exit 2, a message naming it), never replaced by a default or
# by "forever"; timeout(1) turns a hang into 124
timeout 10 "$bin" read sim:ieee11073-scale --sim-options weight=abc >"$tmp/out" 2>"$tmp/err"; rc=$?
check "read --sim-options weight=abc: exit 2, no reading, says weight is not a number" \
  "((rc == 2)) && [ ! -s $tmp/out ] && grep -q \"weight: 'abc' is not a number\" $tmp/err"
timeout 10 "$bin" read sim:ieee11073-scale --sim-options weight=80.5 --timeout 8 >"$tmp/out" 2>"$tmp/err"; rc=$?
check "read --sim-options weight=80.5: the scale reports 80.5 kg" \
  "((rc == 0)) && grep -q '\"value\":80.5,\"ucum\":\"kg\"' $tmp/out"
for v in -3 abc nan 1e400 ''; do
  timeout 5 "$bin" watch --sim --no-hotplug --seconds "$v" >/dev/null 2>"$tmp/err"; rc=$?
  check "watch --seconds '$v': exit 2 at once" "((rc == 2)) && grep -q -- \"--seconds: expected a number of seconds >= 0, got '$v'\" $tmp/err"
done
timeout 5 "$bin" simulate cms50 --seconds -1 >/dev/null 2>&1; rc=$?
check "simulate --seconds -1: exit 2" "((rc == 2))"
timeout 5 "$bin" simulate ieee11073-scale --set weight=x >/dev/null 2>"$tmp/err"; rc=$?
check "simulate --set weight=x: exit 2" "((rc == 2)) && grep -q \"weight: 'x' is not a number\" $tmp/err"
timeout 5 "$bin" read sim:cms50 --timeout -2 >/dev/null 2>&1; rc=$?
check "read --timeout -2: exit 2" "((rc == 2))"

echo "1..$n"
exit $fail
