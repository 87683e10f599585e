"""Views of the network graph, kept current in each process without rebuilding it.

Each process (gunicorn worker) holds one :class:`NetworkGraph`: a networkx graph of
colleagues and who knows whom, loaded in full once, then patched from the ``changes``
log before every answer (the process's one :class:`~referral.services.sync.LiveState`,
shared with the matching index): usually one indexed query that finds nothing. So a colleague or connection added through one
worker shows in the next answer of any other. A neighbourhood's referral flows are read
for the colleagues in view; the whole network's flow edges are kept per process like the
graph and dropped whenever the log names a changed referral or colleague, so the whole
view costs a walk over the graph, not a read of every referral
(``bench/network_bench.py`` measures both).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime

import networkx as nx
from sqlalchemy import bindparam, or_, select

from referral.adapters import orm
from referral.adapters.uow import UnitOfWork
from referral.domain import network as net
from referral.domain.errors import Invalid, NotFound
from referral.domain.ledger import COUNTED_STATUSES
from referral.services.queries import member_colleague_id, open_referral_counts
from referral.services.sync import Changes, LiveState

__all__ = ["MAX_DEPTH", "NetworkGraph", "ViewQuery", "build_graph", "gexf", "graphml", "network_view"]

C, K, R = orm.colleagues, orm.connections, orm.referrals
IN_NETWORK = C.c.removed_at.is_(None)  # removed colleagues keep their history but leave the graph
MAX_DEPTH = 4
_PROFILE = (C.c.id, C.c.name, C.c.specialties, C.c.capacity, C.c.location, C.c.remote, C.c.paused_until)
# IN lists above this size cost more than reading every counted referral and filtering
_IN_LIMIT = 2000


def _attrs(row) -> dict:
    return {"name": row.name, "specialties": list(row.specialties), "capacity": row.capacity,
            "location": row.location, "remote": row.remote, "paused_until": row.paused_until}


def build_graph(session) -> nx.Graph[int]:
    """The whole network from the database: colleagues and who knows whom."""
    g: nx.Graph[int] = nx.Graph()
    g.add_nodes_from((row.id, _attrs(row)) for row in session.execute(select(*_PROFILE).where(IN_NETWORK)))
    g.add_edges_from((a, b) for a, b in session.execute(select(K.c.a_id, K.c.b_id)) if a in g and b in g)
    return g


class NetworkGraph:
    """One process's copy of the network graph, patched from its :class:`LiveState`.

    Use :meth:`current` under :attr:`lock`; the graph must not be read while another
    thread patches it.
    """

    def __init__(self, live: LiveState | None = None):
        self.live = live or LiveState()
        self.lock = self.live.lock
        self.graph: nx.Graph[int] = nx.Graph()
        self._flow_edges: list[dict] | None = None  # the whole network's, until a referral changes
        self.live.follow(self)

    def current(self, session, now: datetime) -> nx.Graph[int]:
        """The graph with every change committed so far applied (hold :attr:`lock`)."""
        self.live.refresh(session, now)
        return self.graph

    def flow_edges(self, session) -> list[dict]:
        """Referral and return edges of the whole network (hold :attr:`lock`; read-only)."""
        if self._flow_edges is None:
            nodes = set(self.graph)
            self._flow_edges = net.flow_edges(_flows(session, nodes), nodes)
        return self._flow_edges

    def apply(self, session, changes: Changes) -> None:
        if changes.full or changes.referrals or changes.colleagues:  # a deleted colleague takes flows along
            self._flow_edges = None
        if changes.full:
            self.graph = build_graph(session)
            return
        if changes.colleagues:
            self._reload_colleagues(session, changes.colleagues)
        if changes.connections:
            self._reload_edges(session, changes.connections)

    def _reload_colleagues(self, session, ids: set[int]) -> None:
        rows = {row.id: row for row in session.execute(select(*_PROFILE).where(C.c.id.in_(sorted(ids)), IN_NETWORK))}
        for cid in ids:
            if cid in rows:
                self.graph.add_node(cid, **_attrs(rows[cid]))
            elif cid in self.graph:
                self.graph.remove_node(cid)  # removed from the network, with its connections

    def _reload_edges(self, session, changed: set[int]) -> None:
        ids = sorted(changed)
        g = self.graph
        for cid in ids:
            if cid in g:
                g.remove_edges_from(list(g.edges(cid)))
        pairs = session.execute(select(K.c.a_id, K.c.b_id).where(or_(K.c.a_id.in_(ids), K.c.b_id.in_(ids))))
        for a, b in pairs:
            if a not in g or b not in g:  # a colleague added in a change not polled yet
                self._reload_colleagues(session, {a, b} - set(g))
            if a in g and b in g:  # a removed colleague stays out of the graph
                g.add_edge(a, b)


@dataclass(frozen=True)
class ViewQuery:
    """What part of the network to show; see ``GET /api/network``."""

    center: int | None = None
    depth: int = 2
    specialty: str = ""
    available: bool = False
    mine: bool = False
    all: bool = False


def _counterparts(session, me: int) -> set[int]:
    q = select(R.c.from_id, R.c.to_id).where(R.c.status.in_(COUNTED_STATUSES),
                                             or_(R.c.from_id == me, R.c.to_id == me))
    return {x for pair in session.execute(q) for x in pair}


def _flows(session, nodes: set[int]) -> list[net.ReferralRow]:
    q = select(R.c.id, R.c.from_id, R.c.to_id, R.c.return_of_id, R.c.return_path).where(
        R.c.status.in_(COUNTED_STATUSES))
    if len(nodes) <= _IN_LIMIT:
        q = q.where(R.c.from_id.in_(bindparam("ids", expanding=True)))
        rows = session.execute(q, {"ids": sorted(nodes)})
    else:
        rows = session.execute(q)
    return [net.ReferralRow(r.id, r.from_id, r.to_id, r.return_of_id, r.return_path)
            for r in rows if r.to_id in nodes and r.from_id in nodes]


def network_view(uow: UnitOfWork, graph: NetworkGraph, member_id: int, query: ViewQuery,
                 now: datetime, match_state=None) -> dict:
    """``{"center", "nodes", "edges"}`` for the member: a neighbourhood or the whole network.

    Nodes carry the profile, ``open_referrals``, ``available``, ``hops`` from the
    center (None in the whole view), ``degree`` (acquaintances in the whole network,
    so the page knows whom it can expand), ``me`` and ``mine`` (in the member's own
    network: known to them, or a referral counterpart). A center that does not exist
    raises ``NotFound``; a depth out of range ``Invalid``. With ``match_state`` the specialty
    filter reads the words as matching does ("lawyer" keeps the IP lawyer), else by substring.
    """
    if not 0 <= query.depth <= MAX_DEPTH:
        raise Invalid({"depth": [f"Must be between 0 and {MAX_DEPTH}."]})
    today = now.date()
    with uow.reading():
        s = uow.session
        me = member_colleague_id(s, member_id)
        partners = _counterparts(s, me)
        fitting = set(match_state.search(s, query.specialty, now)) if match_state and query.specialty else None
        with graph.lock:
            g = graph.current(s, now)
            center: int | None = None  # the whole view has none
            if query.all:
                hops: dict[int, int | None] = dict.fromkeys(g.nodes)
            else:
                center = me if query.center is None else query.center
                try:
                    hops = dict(net.neighbourhood(g, center, query.depth))
                except KeyError:
                    raise NotFound(f"no colleague {center} in the network") from None
                if center == me and query.depth >= 1:
                    # whom the member exchanged clients with is one step away, known or not
                    for partner in partners & set(g.nodes):
                        hops.setdefault(partner, 1)
            mine = ({me} | set(g[me]) | partners) if me in g else partners
            attrs = {n: g.nodes[n] for n in hops}
            degree = dict(g.degree(hops))
            open_counts = open_referral_counts(s, None if len(hops) > _IN_LIMIT else list(hops))
            keep = set()
            for n, a in attrs.items():
                if n == center:
                    keep.add(n)
                    continue
                if query.mine and n not in mine:
                    continue
                if query.specialty and not (n in fitting if fitting is not None
                                            else net.matches_specialty(a["specialties"], query.specialty)):
                    continue
                if query.available and not net.is_available(a, open_counts.get(n, 0), today):
                    continue
                keep.add(n)
            nodes = [net.node_json(n, attrs[n], open_counts.get(n, 0), today, hops=hops[n],
                                   degree=degree[n], me=n == me, mine=n in mine) for n in sorted(keep)]
            edges = net.knows_edges(g, keep)
            whole = query.all or len(keep) > _IN_LIMIT
            if whole:
                # the flow edges among keep are the whole network's with both ends in keep
                edges += [e for e in graph.flow_edges(s) if e["source"] in keep and e["target"] in keep]
        if not whole:
            edges += net.flow_edges(_flows(s, keep), keep)
    return {"center": center, "nodes": nodes, "edges": edges}


def graphml(view: dict) -> bytes:
    """The view as GraphML (``networkx.read_graphml`` reads it back)."""
    out = io.BytesIO()
    nx.write_graphml(net.download_graph(view["nodes"], view["edges"]), out)
    return out.getvalue()


def gexf(view: dict) -> bytes:
    """The view as GEXF 1.2 (Gephi; ``networkx.read_gexf`` reads it back)."""
    out = io.BytesIO()
    nx.write_gexf(net.download_graph(view["nodes"], view["edges"]), out)
    return out.getvalue()
