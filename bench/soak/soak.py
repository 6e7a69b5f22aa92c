#!/usr/bin/env python3
"""Soak load for `script/bench soak` (issue #17): mixed traffic through the cluster's nginx for --seconds,
one PostgreSQL restart and one Redis restart in the middle (commands given by script/bench, which owns the
processes), and every 10 s a sample of what the client saw (requests, errors, p50/p99) and what the
instances hold (RSS, open file descriptors), written to a CSV and drawn as an SVG chart.

Traffic, by weight: completions plain (30) and streamed (15) of mk/echo, chat turns in a few conversations
(15), asset reads (20) and writes (10), logins (10). A request counts as an error when it does not answer
2xx (or its stream does not end with [DONE]); errors inside an outage window (from the stop until 15 s after
the dependency is back) are expected and counted apart.
Standard library only."""
import argparse
import http.client
import json
import os
import random
import subprocess
import sys
import threading
import time

SAMPLE_S = 10
GRACE_S = 15  # after a dependency is back, errors still count to its outage window


def parse():
    p = argparse.ArgumentParser()
    p.add_argument("--url-port", type=int, required=True)  # nginx
    p.add_argument("--pids", required=True)  # comma-separated instance pids
    p.add_argument("--seconds", type=int, default=600)
    p.add_argument("--workers", type=int, default=6)
    p.add_argument("--admin-email", default="admin@example.com")
    p.add_argument("--admin-password", required=True)
    p.add_argument("--mock-url", required=True)
    p.add_argument("--pg-stop", required=True)
    p.add_argument("--pg-start", required=True)
    p.add_argument("--redis-stop", required=True)
    p.add_argument("--redis-start", required=True)
    p.add_argument("--csv", required=True)
    p.add_argument("--svg", required=True)
    return p.parse_args()


class Client:
    def __init__(self, port):
        self.port = port
        self.conn = None

    def call(self, method, path, body=None, token=None, stream=False):
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = "Bearer " + token
        data = json.dumps(body).encode() if body is not None else None
        for attempt in (0, 1):
            try:
                if self.conn is None:
                    self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                self.conn.request(method, path, body=data, headers=headers)
                r = self.conn.getresponse()
                raw = r.read()
                if r.getheader("connection", "").lower() == "close":
                    self.conn.close()
                    self.conn = None
                return r.status, raw
            except (OSError, http.client.HTTPException):
                if self.conn:
                    self.conn.close()
                self.conn = None
                if attempt == 1 or method != "GET":
                    return 0, b""
        return 0, b""


def must(status, raw, what):
    if status // 100 != 2:
        sys.exit(f"soak setup: {what}: {status} {raw[:300]!r}")
    return json.loads(raw) if raw else {}


class Recorder:
    def __init__(self):
        self.mu = threading.Lock()
        self.rows = []  # (end time, ms, ok, op)

    def add(self, t, ms, ok, op):
        with self.mu:
            self.rows.append((t, ms, ok, op))

    def take(self):
        with self.mu:
            out, self.rows = self.rows, []
        return out


def proc_sample(pids):
    rss = fds = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        rss += int(line.split()[1])
            fds += len(os.listdir(f"/proc/{pid}/fd"))
        except OSError:
            pass
    return rss, fds


