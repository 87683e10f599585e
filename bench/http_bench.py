"""The web app under load, as it runs in production: gunicorn, real HTTP, a network of 10,000.

    .venv/bin/python bench/http_bench.py [--postgres] [--colleagues 10000] [--duration 10]
                                         [--connections 4] [--workers 2]

For each database (a SQLite file in a temporary folder; with ``--postgres`` also a
throwaway PostgreSQL cluster, see ``tests/pgserver.py``) it migrates, creates a member,
bulk-loads N realistic colleagues (``bench/match_bench.py``'s generator) with their
``changes`` rows and some connections, then starts the Procfile's web process on a free
loopback port (``tests/webprocess.py``: the Procfile's ``web`` line with ``PORT`` and
``WEB_CONCURRENCY`` set; gunicorn loads the network state before it opens the port)

and drives it with ``wrk`` (Debian package ``wrk``), one scenario at a time:

* ``GET /api/openapi.json``: the baseline, no database (ratios are against it);
* ``POST /api/handoffs``: a new outgoing client (varied, realistic needs) stored and ranked;
* ``GET /api/handoffs/<id>/candidates``: ranking again for one of 200 handoffs;
* ``GET /handoffs/<id>``: the HTML page with the candidates (session cookie from a login).

A Lua ``done`` hook prints each run's request count, latency percentiles and status
counts; any non-2xx answer or socket error is reported (and makes the exit status 1).
The first requests after the start are timed separately (they should be as fast as later ones).
Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from match_bench import FIRST, INDUSTRIES, LAST, make_profiles, make_requests
from sqlalchemy import insert, select

from referral.adapters import migrate, orm
from referral.adapters.db import make_engine, make_session_factory
from referral.adapters.orm import start_mappers
from referral.adapters.uow import UnitOfWork
from referral.services.members import create_member
from tests.webprocess import WebProcess

MEMBER_EMAIL, MEMBER_PASSWORD = "bench.member@example.org", "bench-pass-1"
SECRET = "http-bench-secret"
HANDOFFS = 200  # handoffs the read scenarios pick from
BODIES = 500  # distinct POST bodies

# Each wrk thread counts statuses in its own Lua state; ``done`` adds them up.
LUA = r"""
local items = {ITEMS}
local method, headers = "METHOD", {HEADERS}
local threads, next_id = {}, 0
n2, n3, n4, n5, i = 0, 0, 0, 0, 0

function setup(thread)
  next_id = next_id + 1
  thread:set("i", next_id * 97)
  table.insert(threads, thread)
end

