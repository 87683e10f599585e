"""The app's one :class:`~referral.services.network.NetworkGraph` (one per app, so per process)."""

from referral.services.network import NetworkGraph
from web.context import services


def network_graph() -> NetworkGraph:
    """The graph the app's ranking follows too (one network state per process)."""
    return services().match_state.network
