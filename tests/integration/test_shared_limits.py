"""With RATELIMIT_STORAGE_URI pointing at Redis, a limit holds across every worker of the web process."""

import os
import re
import shutil
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.redisserver import RedisServer, Unavailable
from tests.webprocess import WebProcess


@pytest.fixture(scope="session")
def redis_url():
    try:
        server = RedisServer.start()
    except Unavailable as err:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI needs Redis: {err}")
        pytest.skip(f"Redis tests skipped: {err}")
    yield server.url
    server.stop()


def status(url):
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            return r.status
    except urllib.error.HTTPError as err:
        return err.code


def test_two_workers_sharing_redis_allow_the_documented_30_link_uses_a_minute_not_60(
        sqlite_template, tmp_path, redis_url, monkeypatch):
    database_url = f"sqlite:///{shutil.copy(sqlite_template, tmp_path / 'limits.db')}"  # the links need no data
    # the access log names the worker that answered each request
    monkeypatch.setenv("GUNICORN_CMD_ARGS", "--access-logformat 'served-by=%(p)s status=%(s)s'")
    env = {"DATABASE_URL": database_url, "SECRET_KEY": "shared-limits-test-key", "RATELIMIT_STORAGE_URI": redis_url}
    with WebProcess(env, workers=2) as web:
        web.wait_for_workers(2)
        with ThreadPoolExecutor(4) as pool:
            answers = list(pool.map(lambda i: status(f"{web.base}/offers/guess-{i}"), range(45)))
        served = re.findall(r"served-by=<(\d+)> status=(\d+)", web.log())
    assert answers.count(400) == 30 and answers.count(429) == 15  # 30 genuine tries (bad links), then 429
    assert len({pid for pid, _ in served}) == 2, served  # both workers answered
