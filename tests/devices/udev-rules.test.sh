#!/usr/bin/env bash
# assets/udev/70-cabin-instruments.rules covers every instrument of
# tests/devices/usb_ids.json (copied from the shared fixtures; sources per entry)
# by VID:PID, or PHDC by interface class; every rule line is well formed. TAP.
set -uo pipefail
: "${CABIN_SRC:?}"
rules=$CABIN_SRC/assets/udev/70-cabin-instruments.rules
node -e '
const fs = require("fs");
const ids = JSON.parse(fs.readFileSync(process.argv[1]));
const rules = fs.readFileSync(process.argv[2], "utf8").split("\n").filter(l => l && !l.startsWith("#"));
const out = []; let bad = 0;
const covered = (vid, pid) => rules.some(l => {
  const v = /ATTRS\{idVendor\}=="([0-9a-f]+)"/.exec(l), p = /ATTRS\{idProduct\}=="([0-9a-f|]+)"/.exec(l);
  return v && v[1] === vid && (pid === null || (p && p[1].split("|").includes(pid)));
});
for (const d of ids) {
  const phdc = /PHDC/.test(d.transport);
  const ok = covered(d.vid, d.pid) || (phdc && rules.some(l => l.includes("ID_USB_INTERFACES") && l.includes(":0f")));
  out.push((ok ? "ok" : "not ok") + " - " + d.vid + ":" + (d.pid || "*") + " " + d.device);
  bad += !ok;
}
const wellFormed = rules.every(l => /^(ACTION|SUBSYSTEM|LABEL)/.test(l) && (l.startsWith("LABEL") || l.startsWith("ACTION") || /GROUP="cabin"/.test(l)));
out.push((wellFormed ? "ok" : "not ok") + " - every rule grants group cabin");
const phdcRule = rules.some(l => /ID_USB_INTERFACES.*:0f\?\?\?\?:/.test(l) && /MODE="0660"/.test(l));
out.push((phdcRule ? "ok" : "not ok") + " - PHDC class 0x0F devices matched by interface class");
console.log("1.." + out.length);
out.forEach((l, i) => console.log(l.replace(/^(ok|not ok) - /, "$1 " + (i + 1) + " - ")));
process.exit(bad || !wellFormed || !phdcRule ? 1 : 0);
' "$CABIN_SRC/tests/devices/usb_ids.json" "$rules"
