#!/usr/bin/env python3
"""Soak load for `script/bench soak` (issue #17): mixed traffic through the cluster's nginx for --seconds,
one PostgreSQL restart and one Redis restart in the middle (commands given by script/bench, which owns the
processes), and every 10 s a sample of what the client saw (requests, errors, p50/p99) and what the
instances hold (RSS, open file descriptors), written to a CSV and drawn as an SVG chart.

Traffic, by weight: completions plain (30) and streamed (15) of mk/echo, chat turns in a few conversations
(15), asset reads (20) and writes (10), logins (10). A request counts as an error when it does not answer
2xx (or its stream does not end with [DONE]); errors inside an outage window (from the stop until 15 s after
the dependency is back) are expected and counted apart.

Columns of the CSV, one row per 10 s: the first nine are the whole mix (t_s, requests, errors [outside the
windows], errors_in_outage, p50_ms, p99_ms, rss_kb and fds [sums over the instances], outage [the window the
interval touched, if any]); then per request kind (plain, stream, chat, read = asset list, write = asset
create, login) as the client saw it through nginx: <kind>_n, <kind>_p50_ms, <kind>_p99_ms; then per route as
the instances measured it (their /metrics histograms, difference over the interval, summed over the three;
completion = plain and streamed together): srv_<route>_mean_ms and srv_<route>_p99le_ms (the histogram bucket
bound the 99th percentile falls under); then cpu_host_pct (the whole machine, 100 = one core), cpu_gw_pct
(the instances), cpu_client_pct (this load generator), blocking_jobs and db_waiting (the instances' gauges at
the sample: password hashes queued or running, coroutines waiting for a pooled connection).
Standard library only."""
import argparse
import http.client
import json
import math
import os
import random
import re
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
    p.add_argument("--instance-ports", default="")  # comma-separated, for their /metrics
    p.add_argument("--mix", default="plain=30,stream=15,chat=15,read=20,write=10,login=10")
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


KINDS = ["plain", "stream", "chat", "read", "write", "login"]
# What the instances' /metrics histograms can tell apart: (name, method, route template).
ROUTES = [("completion", "POST", "/v1/chat/completions"), ("chat", "POST", "/api/chat/messages"),
          ("read", "GET", "/api/v1/assets"), ("write", "POST", "/api/v1/assets"), ("login", "POST", "/api/auth/login")]
COLOURS = {"plain": "#1f77b4", "stream": "#17becf", "chat": "#2ca02c", "read": "#9467bd", "write": "#8c564b",
           "login": "#d62728"}
HEADER = (["t_s", "requests", "errors", "errors_in_outage", "p50_ms", "p99_ms", "rss_kb", "fds", "outage"]
          + [f"{k}_{c}" for k in KINDS for c in ("n", "p50_ms", "p99_ms")]
          + [f"srv_{r[0]}_{c}" for r in ROUTES for c in ("mean_ms", "p99le_ms")]
          + ["cpu_host_pct", "cpu_gw_pct", "cpu_client_pct", "blocking_jobs", "db_waiting"])
COL = {name: i for i, name in enumerate(HEADER)}
TICK = os.sysconf("SC_CLK_TCK")


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


def cpu_seconds(pids):
    """(CPU seconds of the pids, busy CPU seconds of the machine, of this process)."""
    gw = 0.0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            gw += (int(fields[11]) + int(fields[12])) / TICK  # utime, stime
        except (OSError, IndexError, ValueError):
            pass
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    busy = (sum(v[:8]) - v[3] - v[4]) / TICK  # all but idle and iowait (guest is inside user)
    t = os.times()
    return gw, busy, t.user + t.system


LABEL_RE = re.compile(r'(\w+)="((?:[^"\\]|\\.)*)"')


