# cupsd.sh — a private CUPS server for the print tests (sourced): cupsd with its own
# configuration, spool, state and logs under DIR, on a free loopback port, with
# Debian's cups-pdf as the printer `cabin` (its PDFs land in $CUPSD_PDFDIR, cups-pdf's
# default Out for root, /etc/cups/cups-pdf.conf). Needs root (cupsd runs its filters
# as lp) and cupsd, lpadmin, lpstat.
# cupsd_start DIR: starts it, exports CUPS_SERVER, sets CUPSD (pid); 0 when the printer
# is there. cupsd_stop: ends it.
CUPSD=
CUPSD_PDFDIR=${HOME:-/root}/PDF
cupsd_start() {
  local T=$1 port
  mkdir -p "$T/conf" "$T/spool/tmp" "$T/cache" "$T/state" "$T/log"
  chmod 755 "$T" "$T/conf" "$T/spool" "$T/cache" "$T/state" "$T/log"; chmod 1777 "$T/spool/tmp"
  port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
  cat >"$T/conf/cupsd.conf" <<CONF
Listen 127.0.0.1:$port
LogLevel info
WebInterface No
Browsing No
DefaultAuthType None
PreserveJobFiles No
PreserveJobHistory Yes
<Location />
  Order allow,deny
  Allow all
</Location>
<Policy default>
  <Limit All>
    Order deny,allow
  </Limit>
</Policy>
CONF
  cat >"$T/conf/cups-files.conf" <<CONF
ServerRoot $T/conf
RequestRoot $T/spool
TempDir $T/spool/tmp
CacheDir $T/cache
StateDir $T/state
ErrorLog $T/log/error_log
AccessLog $T/log/access_log
PageLog $T/log/page_log
ServerBin /usr/lib/cups
DataDir /usr/share/cups
User lp
Group lp
FileDevice No
CONF
  cupsd -f -c "$T/conf/cupsd.conf" -s "$T/conf/cups-files.conf" >"$T/log/stdout" 2>&1 &
  CUPSD=$!
  export CUPS_SERVER=127.0.0.1:$port
  for _ in $(seq 100); do lpstat -r 2>/dev/null | grep -q "is running" && break; sleep 0.1; done
  lpadmin -p cabin -E -v cups-pdf:/ -P /usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd 2>/dev/null
}
cupsd_stop() { [ -n "$CUPSD" ] && kill "$CUPSD" 2>/dev/null; wait "$CUPSD" 2>/dev/null; CUPSD=; }