def pct(values, p):
    if not values:
        return 0.0
    v = sorted(values)
    i = max(0, min(len(v) - 1, int((p * len(v) + 99) // 100) - 1))
    return v[i]


def main():
    a = parse()
    pids = [int(x) for x in a.pids.split(",") if x]
    c = Client(a.url_port)
    admin = must(*c.call("POST", "/api/auth/login", {"email": a.admin_email, "password": a.admin_password}), "admin login")
    atok = admin["accessToken"]
    must(*c.call("POST", "/api/providers", {"id": "mk", "name": "mk", "apiEndpoint": a.mock_url + "/v1",
                                            "authType": "none"}, atok), "provider")
    must(*c.call("POST", "/api/models", {"id": "mk/echo", "provider": "mk", "tier": 0, "costPer1kInput": "0.001",
                                         "costPer1kOutput": "0.002", "supportsStreaming": True}, atok), "model")
    users = []
    for i in range(a.workers):
        email = f"soak-{os.getpid()}-{i}@example.com"
        must(*c.call("POST", "/api/admin/users", {"email": email, "name": "Soak", "password": "password-123",
                                                  "role": "user", "tier": "unlimited"}, atok), "user")
        s = must(*c.call("POST", "/api/auth/login", {"email": email, "password": "password-123"}), "user login")
        users.append((email, s["accessToken"]))

    rec = Recorder()
    stop = threading.Event()
    windows = []  # [label, start, end or None]
    wmu = threading.Lock()

    def worker(i):
        h = Client(a.url_port)
        email, token = users[i]
        conv = None
        n = 0
        rnd = random.Random(i)
        ops = ["plain"] * 30 + ["stream"] * 15 + ["chat"] * 15 + ["read"] * 20 + ["write"] * 10 + ["login"] * 10
        while not stop.is_set():
            op = rnd.choice(ops)
            n += 1
            t0 = time.monotonic()
            ok = False
            if op in ("plain", "stream"):
                body = {"model": "mk/echo", "messages": [{"role": "user", "content": f"soak {i} {n}"}]}
                if op == "stream":
                    body["stream"] = True
                st, raw = h.call("POST", "/v1/chat/completions", body, token)
                ok = st == 200 and (op == "plain" or raw.rstrip().endswith(b"data: [DONE]"))
            elif op == "chat":
                body = {"message": f"turn {n}", "model": "mk/echo"}
                if conv and n % 20:
                    body["conversationId"] = conv
                st, raw = h.call("POST", "/api/chat/messages", body, token)
                ok = st == 200
                if ok:
                    try:
                        conv = json.loads(raw).get("conversationId", conv)
                    except ValueError:
                        ok = False
            elif op == "read":
                st, _ = h.call("GET", "/api/v1/assets?limit=20", None, atok)
                ok = st == 200
            elif op == "write":
                st, _ = h.call("POST", "/api/v1/assets", {"assetCode": f"SOAK-{os.getpid()}-{i}-{n}",
                                                         "status": "in_use"}, atok)
                ok = st == 201
            else:
                st, raw = h.call("POST", "/api/auth/login", {"email": email, "password": "password-123"})
                ok = st == 200
                if ok:
                    token = json.loads(raw)["accessToken"]
            t1 = time.monotonic()
            rec.add(t1, (t1 - t0) * 1000.0, ok, op)
            time.sleep(0.002)

    def outage(label, stop_cmd, start_cmd, down_s):
        w = [label, time.monotonic(), None]
        with wmu:
            windows.append(w)
        subprocess.run(stop_cmd, shell=True, check=False)
        time.sleep(down_s)
        subprocess.run(start_cmd, shell=True, check=False)
        w[2] = time.monotonic() + GRACE_S

    def in_window(t):
        with wmu:
            for label, s, e in windows:
                if t >= s and (e is None or t < e):
                    return label
        return ""

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(a.workers)]
    start = time.monotonic()
    for t in threads:
        t.start()
    events = [(a.seconds * 0.35, lambda: outage("postgres", a.pg_stop, a.pg_start, 10)),
              (a.seconds * 0.65, lambda: outage("redis", a.redis_stop, a.redis_start, 5))]
    samples = []
    fired = 0
    next_sample = start + SAMPLE_S
    errors_outside = errors_inside = total = 0
    with open(a.csv, "w") as out:
        out.write("t_s,requests,errors,errors_in_outage,p50_ms,p99_ms,rss_kb,fds,outage\n")
        while time.monotonic() - start < a.seconds:
            now = time.monotonic()
            while fired < len(events) and now - start >= events[fired][0]:
                threading.Thread(target=events[fired][1], daemon=True).start()
                fired += 1
            if now < next_sample:
                time.sleep(min(0.2, next_sample - now))
                continue
            next_sample += SAMPLE_S
            rows = rec.take()
            ms = [r[1] for r in rows]
            err_in = sum(1 for r in rows if not r[2] and in_window(r[0]))
            err_out = sum(1 for r in rows if not r[2] and not in_window(r[0]))
            errors_inside += err_in
            errors_outside += err_out
            total += len(rows)
            rss, fds = proc_sample(pids)
            label = in_window(now)
            row = (round(now - start), len(rows), err_out, err_in, round(pct(ms, 50), 1), round(pct(ms, 99), 1),
                   rss, fds, label)
            samples.append(row)
            out.write(",".join(str(x) for x in row) + "\n")
            out.flush()
            print("soak: t=%4ds  %5d req  %3d err (+%d in outage)  p50 %6.1f ms  p99 %7.1f ms  rss %7d kB  fds %4d %s"
                  % row, flush=True)
    stop.set()
    for t in threads:
        t.join(timeout=35)
    draw(a.svg, samples, windows, start)
    first, last = samples[0] if samples else None, samples[-1] if samples else None
    print(f"soak: {total} requests, {errors_outside} errors outside the outage windows, {errors_inside} inside")
    if first and last:
        print(f"soak: RSS {first[6]} kB -> {last[6]} kB, fds {first[7]} -> {last[7]} (first and last sample)")
    with wmu:
        for label, s, e in windows:
            print(f"soak: {label} outage window {s - start:.0f}-{(e or time.monotonic()) - start:.0f} s")
    return 0 if errors_outside == 0 else 1


def draw(path, samples, windows, start):
    """Three panels over time: p50/p99 (ms, log-free linear), requests and errors per 10 s, RSS (MB) and fds."""
    W, H, L, R, PH, GAP = 900, 620, 70, 70, 160, 40
    if not samples:
        open(path, "w").write("<svg xmlns='http://www.w3.org/2000/svg'/>")
        return
    tmax = max(s[0] for s in samples) or 1
    x = lambda t: L + (W - L - R) * t / tmax
    out = [f"<svg xmlns='http://www.w3.org/2000/svg' width='{W}' height='{H}' font-family='sans-serif' font-size='11'>",
           "<rect width='100%' height='100%' fill='white'/>",
           "<text x='10' y='16' font-size='13'>script/bench soak: three instances behind nginx; shaded: outage windows</text>"]
    panels = [("latency ms", [(4, "#1f77b4", "p50"), (5, "#d62728", "p99")]),
              ("per 10 s", [(1, "#2ca02c", "requests"), (2, "#d62728", "errors"), (3, "#ff7f0e", "errors in outage")]),
              ("RSS MB / fds", [(6, "#9467bd", "RSS MB (sum)"), (7, "#8c564b", "open fds (sum)")])]
    for k, (title, series) in enumerate(panels):
        top = 30 + k * (PH + GAP)
        for label, s, e in windows:
            xs, xe = x(max(0, s - start)), x(min(tmax, (e or start + tmax) - start))
            out.append(f"<rect x='{xs:.1f}' y='{top}' width='{max(1, xe - xs):.1f}' height='{PH}' fill='#eee'/>")
            out.append(f"<text x='{xs + 2:.1f}' y='{top + 12}' fill='#888'>{label}</text>")
        out.append(f"<rect x='{L}' y='{top}' width='{W - L - R}' height='{PH}' fill='none' stroke='#999'/>")
        out.append(f"<text x='{L}' y='{top - 4}'>{title}</text>")
        vals = lambda idx: [(s[idx] / 1024.0 if idx == 6 else s[idx]) for s in samples]
        vmax = max(max(vals(idx)) for idx, _, _ in series) or 1
        out.append(f"<text x='{L - 5}' y='{top + 10}' text-anchor='end'>{vmax:.0f}</text>")
        out.append(f"<text x='{L - 5}' y='{top + PH}' text-anchor='end'>0</text>")
        for j, (idx, colour, name) in enumerate(series):
            pts = " ".join(f"{x(s[0]):.1f},{top + PH - PH * v / vmax:.1f}" for s, v in zip(samples, vals(idx)))
            out.append(f"<polyline fill='none' stroke='{colour}' stroke-width='1.5' points='{pts}'/>")
            out.append(f"<text x='{W - R + 5}' y='{top + 14 + 14 * j}' fill='{colour}'>{name}</text>")
    bottom = 30 + 3 * (PH + GAP) - GAP + 14
    out.append(f"<text x='{L}' y='{bottom}'>0 s</text><text x='{W - R}' y='{bottom}' text-anchor='end'>{tmax} s</text>")
    out.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(out))


if __name__ == "__main__":
    sys.exit(main())
