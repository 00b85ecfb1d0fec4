"""The physical limit for audcheck's protocol benchmark: the adapter's own verify() (the
library plus its option mapping) over the same requests, in a plain loop, no protocol.
Usage: python loop.py REQUESTS.jsonl ROUNDS  -> prints cases per second."""
import json
import sys
import time

import adapter

msgs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 5
start = time.perf_counter()
for _ in range(rounds):
    for m in msgs:
        adapter.verify(m)
secs = time.perf_counter() - start
print(json.dumps({"cases": len(msgs) * rounds, "seconds": secs, "per_second": len(msgs) * rounds / secs}))