def scrape(port, token):
    """One instance's /metrics: {(route name, 'sum'|'count'|le): value}, {'blocking_jobs': n, 'db_waiting': n};
    None when it does not answer."""
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        conn.request("GET", "/metrics", headers={"Authorization": "Bearer " + token})
        r = conn.getresponse()
        text = r.read().decode()
        conn.close()
        if r.status != 200:
            return None
    except (OSError, http.client.HTTPException):
        return None
    by_route = {(m, p): name for name, m, p in ROUTES}
    hist, gauges = {}, {"blocking_jobs": 0.0, "db_waiting": 0.0}
    for line in text.splitlines():
        if line.startswith("blocking_jobs "):
            gauges["blocking_jobs"] = float(line.split()[1])
        elif line.startswith("db_pool_waiting "):
            gauges["db_waiting"] = float(line.split()[1])
        elif line.startswith("http_request_duration_seconds_"):
            head, _, value = line.rpartition(" ")
            part = head[len("http_request_duration_seconds_"):head.index("{")]
            labels = dict(LABEL_RE.findall(head))
            name = by_route.get((labels.get("method"), labels.get("route")))
            if not name:
                continue
            key = (name, part if part != "bucket" else float(labels["le"]))
            hist[key] = hist.get(key, 0.0) + float(value)
    return hist, gauges


def server_stats(prev, cur):
    """Per route name: (mean ms, p99 bucket bound ms) over the difference of two scrapes (summed over instances)."""
    d = {}
    for port, snap in cur.items():
        old = prev.get(port)
        if snap is None or old is None:
            continue
        for key, v in snap[0].items():
            d[key] = d.get(key, 0.0) + v - old[0].get(key, 0.0)
    out = {}
    for name, _, _ in ROUTES:
        n = d.get((name, "count"), 0.0)
        if n <= 0:
            out[name] = ("", "")
            continue
        mean = round(d.get((name, "sum"), 0.0) / n * 1000.0, 1)
        bounds = sorted(k[1] for k in d if k[0] == name and isinstance(k[1], float))
        p99 = "inf"
        for b in bounds:
            if d[(name, b)] >= 0.99 * n:
                p99 = "inf" if b == float("inf") else round(b * 1000.0, 2)
                break
        out[name] = (mean, p99)
    return out


