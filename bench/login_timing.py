"""Time a failed log-in for a member's email against one for an unknown email.

    .venv/bin/python bench/login_timing.py [--repeat 41]

A SQLite database in a temporary folder gets one member; ``POST /login`` with a wrong
password is timed through the Flask test client (rate limits off), alternating a known
and an unknown email. Before the dummy hash an unknown email skipped scrypt and answered
about ten times sooner, which told an attacker which emails belong to members.
Prints a Markdown table of medians.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from referral.adapters import migrate
from referral.services.members import create_member
from web import create_app

NOW = datetime(2026, 12, 1, 9, 0)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=41)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.db"
        migrate.upgrade(url)
        app = create_app({"TESTING": True, "RATELIMIT_ENABLED": False, "WTF_CSRF_ENABLED": False,
                          "CLOCK": lambda: NOW, "ENV": {"DATABASE_URL": url, "SECRET_KEY": "bench-secret-key-16"}})
        create_member(app.extensions["referral"].uow(), "Bench Member", "known@example.org", "bench-pass-123", NOW)
        client = app.test_client()
        times: dict[str, list[float]] = {"known": [], "unknown": []}
        for _ in range(args.repeat):
            for kind, measured in times.items():
                t = time.perf_counter()
                r = client.post("/login", data={"email": f"{kind}@example.org", "password": "wrong-guess"})
                measured.append((time.perf_counter() - t) * 1000)
                assert r.status_code == 401
        app.extensions["referral"].engine.dispose()
    known, unknown = statistics.median(times["known"]), statistics.median(times["unknown"])
    print("| email | failed log-ins | p50 (ms) | max (ms) |")
    print("|---|---:|---:|---:|")
    for kind, label in (("known", "a member's"), ("unknown", "unknown")):
        print(f"| {label} | {args.repeat} | {statistics.median(times[kind]):.1f} | {max(times[kind]):.1f} |")
    print(f"\nunknown / known: {unknown / known:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