function request()
  i = i + 1
  local item = items[i % #items + 1]
  return wrk.format(method, item[1], headers, item[2])
end

function response(status, hdrs, body)
  if status < 300 then n2 = n2 + 1 elseif status < 400 then n3 = n3 + 1
  elseif status < 500 then n4 = n4 + 1 else n5 = n5 + 1 end
end

function done(summary, latency, requests)
  local s = {0, 0, 0, 0}
  for _, t in ipairs(threads) do
    s[1] = s[1] + t:get("n2"); s[2] = s[2] + t:get("n3"); s[3] = s[3] + t:get("n4"); s[4] = s[4] + t:get("n5")
  end
  local e = summary.errors
  io.write(string.format(
    "WRKRESULT {\"requests\": %d, \"duration_us\": %d, \"p50_us\": %d, \"p90_us\": %d, \"p99_us\": %d, " ..
    "\"max_us\": %d, \"s2xx\": %d, \"s3xx\": %d, \"s4xx\": %d, \"s5xx\": %d, \"socket_errors\": %d}\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, s[1], s[2], s[3], s[4],
    e.connect + e.read + e.write + e.timeout))
end
"""


def lua_string(s: str) -> str:
    return "[==[" + s + "]==]"


def lua_script(method: str, items: list[tuple[str, str]], headers: dict[str, str]) -> str:
    rows = ",\n  ".join("{" + lua_string(path) + ", " + (lua_string(body) if body else "nil") + "}"
                        for path, body in items)
    hdrs = ", ".join(f"[ {lua_string(k)} ] = {lua_string(v)}" for k, v in headers.items())
    return (LUA.replace("{ITEMS}", "{\n  " + rows + "\n}").replace("METHOD", method)
            .replace("{HEADERS}", "{" + hdrs + "}"))


# --- the database ----------------------------------------------------------------------------------


def handoff_bodies(n: int, rng: random.Random) -> list[dict]:
    """Realistic POST /api/handoffs bodies: match_bench's client requests, dressed as handoffs."""
    out = []
    for k, (need, reasons) in enumerate(make_requests(n, rng)):
        client = {"name": f"{rng.choice(FIRST)} {rng.choice(LAST)}", "email": f"client{k}@example.net",
                  "needs": need.needs, "company": f"{rng.choice(LAST)} {rng.choice(INDUSTRIES).title()}"}
        if need.industry:
            client["industry"] = need.industry
        if need.location:
            client["location"] = need.location
        if rng.random() < 0.5:
            client["budget"] = rng.choice(["500 EUR a month", "about 2k", "GBP 150/hour", "fixed price, 4,000"])
        out.append({
            "client": client,
            "reasons": sorted(reasons),
            "facts": [{"date": (date(2026, 10, 1) + timedelta(days=rng.randint(0, 50))).isoformat(),
                       "text": "Invoice paid 40 days late after two reminders."}],
            "disclosure": "Pays late more often than not, and asks for work outside the agreed scope.",
            "exit_strategy": rng.choice(["take_blame", "refer_elsewhere", "bow_out"]),
            "finish_by": None,
        })
    return out


def populate(url: str, n: int, seed: int) -> tuple[str, float]:
    """Migrate, create the member, bulk-load n colleagues and connections; returns (token, seconds)."""
    t0 = time.perf_counter()
    migrate.upgrade(url)
    start_mappers()
    engine = make_engine(url)
    now = datetime.now().replace(microsecond=0)
    _, token = create_member(UnitOfWork(make_session_factory(engine)), "Bench Member", MEMBER_EMAIL,
                             MEMBER_PASSWORD, now, colleague_fields={"specialties": ["bookkeeping"]})
    rng = random.Random(seed)
    with engine.begin() as conn:
        me = conn.scalar(select(orm.colleagues.c.id).where(orm.colleagues.c.email == MEMBER_EMAIL))
        conn.execute(insert(orm.colleagues), [{
            "name": p.name, "email": f"{p.name.lower().replace(' ', '.')}.{p.id}@example.org",
            "specialties": list(p.specialties), "target_clientele": p.target_clientele, "capacity": p.capacity,
            "location": p.location, "remote": p.remote, "dealbreakers": sorted(p.dealbreakers),
            "paused_until": p.paused_until, "added_by_id": me, "created_at": now, "updated_at": now,
        } for p in make_profiles(n, rng)])
        ids = list(conn.scalars(select(orm.colleagues.c.id).where(orm.colleagues.c.id != me)))
        pairs = {tuple(sorted((me, c))) for c in rng.sample(ids, k=min(len(ids), 60))}
        while len(pairs) < 60 + 3 * len(ids):  # about 6 acquaintances each
            a, b = rng.sample(ids, 2)
            pairs.add((min(a, b), max(a, b)))
        conn.execute(insert(orm.connections), [{"a_id": a, "b_id": b, "created_at": now} for a, b in pairs])
        # what an import would have written: every process's index follows these rows
        conn.execute(insert(orm.changes), [{"topic": "colleague", "ref_id": i, "at": now} for i in ids])
    engine.dispose()
    return token, time.perf_counter() - t0


# --- the server --------------------------------------------------------------------------------------


class Server(WebProcess):
    """The Procfile's ``web`` process (gunicorn with ``gunicorn.conf.py``) on a free loopback port."""

    def __init__(self, url: str, workers: int):
        super().__init__({"DATABASE_URL": url, "SECRET_KEY": SECRET}, workers=workers, start_timeout=600)


def call(base: str, path: str, token: str | None = None, body: dict | None = None, opener=None) -> tuple[int, bytes]:
    req = urllib.request.Request(base + path, data=json.dumps(body).encode() if body is not None else None)
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    if body is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with (opener or urllib.request.build_opener()).open(req, timeout=120) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()


def warm_up(base: str, token: str, body: dict, workers: int) -> tuple[float, float]:
    """Send one ranking request per worker at once (each loads its index); (slowest, a warm one) in s."""
    status, raw = call(base, "/api/handoffs", token, body)  # also warms one worker
    assert status == 201, raw[:300]
    handoff_id = json.loads(raw)["id"]
    times: list[float] = []

    def one():
        t = time.perf_counter()
        status, raw = call(base, f"/api/handoffs/{handoff_id}/candidates", token)
        assert status == 200, raw[:300]
        times.append(time.perf_counter() - t)

    first = time.perf_counter()
    call(base, f"/api/handoffs/{handoff_id}/candidates", token)
    threads = [threading.Thread(target=one) for _ in range(workers * 2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    slowest = time.perf_counter() - first
    for _ in range(workers * 2):
        one()
    return slowest, min(times)


def session_cookie(base: str) -> str:
    """Log in through the form (with its CSRF token) and return the Cookie header value."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/login", timeout=30).read().decode()
    csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    form = {"email": MEMBER_EMAIL, "password": MEMBER_PASSWORD, **({"csrf_token": csrf.group(1)} if csrf else {})}
    opener.open(base + "/login", data=urllib.parse.urlencode(form).encode(), timeout=30).read()
    cookies = "; ".join(f"{c.name}={c.value}" for c in jar)
    if "session=" not in cookies and "remember_token=" not in cookies:
        raise SystemExit("could not log in to the bench server")
    return cookies


# --- wrk ----------------------------------------------------------------------------------------------


def wrk(base: str, script: str, folder: Path, duration: int, connections: int, threads: int) -> dict:
    lua = folder / f"scenario{len(list(folder.glob('*.lua')))}.lua"
    lua.write_text(script)
    out = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout", "30s", "-s", str(lua), base],
        capture_output=True, text=True, check=True)
    line = next((ln for ln in out.stdout.splitlines() if ln.startswith("WRKRESULT ")), None)
    if line is None:
        raise SystemExit(f"wrk printed no result:\n{out.stdout}\n{out.stderr}")
    result = json.loads(line[len("WRKRESULT "):])
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    result["errors"] = result["s3xx"] + result["s4xx"] + result["s5xx"] + result["socket_errors"]
    return result


def run_backend(label: str, url: str, args, folder: Path) -> tuple[list[dict], dict]:
    token, setup_s = populate(url, args.colleagues, args.seed)
    rng = random.Random(args.seed + 1)
    bodies = handoff_bodies(BODIES + 1, rng)
    started = time.perf_counter()
    server = Server(url, args.workers)
    listening = time.perf_counter() - started
    try:
        slowest, warm = warm_up(server.base, token, bodies[-1], args.workers)
        ids = []
        for body in bodies[:HANDOFFS]:
            status, raw = call(server.base, "/api/handoffs", token, body)
            assert status == 201, raw[:300]
            ids.append(json.loads(raw)["id"])
        cookie = session_cookie(server.base)
        auth = {"Authorization": f"Bearer {token}"}
        scenarios = [
            ("GET /api/openapi.json (baseline, no database)", "GET", [("/api/openapi.json", "")], {}),
            ("POST /api/handoffs (store + rank)", "POST",
             [("/api/handoffs", json.dumps(b)) for b in bodies[HANDOFFS:BODIES]],
             {**auth, "Content-Type": "application/json"}),
            ("GET /api/handoffs/<id>/candidates", "GET", [(f"/api/handoffs/{i}/candidates", "") for i in ids], auth),
            ("GET /handoffs/<id> (HTML page with candidates)", "GET", [(f"/handoffs/{i}", "") for i in ids],
             {"Cookie": cookie}),
        ]
        rows = []
        for name, method, items, headers in scenarios:
            result = wrk(server.base, lua_script(method, items, headers), folder, args.duration,
                         args.connections, args.threads)
            rows.append({"backend": label, "scenario": name, **result})
    finally:
        server.stop()
    return rows, {"backend": label, "setup": setup_s, "listening": listening, "first": slowest, "warm": warm}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--colleagues", type=int, default=10_000)
    ap.add_argument("--duration", type=int, default=10, help="seconds of load per scenario")
    ap.add_argument("--connections", type=int, default=4)
    ap.add_argument("--threads", type=int, default=1, help="wrk threads")
    ap.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    ap.add_argument("--postgres", action="store_true", help="also run against a throwaway PostgreSQL")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is not installed: this benchmark drives the server with it. "
              "Install it with `sudo apt-get install wrk` (Debian/Ubuntu) or `brew install wrk`, then run again.",
              file=sys.stderr)
        return 2

    rows, warmups = [], []
    with tempfile.TemporaryDirectory(prefix="http-bench-") as tmp:
        folder = Path(tmp)
        r, w = run_backend("SQLite", f"sqlite:///{folder}/bench.db", args, folder)
        rows += r
        warmups.append(w)
        if args.postgres:
            from tests.pgserver import throwaway

            with throwaway() as url:
                if url is not None:
                    r, w = run_backend("PostgreSQL", url, args, folder)
                    rows += r
                    warmups.append(w)

    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"{args.colleagues:,} colleagues; gunicorn --workers {args.workers} (sync); "
          f"wrk -t{args.threads} -c{args.connections} -d{args.duration}s per scenario; same machine "
          f"(load average after the run {load})\n")
    print("| database | scenario | requests/s | p50 (ms) | p90 (ms) | p99 (ms) | requests | non-2xx / errors "
          "| requests/s vs baseline |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        base = next(b for b in rows if b["backend"] == row["backend"] and "baseline" in b["scenario"])
        print(f"| {row['backend']} | {row['scenario']} | {row['rps']:.0f} | {row['p50_us'] / 1000:.1f} "
              f"| {row['p90_us'] / 1000:.1f} | {row['p99_us'] / 1000:.1f} | {row['requests']:,} | {row['errors']} "
              f"| {row['rps'] / base['rps']:.2f}x |")
    print()
    for w in warmups:
        print(f"{w['backend']}: database filled in {w['setup']:.1f} s; server listening after {w['listening']:.1f} s "
              f"(index of {args.colleagues:,} loaded before the port opens); first ranking requests done after "
              f"{w['first']:.1f} s; a warm one takes {w['warm'] * 1000:.0f} ms.")
    bad = [row for row in rows if row["errors"]]
    for row in bad:
        print(f"\nERRORS in {row['backend']} {row['scenario']}: {row['s3xx']} 3xx, {row['s4xx']} 4xx, "
              f"{row['s5xx']} 5xx, {row['socket_errors']} socket errors", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
