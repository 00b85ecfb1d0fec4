// The physical limit for audcheck's protocol benchmark: the adapter's own verify() (the
// library plus its option mapping) over the same requests, in a plain loop, no protocol.
// Usage: node loop.js REQUESTS.jsonl ROUNDS  -> prints cases per second.
'use strict';
const fs = require('fs');
const { verify } = require('./adapter.js');
const [file, rounds] = [process.argv[2], Number(process.argv[3] || 5)];
const msgs = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const start = process.hrtime.bigint();
for (let r = 0; r < rounds; r++) for (const m of msgs) verify(m);
const secs = Number(process.hrtime.bigint() - start) / 1e9;
console.log(JSON.stringify({ cases: msgs.length * rounds, seconds: secs, per_second: (msgs.length * rounds) / secs }));
