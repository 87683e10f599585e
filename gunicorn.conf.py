"""gunicorn settings for the Procfile's web process: workers are warm before they take traffic.

The master loads the app once (``preload_app``) and, before it opens the port, loads the
network state: the matching index and the graph (``Services.warm_up``). Workers are forked
from it, so they share its read-only pages (copy-on-write; ``gc.freeze`` keeps the garbage
collector from writing to them) and start with the index in hand. Before each fork the
master catches up with the change log, so a worker started later (recycled after
``max_requests``, or added with TTIN) is as current as one started at boot; each worker
then applies what changed between the fork and its first request and opens its own session of
the sentence model, still before it serves.

No request ever builds the index: the log shows one "network state loaded in full" line,
from the master, per start.
"""

import gc
import logging

preload_app = True


def _services(app):
    return app.extensions["referral"]


def on_starting(server):
    """Load the network state in the master, before the port opens."""
    log = logging.getLogger("referral")
    log.setLevel(logging.INFO)
    log.handlers = server.log.error_log.handlers  # the app's lines go where gunicorn's go
    _services(server.app.wsgi()).warm_up()


def pre_fork(server, worker):
    """Catch up with the change log, then fork with no database connection open."""
    services = _services(server.app.wsgi())
    services.warm_up()
    services.engine.dispose()
    gc.freeze()  # objects made so far are never scanned by the collector, so their pages stay shared


def post_worker_init(worker):
    """Apply what changed since the fork, and open this worker's model session (ONNX Runtime
    sessions do not cross ``fork``), before the first request."""
    from referral.adapters.embedding import shared_encoder

    _services(worker.wsgi).warm_up()
    shared_encoder().warm()
    worker.log.info("Worker ready to serve (pid: %s)", worker.pid)

# One-time answer tokens in links are masked in the access log (web/security.py).
logger_class = "web.security.TokenMaskingLogger"