def pct(values, p):
    if not values:
        return 0.0
    v = sorted(values)
    i = max(0, min(len(v) - 1, int((p * len(v) + 99) // 100) - 1))
    return v[i]


def slope(points):
    """Least-squares slope of [(t, v)] (per second); None below three points."""
    if len(points) < 3:
        return None
    n = len(points)
    mt = sum(t for t, _ in points) / n
    mv = sum(v for _, v in points) / n
    den = sum((t - mt) ** 2 for t, _ in points)
    return sum((t - mt) * (v - mv) for t, v in points) / den if den else None


def main():
    a = parse()
    pids = [int(x) for x in a.pids.split(",") if x]
    ports = [int(x) for x in a.instance_ports.split(",") if x]
    ops = []
    for part in a.mix.split(","):
        kind, _, weight = part.partition("=")
        if kind not in KINDS:
            sys.exit(f"soak: unknown kind {kind!r} in --mix (kinds: {', '.join(KINDS)})")
        ops += [kind] * int(weight)
    if not ops:
        sys.exit("soak: empty --mix")
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

    def in_window(t, t_from=None):
        """The window t falls in (or, with t_from, the first one touching [t_from, t]); '' when none."""
        with wmu:
            for label, s, e in windows:
                if (t_from is None and t >= s and (e is None or t < e)) or \
                        (t_from is not None and s <= t and (e is None or e > t_from)):
                    return label
        return ""

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(a.workers)]
    start = time.monotonic()
    scrapes = {p: scrape(p, atok) for p in ports}
    cpu_prev = cpu_seconds(pids)
    for t in threads:
        t.start()
    events = [(a.seconds * 0.35, lambda: outage("postgres", a.pg_stop, a.pg_start, 10)),
              (a.seconds * 0.65, lambda: outage("redis", a.redis_stop, a.redis_start, 5))]
    samples = []
    calm = {k: [] for k in KINDS}  # every latency outside the outage windows, per kind
    fired = 0
    next_sample = start + SAMPLE_S
    errors_outside = errors_inside = total = 0
    with open(a.csv, "w") as out:
        out.write(",".join(HEADER) + "\n")
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
            cpu_now = cpu_seconds(pids)
            gw_pct, host_pct, client_pct = (round((cpu_now[j] - cpu_prev[j]) / SAMPLE_S * 100.0) for j in range(3))
            cpu_prev = cpu_now
            cur = {p: scrape(p, atok) for p in ports}
            srv = server_stats(scrapes, cur)
            scrapes = {p: cur[p] or scrapes[p] for p in ports}
            gauges = [sum(s[1][g] for s in cur.values() if s) for g in ("blocking_jobs", "db_waiting")]
            ms = [r[1] for r in rows]
            err_in = sum(1 for r in rows if not r[2] and in_window(r[0]))
            err_out = sum(1 for r in rows if not r[2] and not in_window(r[0]))
            errors_inside += err_in
            errors_outside += err_out
            total += len(rows)
            rss, fds = proc_sample(pids)
            label = in_window(now, now - SAMPLE_S)
            row = [round(now - start), len(rows), err_out, err_in, round(pct(ms, 50), 1), round(pct(ms, 99), 1),
                   rss, fds, label]
            for k in KINDS:
                km = [r[1] for r in rows if r[3] == k]
                if not label:
                    calm[k] += km
                row += [len(km), round(pct(km, 50), 1), round(pct(km, 99), 1)]
            for name, _, _ in ROUTES:
                row += list(srv[name])
            row += [host_pct, gw_pct, client_pct] + [int(g) for g in gauges]
            samples.append(row)
            out.write(",".join(str(x) for x in row) + "\n")
            out.flush()
            print("soak: t=%4ds %5d req %3d err (+%d in outage) p50 %6.1f p99 %7.1f ms | p99 " % tuple(row[:6])
                  + " ".join(f"{k} {row[COL[k + '_p99_ms']]:.0f}" for k in KINDS)
                  + " | rss %d kB fds %d cpu host %d%% gw %d%% client %d%% %s"
                  % (rss, fds, host_pct, gw_pct, client_pct, label), flush=True)
    stop.set()
    for t in threads:
        t.join(timeout=35)
    draw(a.svg, samples, windows, start)
    print(f"soak: {total} requests, {errors_outside} errors outside the outage windows, {errors_inside} inside")
    if samples:
        first, last = samples[0], samples[-1]
        print(f"soak: RSS {first[6]} kB -> {last[6]} kB, fds {first[7]} -> {last[7]} (first and last sample)")
        quiet = [s for s in samples if not s[8]]
        for idx, what, unit, scale in ((6, "RSS", "MB", 1 / 1024.0), (7, "fds", "", 1.0)):
            k = slope([(s[0], s[idx] * scale) for s in quiet])
            if k is not None:
                vals = [s[idx] * scale for s in quiet]
                print(f"soak: {what} over the {len(quiet)} samples outside the windows: {min(vals):.0f}-{max(vals):.0f}"
                      f" {unit}, least-squares slope {k * 600:+.1f} {unit} per 10 min")
    for k in KINDS:
        v = calm[k]
        if v:
            print(f"soak: {k:6s} outside the windows: {len(v):6d} requests, p50 {pct(v, 50):6.1f} ms, "
                  f"p99 {pct(v, 99):7.1f} ms, max {max(v):7.1f} ms")
    with wmu:
        for label, s, e in windows:
            print(f"soak: {label} outage window {s - start:.0f}-{(e or time.monotonic()) - start:.0f} s")
    return 0 if errors_outside == 0 else 1


def draw(path, samples, windows, start):
    """Six panels over time, outage windows shaded: p99 and p50 per kind (log scale), requests and errors per
    10 s, CPU (host, instances, load generator), RSS of the instances, their open fds."""
    W, L, R, PH, GAP, TOP = 960, 70, 130, 130, 42, 40
    panels = [
        ("p99 per kind, ms (log scale)", True, [(COL[k + "_p99_ms"], COLOURS[k], k) for k in KINDS]),
        ("p50 per kind, ms (log scale)", True, [(COL[k + "_p50_ms"], COLOURS[k], k) for k in KINDS]),
        ("requests and errors per 10 s", False, [(1, "#2ca02c", "requests"), (2, "#d62728", "errors"),
                                                 (3, "#ff7f0e", "errors in outage")]),
        ("CPU % (100 = one core; the machine has 2)", False, [(COL["cpu_host_pct"], "#333", "machine"),
                                                             (COL["cpu_gw_pct"], "#1f77b4", "3 instances"),
                                                             (COL["cpu_client_pct"], "#ff7f0e", "load generator")]),
        ("RSS of the 3 instances, MB", False, [(6, "#9467bd", "RSS MB")]),
        ("open fds of the 3 instances", False, [(7, "#8c564b", "fds")]),
    ]
    H = TOP + len(panels) * (PH + GAP) + 10
    if not samples:
        open(path, "w").write("<svg xmlns='http://www.w3.org/2000/svg'/>")
        return
    tmax = max(s[0] for s in samples) or 1
    x = lambda t: L + (W - L - R) * t / tmax
    out = [f"<svg xmlns='http://www.w3.org/2000/svg' width='{W}' height='{H}' font-family='sans-serif' font-size='11'>",
           "<rect width='100%' height='100%' fill='white'/>",
           "<text x='10' y='16' font-size='13'>script/bench soak: three instances behind nginx, samples every 10 s;"
           " shaded: outage windows (stop to 15 s after restart)</text>"]

    def value(s, idx):
        v = s[idx]
        if v == "" or v is None:
            return None
        return v / 1024.0 if idx == 6 else float(v)

    for k, (title, log, series) in enumerate(panels):
        top = TOP + k * (PH + GAP)
        for label, s, e in windows:
            xs, xe = x(max(0, s - start)), x(min(tmax, (e or start + tmax) - start))
            out.append(f"<rect x='{xs:.1f}' y='{top}' width='{max(1, xe - xs):.1f}' height='{PH}' fill='#eee'/>")
            out.append(f"<text x='{xs + 2:.1f}' y='{top + 12}' fill='#888'>{label}</text>")
        out.append(f"<rect x='{L}' y='{top}' width='{W - L - R}' height='{PH}' fill='none' stroke='#999'/>")
        out.append(f"<text x='{L}' y='{top - 5}'>{title}</text>")
        vs = [v for idx, _, _ in series for s in samples for v in [value(s, idx)] if v is not None]
        vmax = max(vs + [1.0])
        if log:
            lo, hi = 0.0, math.ceil(math.log10(max(vmax, 10.0)))  # decades 1 ms .. 10^hi ms
            y = lambda v: top + PH - PH * (math.log10(max(v, 1.0)) - lo) / (hi - lo)
            ticks = [10 ** d for d in range(int(lo), int(hi) + 1)]
        else:
            y = lambda v: top + PH - PH * v / vmax
            ticks = [0, vmax / 2, vmax]
        for tv in ticks:
            ty = y(tv)
            out.append(f"<line x1='{L}' x2='{W - R}' y1='{ty:.1f}' y2='{ty:.1f}' stroke='#ddd'/>")
            out.append(f"<text x='{L - 5}' y='{ty + 4:.1f}' text-anchor='end'>{tv:.0f}</text>")
        for j, (idx, colour, name) in enumerate(series):
            pts = " ".join(f"{x(s[0]):.1f},{y(v):.1f}" for s in samples for v in [value(s, idx)] if v is not None)
            out.append(f"<polyline fill='none' stroke='{colour}' stroke-width='1.4' points='{pts}'/>")
            out.append(f"<text x='{W - R + 8}' y='{top + 12 + 14 * j}' fill='{colour}'>{name}</text>")
        for t in range(0, int(tmax) + 1, 60):
            out.append(f"<text x='{x(t):.1f}' y='{top + PH + 12}' text-anchor='middle' fill='#666'>{t} s</text>")
    out.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(out))


if __name__ == "__main__":
    sys.exit(main())
