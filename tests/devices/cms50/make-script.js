// make-script.js — writes the umockdev script (umockdev's script-format.txt) of a CMS50
// session from the captured traffic in DIR/fixtures: the host's start command, the
// device's 7-packet stream 300 ms later, and the stop command the driver sends on close.
// Usage: node make-script.js DIR > cms50.script
const fs = require("fs");
const enc = (hexfile) => {
  const b = Buffer.from(fs.readFileSync(hexfile, "utf8").split("\n").filter(l => !l.startsWith("#")).join(" ").replace(/\s+/g, ""), "hex");
  let s = "";
  for (const x of b) s += x <= 32 ? "^" + String.fromCharCode(x + 64) : x === 94 ? "^`" : String.fromCharCode(x);
  return Buffer.from(s, "latin1");
};
const [dir] = process.argv.slice(2);
const parts = [Buffer.from("w 0 "), enc(dir + "/fixtures/cmd_0xA1_start_realtime.hex"), Buffer.from("\nr 300 "),
  enc(dir + "/fixtures/realtime_stream_7pkts_spo2_97_pr_65.hex"), Buffer.from("\nw 0 "),
  Buffer.from([0x7d, 0x81, 0xa2, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80]), Buffer.from("\n")];
process.stdout.write(Buffer.concat(parts));
