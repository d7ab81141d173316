// gather.js — merges benchmark JSON lines into one object and prints a table.
// Usage: node gather.js LINES_FILE OUT_JSON
'use strict';
const fs = require('fs');
const [linesFile, out] = process.argv.slice(2);
const figures = {};
for (const line of fs.readFileSync(linesFile, 'utf8').split('\n')) {
  if (!line.trim()) continue;
  try {
    const f = JSON.parse(line);
    if (typeof f.name === 'string' && typeof f.value === 'number')
      figures[f.name] = { value: f.value, unit: String(f.unit || ''), note: String(f.note || '') };
  } catch (e) { /* not a figure line */ }
}
fs.writeFileSync(out, JSON.stringify(figures, null, 2) + '\n');
const names = Object.keys(figures).sort();
const w = Math.max(10, ...names.map(n => n.length));
console.log('figure'.padEnd(w) + '  ' + 'value'.padStart(12) + '  unit        note');
for (const n of names) {
  const f = figures[n];
  const v = Number.isInteger(f.value) ? String(f.value) : f.value.toFixed(3);
  console.log(n.padEnd(w) + '  ' + v.padStart(12) + '  ' + f.unit.padEnd(10) + '  ' + f.note);
}
console.log(`\n${names.length} figures written to ${out}`);
