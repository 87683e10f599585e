"""The network as a graph: neighbourhoods, filters, referral flows and downloads.

Colleagues are the nodes of an undirected :class:`networkx.Graph` whose edges say who
knows whom (``kind="knows"``); node attributes hold the profile (``name``,
``specialties``, ``capacity``, ``location``, ``remote``, ``paused_until``). Referral
flows change all the time, so they are not kept in the graph: they arrive as rows and
are drawn as directed edges between the colleagues in view, ``kind="referral"`` for
plain referrals and ``kind="return"`` for referrals that repaid one, with the path a
client took when it came back through the network.

Method and cost
---------------
A view starts from one colleague and takes everyone within ``depth`` hops
(breadth-first search, :func:`networkx.single_source_shortest_path_length`): cost
O(n + e) for the n colleagues and e acquaintances within reach, independent of the
size of the whole network. With 5 acquaintances each, two hops are about a hundred
colleagues whatever the network's size. Filters are then a pass over those nodes, and
the edges a pass over their adjacency.

Example
-------
>>> import networkx as nx
>>> g = nx.Graph([(1, 2), (2, 3), (3, 4)])
>>> neighbourhood(g, 1, depth=2)
{1: 0, 2: 1, 3: 2}
>>> rows = [ReferralRow(7, 1, 2), ReferralRow(8, 2, 1, return_of_id=7), ReferralRow(9, 1, 3)]
>>> [(e["source"], e["target"], e["kind"]) for e in flow_edges(rows, {1, 2, 3})]
[(1, 2, 'referral'), (1, 3, 'referral'), (2, 1, 'return')]
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import NamedTuple

import networkx as nx

from referral.domain.rules import takes_referrals

__all__ = [
    "ReferralRow",
    "download_graph",
    "flow_edges",
    "is_available",
    "knows_edges",
    "matches_specialty",
    "neighbourhood",
    "node_json",
]


class ReferralRow(NamedTuple):
    """A counted referral (accepted or completed) as the graph draws it."""

    id: int
    from_id: int
    to_id: int
    return_of_id: int | None = None
    return_path: list[int] | None = None


def neighbourhood(graph: nx.Graph, center: int, depth: int) -> dict[int, int]:
    """Colleague id -> hops from ``center``, for everyone within ``depth`` hops.

    Raises ``KeyError`` when ``center`` is not in the graph.
    """
    if center not in graph:
        raise KeyError(center)
    return dict(nx.single_source_shortest_path_length(graph, center, cutoff=depth))


def matches_specialty(specialties: Iterable[str], wanted: str) -> bool:
    """True when any specialty contains ``wanted``, ignoring case.

    >>> matches_specialty(["Bookkeeping", "VAT returns"], "vat")
    True
    """
    wanted = wanted.strip().casefold()
    return any(wanted in s.casefold() for s in specialties)


def is_available(attrs: dict, open_referrals: int, today: date) -> bool:
    """Takes referrals today: not paused, and a free place (open below capacity)."""
    return takes_referrals(attrs.get("capacity", 0), open_referrals, attrs.get("paused_until"), today)


def knows_edges(graph: nx.Graph, nodes: set[int]) -> list[dict]:
    """The acquaintances among ``nodes``, each once (smaller id first)."""
    out = []
    for u in sorted(nodes):
        for v in graph[u]:
            if u < v and v in nodes:
                out.append({"id": f"k{u}-{v}", "source": u, "target": v, "kind": "knows"})
    return out


def flow_edges(rows: Iterable[ReferralRow], nodes: set[int]) -> list[dict]:
    """Directed referral edges among ``nodes``, one per (sender, receiver, kind).

    ``count`` says how many clients; ``referrals`` their ids. A ``return`` edge also
    lists ``returns`` (the ids of the referrals it repaid directly) and ``paths``
    (for returns through the network, the colleague ids from the receiver to the sender).
    """
    edges: dict[tuple[int, int, str], dict] = {}
    for r in rows:
        if r.from_id not in nodes or r.to_id not in nodes or r.from_id == r.to_id:
            continue
        kind = "return" if (r.return_of_id is not None or r.return_path) else "referral"
        key = (r.from_id, r.to_id, kind)
        e = edges.get(key)
        if e is None:
            e = edges[key] = {"id": f"{kind[0]}{r.from_id}-{r.to_id}", "source": r.from_id,
                              "target": r.to_id, "kind": kind, "count": 0, "referrals": []}
            if kind == "return":
                e["returns"], e["paths"] = [], []
        e["count"] += 1
        e["referrals"].append(r.id)
        if r.return_of_id is not None:
            e["returns"].append(r.return_of_id)
        if r.return_path:
            e["paths"].append(list(r.return_path))
    return [edges[k] for k in sorted(edges)]


def node_json(node_id: int, attrs: dict, open_referrals: int, today: date, **extra) -> dict:
    """One node as the API answers it (dates as ISO strings)."""
    paused = attrs.get("paused_until")
    out = {
        "id": node_id, "name": attrs.get("name", ""), "specialties": list(attrs.get("specialties", ())),
        "capacity": attrs.get("capacity", 0), "open_referrals": open_referrals,
        "available": is_available(attrs, open_referrals, today),
        "paused_until": paused.isoformat() if paused else None,
        "location": attrs.get("location"), "remote": attrs.get("remote", True),
    }
    out.update(extra)
    return out


def _plain(value):
    """A value GraphML and GEXF can hold: no None, no lists, no dates."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v) for v in value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def download_graph(nodes: list[dict], edges: list[dict]) -> nx.MultiDiGraph:
    """A graph of the view for :func:`networkx.write_graphml` and :func:`networkx.write_gexf`.

    ``knows`` edges appear once (smaller id first); list attributes are joined with ``"; "``.

    >>> g = download_graph([{"id": 1, "name": "Ana"}, {"id": 2, "name": "Ben"}],
    ...                    [{"source": 1, "target": 2, "kind": "knows"}])
    >>> g.nodes[1]["label"], list(g.edges(data="kind"))
    ('Ana', [(1, 2, 'knows')])
    """
    g: nx.MultiDiGraph = nx.MultiDiGraph()
    for n in nodes:
        attrs = {k: _plain(v) for k, v in n.items() if k != "id"}
        attrs["label"] = n.get("name", str(n["id"]))
        g.add_node(n["id"], **attrs)
    for e in edges:
        attrs = {k: _plain(v) for k, v in e.items() if k not in ("source", "target", "id")}
        g.add_edge(e["source"], e["target"], key=e.get("id"), **attrs)
    return g
