#!/usr/bin/env bash
# prescription.test.sh — the prescription printed through a real CUPS: a private cupsd
# (own configuration, spool and logs under a temporary directory, loopback port) with
# Debian's cups-pdf as the printer. The PDF it writes is read back: pdftotext finds the
# doctor's name, RPPS and specialty, the patient's name and birth date, the date, each
# line and the identifier; zbarimg reads the QR code = the identifier. Pages are kept as
# PNG artefacts (ARTEFACTS, default build/artefacts/print). A missing printer, a stopped
# one and an unreachable server are told apart; nothing personal stays in the spool.
# Needs root (cupsd runs its filters as lp). About 10 s.
set -uo pipefail
: "${BUILD:?BUILD must be set (tests/run sets it)}"
SRC=$(cd "$(dirname "$0")/../.." && pwd)
ART=${ARTEFACTS:-$BUILD/artefacts/print}; mkdir -p "$ART"
echo "1..9"
n=0; failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); failed=1; echo "not ok $n - $1"; shift; for l in "$@"; do echo "#   $l"; done; }
check() { local d=$1; shift; if out=$("$@" 2>&1); then ok "$d"; else notok "$d" "$(echo "$out" | head -c 1500)"; fi; }
for tool in cupsd lpadmin pdftotext zbarimg pdftoppm; do
  command -v $tool >/dev/null || { for i in $(seq 9); do echo "ok $i # SKIP $tool missing (scripts/install-deps)"; done; exit 0; }
done
[ "$(id -u)" = 0 ] || { for i in $(seq 9); do echo "ok $i # SKIP cupsd needs root"; done; exit 0; }
T=$(mktemp -d /tmp/cabin-print-test.XXXXXX)
source "$SRC/tests/lib/cupsd.sh"
PDFDIR=$CUPSD_PDFDIR
cleanup() { cupsd_stop; rm -rf "$T"; rm -f "$PDFDIR"/Cabin_prescription-job_*.pdf; }
trap cleanup EXIT
cupsd_start "$T"
RX=$T/rx.json
node -e "
const s=require('$SRC/tests/record/session.json');
const rx=Object.assign({}, s.record.prescription, {doctor: s.doctor, advice: s.record.report.advice});
require('fs').writeFileSync('$RX', JSON.stringify(rx));"
ID=$(node -e "console.log(require('$RX').id)")
rm -f "$PDFDIR"/Cabin_prescription-job_*.pdf
check "printed on the cups-pdf printer (job completed)" bash -c "'$BUILD/tests/helpers/print_rx' '$RX' 'Camille TESTPATIENT' 1984-05-12 cabin | grep -qx 'printed|'"
PDF=$(ls -t "$PDFDIR"/Cabin_prescription-job_*.pdf 2>/dev/null | head -1)
if [ -n "$PDF" ]; then
  pdftotext -layout "$PDF" "$T/page.txt"
  pdftoppm -r 100 -png "$PDF" "$ART/prescription"
  cp "$PDF" "$ART/prescription.pdf"
fi
want=$(printf '%s\n' "Dr Claire TESTDOCTEUR" "Médecine générale" "RPPS 10000000001" "Patient : Camille TESTPATIENT" \
  "Né(e) le 1984-05-12" "Téléconsultation du 2026-11-29" "Paracétamol 500 mg" "1 comprimé 3 fois par jour - 5 jours" \
  "Amoxicilline 1 g" "1 comprimé matin et soir - 6 jours" "au milieu des repas" "$ID")
check "the PDF reads the doctor, RPPS, specialty, patient, birth date, date, each line and the id" \
  bash -c "while IFS= read -r l; do grep -qF -- \"\$l\" '$T/page.txt' || { echo \"missing: \$l\"; exit 1; }; done <<<'$want'"
check "the QR code reads the prescription's identifier" bash -c "test \"\$(zbarimg -q --raw '$ART/prescription-1.png' 2>/dev/null)\" = '$ID'"
check "the page is kept as an artefact" test -s "$ART/prescription-1.png"
check "nothing personal in the spool (document files gone, job attributes without names)" \
  bash -c "! ls '$T/spool' | grep -q '^d' && ! grep -rqa -e TESTPATIENT -e Camille -e '$ID' '$T/spool'"
check "a printer that does not exist is told as such" \
  bash -c "'$BUILD/tests/helpers/print_rx' '$RX' 'Camille TESTPATIENT' 1984-05-12 nosuch | grep -q '^no printer|'"
cupsdisable cabin
check "a stopped printer is told offline" \
  bash -c "'$BUILD/tests/helpers/print_rx' '$RX' 'Camille TESTPATIENT' 1984-05-12 cabin | grep -q '^printer offline|'"
cupsenable cabin
check "an unreachable print server is told offline" \
  bash -c "CUPS_SERVER=127.0.0.1:1 '$BUILD/tests/helpers/print_rx' '$RX' 'Camille TESTPATIENT' 1984-05-12 cabin | grep -q '^printer offline|'"
check "cupsd logged the completed job" grep -q 'Job 1\] Job completed' "$T/log/error_log"
exit $failed
