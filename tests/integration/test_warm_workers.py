"""Workers of the Procfile's web process are ready before they take traffic: no request builds the index."""

import json
import os
import re
import signal
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from tests.webprocess import WebProcess

HANDOFF = {
    "client": {"name": "Owen Pritchard", "email": "owen@example.co.uk", "industry": "restaurant",
               "needs": "Monthly bookkeeping and payroll"},
    "reasons": ["late_payments"], "facts": [], "disclosure": "Pays late.",
}
LOADED = "network state loaded in full"


def submit(base, member):
    req = urllib.request.Request(base + "/api/handoffs", data=json.dumps(HANDOFF).encode(), method="POST",
                                 headers={**member.headers, "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as r:
        return r.status, [c["colleague_id"] for c in json.loads(r.read())["candidates"]]


def loads(log):
    """The pids of the processes that loaded the network state in full, one per load."""
    return [int(pid) for pid in re.findall(LOADED + r".*\(process (\d+)", log)]


def test_fresh_and_recycled_workers_answer_their_first_ranking_without_building_the_index(
        database_url, member, make_colleague):
    ana = make_colleague(name="Ana Ruiz", specialties=["bookkeeping", "payroll"])
    with WebProcess({"DATABASE_URL": database_url, "SECRET_KEY": "warm-worker-test-key"}, workers=2) as web:
        first_workers = web.wait_for_workers(2)
        assert loads(web.log()) == [web.pid]  # loaded once, by the master, before the port opened
        with ThreadPoolExecutor(6) as pool:
            answers = list(pool.map(lambda _: submit(web.base, member), range(6)))
        assert answers == [(201, [ana["id"]])] * 6

        # a worker recycled (as after max_requests) and a colleague added since the start
        os.kill(first_workers[0], signal.SIGTERM)
        ben = make_colleague(name="Ben Ode", specialties=["bookkeeping"])
        web.wait_for_workers(2, gone=first_workers[0])
        with ThreadPoolExecutor(6) as pool:
            answers = list(pool.map(lambda _: submit(web.base, member), range(6)))
        assert all(status == 201 and set(ranked) == {ana["id"], ben["id"]} for status, ranked in answers)

        log = web.log()
        assert loads(log) == [web.pid], log  # still the master's one load: no worker, no request built it
        assert "WORKER TIMEOUT" not in log
