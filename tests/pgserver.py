"""A throwaway PostgreSQL server for the test run, when the machine has one installed.

``DATABASE_URL`` (or ``TEST_POSTGRES_URL``) pointing at PostgreSQL is used as is.
Otherwise, if PostgreSQL's binaries are installed, a cluster is made in a temporary
folder on a free port (as the ``postgres`` user when running as root) and stopped at
the end. ``start()`` returns ``(url, stop)`` or ``(None, reason)``.

``Cluster.create()`` always makes a new, independent cluster (never the one the
environment names): for a test that stops and restarts its server (``down()``,
``up()``) without disturbing the session's, and for the benchmarks.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from contextlib import contextmanager


def _bin(name: str) -> str | None:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found[-1] if found else shutil.which(name)


class Unavailable(RuntimeError):
    """No PostgreSQL cluster could be made here; the message says why."""


class Cluster:
    """One throwaway cluster in a temporary folder, listening on 127.0.0.1 on a free port."""

    def __init__(self, folder: str, port: int, pg_ctl: str, as_user: list[str]):
        self.folder, self.port, self._pg_ctl, self._as_user = folder, port, pg_ctl, as_user
        self.data = os.path.join(folder, "data")
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"

    @classmethod
    def create(cls) -> Cluster:
        """initdb and start a new cluster; raises ``Unavailable`` when that cannot be done."""
        initdb, pg_ctl = _bin("initdb"), _bin("pg_ctl")
        if not initdb or not pg_ctl:
            raise Unavailable("PostgreSQL is not installed (no initdb/pg_ctl); install the postgresql package")
        as_user: list[str] = []
        folder = tempfile.mkdtemp(prefix="referral-pg-")
        if os.geteuid() == 0:
            as_user = ["runuser", "-u", "postgres", "--"]
            shutil.chown(folder, "postgres")
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        cluster = cls(folder, port, pg_ctl, as_user)
        try:
            cluster._run(initdb, "-D", cluster.data, "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8")
            cluster.up()
        except subprocess.CalledProcessError as err:
            shutil.rmtree(folder, ignore_errors=True)
            raise Unavailable(f"could not start PostgreSQL: {err.stderr.strip()[-300:]}") from err
        return cluster

    def _run(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(self._as_user + list(args), check=True, capture_output=True, text=True)

    def running(self) -> bool:
        return subprocess.run(self._as_user + [self._pg_ctl, "-D", self.data, "status"], check=False,
                              capture_output=True).returncode == 0

    def up(self) -> None:
        """Start the server (again) on the same port, with the same data; waits until it answers."""
        if self.running():
            return
        opts = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
        self._run(self._pg_ctl, "-D", self.data, "-o", opts, "-l", os.path.join(self.folder, "log"), "-w", "start")

    def down(self) -> None:
        """Stop the server at once (``immediate``: open connections are cut, as in a crash); data is kept."""
        self._run(self._pg_ctl, "-D", self.data, "-m", "immediate", "-w", "stop")

    def destroy(self) -> None:
        """Stop the server if it runs and delete its folder."""
        subprocess.run(self._as_user + [self._pg_ctl, "-D", self.data, "-m", "immediate", "stop"],
                       capture_output=True, check=False)
        shutil.rmtree(self.folder, ignore_errors=True)


def start():
    for var in ("TEST_POSTGRES_URL", "DATABASE_URL"):
        url = os.environ.get(var, "")
        if url.startswith("postgresql"):
            return url, lambda: None
    try:
        cluster = Cluster.create()
    except Unavailable as err:
        return None, str(err)
    return cluster.url, cluster.destroy


@contextmanager
def throwaway():
    """A new cluster for one benchmark run: yields its URL, or None (the reason printed) when
    PostgreSQL cannot start here; the cluster is destroyed afterwards."""
    try:
        cluster = Cluster.create()
    except Unavailable as err:
        print(f"PostgreSQL skipped: {err}", file=sys.stderr)
        yield None
        return
    try:
        yield cluster.url
    finally:
        cluster.destroy()
