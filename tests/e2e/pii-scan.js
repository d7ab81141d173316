// pii-scan.js — searches the cabin's data files (cabin.db, -wal, -journal, -shm) for
// personal data left behind: each term in UTF-8, UTF-16LE and UTF-16BE, as given,
// upper and lower case. Prints what it finds; exit 1 if anything, 2 if no database.
// Usage: node pii-scan.js DATA_DIR TERM...
'use strict';
const fs = require('fs');
const path = require('path');
const [dir, ...terms] = process.argv.slice(2);
const files = ['cabin.db', 'cabin.db-wal', 'cabin.db-journal', 'cabin.db-shm']
  .map(f => path.join(dir, f)).filter(f => fs.existsSync(f));
if (!files.includes(path.join(dir, 'cabin.db'))) {
  console.log(`no cabin.db in ${dir}`);
  process.exit(2);
}
const needles = [];
for (const t of terms)
  for (const v of new Set([t, t.toUpperCase(), t.toLowerCase()])) {
    needles.push([v, 'utf-8', Buffer.from(v, 'utf8')]);
    needles.push([v, 'utf-16le', Buffer.from(v, 'utf16le')]);
    needles.push([v, 'utf-16be', Buffer.from(v, 'utf16le').swap16()]);
  }
let found = 0;
for (const f of files) {
  const data = fs.readFileSync(f);
  for (const [v, enc, b] of needles) {
    const at = data.indexOf(b);
    if (at >= 0) {
      console.log(`${path.basename(f)}: '${v}' (${enc}) at byte ${at}`);
      found++;
    }
  }
}
console.log(`${files.map(f => path.basename(f)).join(', ')}: ${found ? found + ' finds' : 'clean'}`);
process.exit(found ? 1 : 0);
