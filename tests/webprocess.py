"""The Procfile's ``web`` command, run for real on a free loopback port, for tests and benchmarks.

``WebProcess(env, workers=2)`` starts ``bash -c 'exec <the Procfile's web line>'`` with
``PORT`` and ``WEB_CONCURRENCY`` set, so gunicorn is the process itself (its pid is the
master's), waits until the port answers, and ``stop()`` ends it. ``log()`` is everything
gunicorn wrote (its error log and the access log).
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Self

ROOT = Path(__file__).resolve().parents[1]


def procfile_command(name: str = "web") -> str:
    for line in (ROOT / "Procfile").read_text().splitlines():
        if line.startswith(f"{name}:"):
            return line.split(":", 1)[1].strip()
    raise KeyError(name)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class WebProcess:
    """The Procfile's web process; ``base`` is its URL, ``pid`` the gunicorn master's."""

    def __init__(self, env: dict[str, str], workers: int = 2, start_timeout: float = 120):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        # open as long as the server runs, closed by stop()
        self._log = tempfile.NamedTemporaryFile("w+", prefix="gunicorn-", suffix=".log", delete=False)  # noqa: SIM115
        path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
        full_env = {**os.environ, "PATH": path, "BASE_URL": self.base, **env,
                    "PORT": str(self.port), "WEB_CONCURRENCY": str(workers)}
        self.proc = subprocess.Popen(["bash", "-c", "exec " + procfile_command("web")], cwd=ROOT, env=full_env,
                                     stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True)
        self.pid = self.proc.pid
        deadline = time.monotonic() + start_timeout
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited:\n{self.log()[-3000:]}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"gunicorn did not listen within {start_timeout:.0f} s:\n{self.log()[-3000:]}")
                time.sleep(0.05)

    def workers(self) -> list[int]:
        """The worker processes' ids (the master's children)."""
        path = Path(f"/proc/{self.pid}/task/{self.pid}/children")
        return [int(p) for p in path.read_text().split()] if path.exists() else []

    def wait_for_workers(self, n: int, gone: int | None = None, timeout: float = 60) -> list[int]:
        """The ids of ``n`` workers ready to serve, once there are (and worker ``gone`` has been replaced).

        A worker is ready once gunicorn's ``post_worker_init`` has logged it: until then it
        exists but takes no request, and another worker answers them all."""
        deadline = time.monotonic() + timeout
        while (len(pids := self.workers()) != n or gone in pids
               or not set(pids) <= {int(p) for p in re.findall(r"Worker ready to serve \(pid: (\d+)\)", self.log())}):
            if time.monotonic() > deadline:
                raise RuntimeError(f"{len(pids)} workers instead of {n}:\n{self.log()[-3000:]}")
            time.sleep(0.05)
        return pids

    def log(self) -> str:
        self._log.flush()
        return Path(self._log.name).read_text(errors="replace")

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self._log.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
        Path(self._log.name).unlink(missing_ok=True)
