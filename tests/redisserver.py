"""A throwaway Redis server for the tests that share rate limits between processes.

``RedisServer.start()`` runs Debian's ``redis-server`` on a free loopback port with no
persistence, in a temporary folder; ``url`` is its address, ``stop()`` ends it. When the
binary is missing it raises ``Unavailable`` with the package to install.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time


class Unavailable(RuntimeError):
    """No Redis server could be started here; the message says why."""


class RedisServer:
    def __init__(self, proc: subprocess.Popen, port: int, folder: str):
        self.proc, self.port, self.folder = proc, port, folder
        self.url = f"redis://127.0.0.1:{port}/0"

    @classmethod
    def start(cls) -> RedisServer:
        binary = shutil.which("redis-server", path="/usr/bin:/usr/local/bin:/usr/sbin")
        if binary is None:
            raise Unavailable("redis-server is not installed; install the redis-server package")
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        folder = tempfile.mkdtemp(prefix="referral-redis-")
        proc = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                 "--appendonly", "no", "--dir", folder], stdout=subprocess.DEVNULL,
                                stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 20
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1) as conn:
                    conn.sendall(b"PING\r\n")
                    if conn.recv(16).startswith(b"+PONG"):
                        return cls(proc, port, folder)
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                shutil.rmtree(folder, ignore_errors=True)
                raise Unavailable("redis-server did not start")
            time.sleep(0.05)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        shutil.rmtree(self.folder, ignore_errors=True)
