#!/usr/bin/env bash
# `cabin-devices decode --protocol ieee11073` on conversations assembled from the
# replay fixtures of tests/devices/ieee11073 (Antidote Annex H vectors): one JSON
# line per reading, compared with the fixtures' decoded values; malformed input
# gives the readings before the fault, a message on stderr and exit 1. TAP.
set -u
cd "$CABIN_SRC" || exit 1
bin=$BUILD/cabin-devices
fx=tests/devices/ieee11073
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
echo "1..7"
n=0
check() { n=$((n + 1)); if eval "$2"; then echo "ok $n - $1"; else echo "not ok $n - $1"; fi; }

cat $fx/antidote_H211_aarq_extended_cfg.hex $fx/antidote_H221_config_ext_scale_weight_bodyfat.hex \
    $fx/antidote_H241_fixed_scale.hex > "$tmp/scale.hex"
"$bin" decode --protocol ieee11073 "$tmp/scale.hex" >"$tmp/out" 2>"$tmp/err"; rc=$?
check "extended scale conversation decodes (exit 0, 2 lines)" '[ $rc -eq 0 ] && [ $(wc -l <"$tmp/out") -eq 2 ]'
check "weight 62.4 kg and body fat 25.6 % at 2007-02-01T12:10:00" \
  'node -e "const l=require(\"fs\").readFileSync(\"$tmp/out\",\"utf8\").trim().split(\"\n\").map(JSON.parse);
    process.exit(l[0].name===\"MDC_MASS_BODY_ACTUAL\"&&l[0].value===62.4&&l[0].ucum===\"kg\"&&l[0].time===\"2007-02-01T12:10:00\"&&
    l[1].name===\"MDC_BODY_FAT\"&&l[1].value===25.6&&l[1].ucum===\"%\"&&l[1].mdc===188748?0:1)"'

cat $fx/antidote_H211_ID_02BC_aarq_bp_std.hex $fx/antidote_H241_ID_02BC_fixed_bp.hex > "$tmp/bp.hex"
"$bin" decode --protocol ieee11073 - <"$tmp/bp.hex" >"$tmp/out" 2>"$tmp/err"; rc=$?
check "standard BP config known without a report: systolic, diastolic, mean, pulse" \
  '[ $rc -eq 0 ] && [ "$(node -e "console.log(require(\"fs\").readFileSync(\"$tmp/out\",\"utf8\").trim().split(\"\n\").map(l=>{const j=JSON.parse(l);return j.name+\"=\"+j.value+j.ucum}).join(\" \"))")" = "MDC_PRESS_BLD_NONINV_SYS=120mm[Hg] MDC_PRESS_BLD_NONINV_DIA=80mm[Hg] MDC_PRESS_BLD_NONINV_MEAN=100mm[Hg] MDC_PULS_RATE_NON_INV=60/min" ]'

# raw bytes this time: the conversation, then a second report cut 10 bytes short
cat "$tmp/scale.hex" $fx/antidote_H241_fixed_scale.hex | tr -d ' \n' | \
  node -e 'const h=require("fs").readFileSync(0,"utf8");process.stdout.write(Buffer.from(h,"hex").subarray(0,284))' > "$tmp/trunc.bin"
"$bin" decode --protocol ieee11073 "$tmp/trunc.bin" >"$tmp/out" 2>"$tmp/err"; rc=$?
check "truncated second report: 2 readings, then exit 1" '[ $rc -eq 1 ] && [ $(wc -l <"$tmp/out") -eq 2 ]'
check "clear error naming the byte offset" 'grep -q "truncated APDU at byte 232" "$tmp/err"'

# text that is not hex is not taken for raw bytes: the offset of the first bad byte
printf '# a note\nE2 00 00 32 80 00 zz 00\n' >"$tmp/text.hex"
"$bin" decode --protocol ieee11073 "$tmp/text.hex" >"$tmp/out" 2>"$tmp/err"; rc=$?
check "text with a non-hex word: exit 1, \"not hex at byte 27\"" \
  '[ $rc -eq 1 ] && [ ! -s "$tmp/out" ] && grep -q "not hex at byte 27 (.z.)" "$tmp/err" && ! grep -q truncated "$tmp/err"'
echo "weight 72.4 kg" | "$bin" decode --protocol ieee11073 - >"$tmp/out" 2>"$tmp/err"; rc=$?
check "plain words on stdin: \"not hex at byte 0\"" '[ $rc -eq 1 ] && grep -q "not hex at byte 0 (.w.)" "$tmp/err"'
