"""Use cases of an outgoing client: submit the handoff, rank colleagues for it, revise the disclosure.

Ranking uses a per-process :class:`MatchState` (the matching index, with the "knows" graph
of :class:`~referral.services.network.NetworkGraph`), kept current through the process's one
change feed (:class:`~referral.services.sync.LiveState`). It is loaded before a worker takes
traffic (``gunicorn.conf.py``), so no request builds it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import insert, select

from referral.adapters import orm
from referral.adapters.uow import UnitOfWork
from referral.domain.errors import Conflict, NotFound
from referral.domain.matching import ClientNeed, MatchContext, MatchIndex, Profile
from referral.domain.model import ContractTerm, Fact, Handoff
from referral.services import care, history, ranking
from referral.services.care import FirmCandidate
from referral.services.ledger import sent_to
from referral.services.network import NetworkGraph
from referral.services.offers import load_member
from referral.services.queries import member_colleague_id, open_referral_counts
from referral.services.sync import Changes, LiveState
from referral.services.vectors import StoredEncoder

C, R = orm.colleagues, orm.referrals
IN_NETWORK = C.c.removed_at.is_(None)  # a removed colleague is never a candidate


def profile_of(row) -> Profile:
    """A colleague row (or entity) as matching sees it."""
    return Profile(id=row.id, name=row.name, specialties=tuple(row.specialties),
                   target_clientele=row.target_clientele or "", location=row.location, remote=row.remote,
                   capacity=row.capacity, dealbreakers=frozenset(row.dealbreakers),
                   paused_until=row.paused_until)


class MatchState:
    """This process's matching index, following its one change feed (shared with the network graph).

    ``MatchState(network)`` shares the network graph (and its feed and lock) with the graph
    views; ``MatchState()`` makes its own. Phrase vectors come from the ``phrase_vectors``
    table (:mod:`referral.services.vectors`), so loading the index runs the model only for
    phrases nobody stored; the model itself is loaded once per process.
    """

    def __init__(self, network: NetworkGraph | None = None, encoder=None):
        self.network = network or NetworkGraph(LiveState())
        self.live = self.network.live
        self.lock = self.live.lock
        self.encoder = StoredEncoder(encoder)
        self.index = MatchIndex(encoder=self.encoder)
        self.live.follow(self)

    @property
    def graph(self):
        """Who knows whom (the network graph's, shared)."""
        return self.network.graph

    def refresh(self, session, now: datetime) -> None:
        """Apply what changed in the database since the last call (everything, the first time)."""
        self.live.refresh(session, now)

    def apply(self, session, changes: Changes) -> None:
        if changes.full:
            profiles = [profile_of(r) for r in session.execute(select(C).where(IN_NETWORK))]
            self.encoder.load(session, profiles)
            self.index = MatchIndex(profiles, encoder=self.encoder)
            self.encoder.forget()
            return
        if changes.colleagues:
            rows = {r.id: r for r in session.execute(select(C).where(C.c.id.in_(changes.colleagues), IN_NETWORK))}
            self.encoder.load(session, [profile_of(r) for r in rows.values()])
            for cid in changes.colleagues:
                if cid in rows:
                    self.index.upsert(profile_of(rows[cid]))
                else:
                    self.index.remove(cid)
            self.encoder.forget()

    def search(self, session, text: str, now: datetime) -> list[int]:
        """Colleague ids whose specialties fit ``text`` (see :meth:`MatchIndex.search`), current as of now."""
        with self.lock:
            self.refresh(session, now)
            return self.index.search(text)


def _owned(session, member_id: int, handoff_id: int) -> Handoff:
    handoff = session.get(Handoff, handoff_id)
    if handoff is None or handoff.member_id != member_id:
        raise NotFound(f"no handoff {handoff_id}")
    return handoff


#: ranked beyond the limit so a fitting colleague of the member's own firm can come first
FIRM_POOL = 20


def rank(session, state: MatchState, handoff: Handoff, now: datetime, limit: int = 10) -> list[FirmCandidate]:
    """Colleagues for this handoff, best first, with the contract's hard rules applied, lessons from
    earlier declines and a fair spread among near-equal candidates (:mod:`referral.services.ranking`).

    A fitting colleague of the member's own firm then comes first, marked ``same_firm``
    (:func:`referral.services.care.own_firm_first`).
    """
    me = member_colleague_id(session, handoff.member_id)
    answered = [] if handoff.id is None else session.scalars(
        select(R.c.to_id).where(R.c.handoff_id == handoff.id, R.c.status.in_(("declined", "expired"))))
    open_now, excluded, reciprocity = open_referral_counts(session), frozenset(answered), sent_to(session, me)
    client = ClientNeed(needs=handoff.client_needs, industry=handoff.client_industry or "",
                        budget=handoff.client_budget or "", company=handoff.client_company or "",
                        location=handoff.client_location)
    with state.lock:
        state.refresh(session, now)
        context = MatchContext(member_id=me, reasons=frozenset(handoff.reasons), today=now.date(),
                               open_referrals=open_now, excluded=excluded, graph=state.graph,
                               reciprocity=reciprocity)
        ranked = state.index.rank(client, context, limit=limit + max(ranking.MARGIN, FIRM_POOL))
    return care.own_firm_first(session, me, ranking.adjust(session, handoff.client_needs, ranked), limit)


def submit_handoff(uow: UnitOfWork, state: MatchState, member_id: int, data: dict, now: datetime,
                   limit: int = 10) -> tuple[int, list[FirmCandidate]]:
    """Store an outgoing client (with disclosure version 1 and its SHA-256) and rank colleagues.

    Ranking reads first, then one short transaction stores the handoff: if the database fails
    half way nothing is stored, so the caller may simply try again without a duplicate, and
    on SQLite the write lock is held only for the insert, not for the ranking.
    """
    facts = [Fact(f["date"], f["text"]) for f in data.get("facts", [])]
    handoff = Handoff(member_id, data["client"], data["reasons"], facts, data["disclosure"],
                      data.get("exit_strategy", "refer_elsewhere"), data.get("finish_by"), now,
                      auto_cascade=data.get("auto_cascade", False),
                      desired_outcomes=data.get("desired_outcomes", []), outcome_note=data.get("outcome_note", ""),
                      contract_terms=[ContractTerm(t["term"], t.get("due"), t["met_by_me"], t["met_by_client"],
                                                   t.get("note", "")) for t in data.get("contract_terms", [])])
    with uow.reading():
        ranked = rank(uow.session, state, handoff, now, limit)  # a new handoff: no one declined it yet
    with uow:
        uow.session.add(handoff)
        uow.session.flush()
        handoff_id = handoff.id
        uow.commit()
    return handoff_id, ranked


def candidates(uow: UnitOfWork, state: MatchState, member_id: int, handoff_id: int, now: datetime,
               limit: int = 10) -> list[FirmCandidate]:
    """Rank again (the network may have changed); another member's handoff raises ``NotFound``."""
    with uow.reading():
        return rank(uow.session, state, _owned(uow.session, member_id, handoff_id), now, limit)


def revise_disclosure(uow: UnitOfWork, member_id: int, handoff_id: int, text: str, now: datetime) -> int:
    """Store a new version of the fair warning (earlier ones stay); returns the current version."""
    with uow:
        handoff = _owned(uow.session, member_id, handoff_id)
        before = handoff.disclosure.version
        version = handoff.revise_disclosure(text, now).version
        if version != before:
            history.record(uow.session, handoff, actor=load_member(uow.session, member_id).name,
                           action="revised", detail=f"Fair warning revised: version {version}.", now=now)
        uow.commit()
        return version


def revise_client(uow: UnitOfWork, member_id: int, handoff_id: int, client: dict, now: datetime) -> int:
    """Correct the client's details (a validated ``client`` as the handoff form gives it).

    Every changed field is kept in ``client_changes`` with its old and new value; returns how
    many changed. Another member's handoff raises ``NotFound``; a client a colleague already
    accepted, or whose data was erased, raises ``Conflict``.
    """
    with uow:
        s = uow.session
        handoff = _owned(s, member_id, handoff_id)
        if handoff.client_erased_at is not None:
            raise Conflict("The client's personal data was erased, so there are no details left to correct.")
        if s.scalar(select(R.c.id).where(R.c.handoff_id == handoff_id, R.c.status.in_(("accepted", "completed")))):
            raise Conflict("A colleague has accepted this client, so their details can no longer be changed here.")
        changed = handoff.revise_client(client, now)
        if changed:
            s.execute(insert(orm.client_changes), [
                {"handoff_id": handoff_id, "field": f, "old_value": old, "new_value": new, "changed_at": now}
                for f, old, new in changed])
        uow.commit()
        return len(changed)
