"""The app's one :class:`~referral.services.network.NetworkGraph` (one per app, so per process)."""

import threading

from flask import current_app

from referral.services.network import NetworkGraph

_create = threading.Lock()


def network_graph() -> NetworkGraph:
    graph = current_app.extensions.get("referral.network")
    if graph is None:
        with _create:
            graph = current_app.extensions.setdefault("referral.network", NetworkGraph())
    return graph
