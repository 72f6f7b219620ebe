#!/usr/bin/env python3
# Fills queue "deep" of a running Queue (PORT) with N messages (batches of 100, keep-alive),
# then times 20 GET /metrics and 20 GET /api/v1/queues/deep: what a scrape and a stats call
# cost with N messages waiting. Usage: scripts/bench-stats-scrape.py PORT N
import http.client, json, sys, time, statistics
port, n = int(sys.argv[1]), int(sys.argv[2])
c = http.client.HTTPConnection("127.0.0.1", port)
def req(method, path, body=None):
    c.request(method, path, body=json.dumps(body) if body is not None else None,
              headers={"Content-Type": "application/json"} if body is not None else {})
    r = c.getresponse(); data = r.read(); return r.status, data
req("PUT", "/api/v1/queues/deep")
batch = {"messages": [{"body": "x" * 64} for _ in range(100)]}
t = time.time()
for _ in range(n // 100):
    s, _ = req("POST", "/api/v1/queues/deep/messages", batch)
    assert s == 201, s
print(f"filled {n} in {time.time()-t:.1f} s")
print(req("GET", "/api/v1/queues/deep")[1].decode())
for path in ["/metrics", "/api/v1/queues/deep"]:
    times = []
    for _ in range(20):
        t = time.perf_counter(); s, d = req("GET", path); times.append((time.perf_counter() - t) * 1000); assert s == 200
    times.sort()
    print(f"GET {path}: median {statistics.median(times):.2f} ms, max {times[-1]:.2f} ms ({len(d)} bytes)")
