"""A throwaway PostgreSQL server for the test run, when the machine has one installed.

``DATABASE_URL`` (or ``TEST_POSTGRES_URL``) pointing at PostgreSQL is used as is.
Otherwise, if PostgreSQL's binaries are installed, a cluster is made in a temporary
folder on a free port (as the ``postgres`` user when running as root) and stopped at
the end. ``start()`` returns ``(url, stop)`` or ``(None, reason)``.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile


def _bin(name: str) -> str | None:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found[-1] if found else shutil.which(name)


def start():
    for var in ("TEST_POSTGRES_URL", "DATABASE_URL"):
        url = os.environ.get(var, "")
        if url.startswith("postgresql"):
            return url, lambda: None
    initdb, pg_ctl = _bin("initdb"), _bin("pg_ctl")
    if not initdb or not pg_ctl:
        return None, "PostgreSQL is not installed (no initdb/pg_ctl); install the postgresql package"
    as_user: list[str] = []
    folder = tempfile.mkdtemp(prefix="referral-pg-")
    if os.geteuid() == 0:
        as_user = ["runuser", "-u", "postgres", "--"]
        shutil.chown(folder, "postgres")
    data = os.path.join(folder, "data")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    run = lambda *args: subprocess.run(as_user + list(args), check=True, capture_output=True, text=True)
    try:
        run(initdb, "-D", data, "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8")
        opts = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
        run(pg_ctl, "-D", data, "-o", opts, "-l", os.path.join(folder, "log"), "-w", "start")
    except subprocess.CalledProcessError as err:
        shutil.rmtree(folder, ignore_errors=True)
        return None, f"could not start PostgreSQL: {err.stderr.strip()[-300:]}"

    def stop():
        subprocess.run(as_user + [pg_ctl, "-D", data, "-m", "immediate", "stop"], check=False, capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)

    return f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres", stop
