"""Return referrals and the ledger: who gave whom clients, and which came back.

A referral *counts* once the colleague took the client (status ``accepted`` or
``completed``); offers still open, declined, expired or withdrawn never do. Here a
counted referral is a :class:`Flow`: a client moving from one colleague to another at
a moment ``at`` (when the offer was accepted).

Method
------
When member ``M`` accepts a client from colleague ``C`` (the flow ``C -> M``), it is
linked as a *return*:

1. **Directly**, when ``M`` once gave ``C`` a client that has not come back yet: the
   new flow's ``return_of_id`` is the EARLIEST such ``M -> C`` flow (first given, first
   repaid). Cost: one pass over ``M``'s flows, O(f).
2. **Through the network**, when no direct one is outstanding: a client ``M`` gave to
   ``B`` went on (``B -> ... -> C``) and now ``C`` sends a client back to ``M``. The path
   ``[M, B, ..., C]`` is stored in ``return_path``. It must follow time (every hop no
   earlier than the one before), may not pass through ``M`` again, has 2 to ``max_hops``
   hops, and its first hop must be a ``M -> B`` flow that ``B`` has not repaid directly
   and that no earlier path started with (a client given brings at most one back through
   the network; a later direct return from ``B`` still repays it). Among such paths the one with the fewest hops
   wins, and among those the one reaching ``C`` earliest. The search is a label-correcting
   breadth-first search on earliest arrival times, layer by layer, stopping at the first
   layer that reaches ``C``: O(max_hops * F) for the F flows within reach, with one best
   label (arrival time and path) kept per colleague.
3. Otherwise the flow is a plain referral: nothing is linked.

Example: Maya (1) gave Ben (2) a client in January, Ben gave Cleo (3) one in March,
and in May Cleo sends a client to Maya. Nothing direct is outstanding between Maya
and Cleo, so the May referral is a return through the network along ``[1, 2, 3]``:

>>> from datetime import datetime as dt
>>> history = [Flow(10, 1, 2, dt(2026, 1, 5)), Flow(11, 2, 3, dt(2026, 3, 2))]
>>> link(history, Flow(12, 3, 1, dt(2026, 5, 9)))
Link(return_of_id=None, return_path=[1, 2, 3])

Had Maya given Cleo a client before, the May referral would repay it directly:

>>> link(history + [Flow(9, 1, 3, dt(2025, 12, 1))], Flow(12, 3, 1, dt(2026, 5, 9)))
Link(return_of_id=9, return_path=None)

The ledger (:func:`ledger`) then counts, per counterpart ``X`` of member ``M``:
``given`` (``M -> X``), ``received`` (``X -> M``), ``returned`` (of those received, the
ones that were returns: repaying a client of ``M`` directly or through the network),
``balance = given - received``, and ``owed``: clients ``X`` sent ``M`` that ``M`` has not
returned yet. A referral that was itself a return settles a debt and creates none, so
``owed`` is ``received - returned`` minus the referrals ``M`` sent ``X`` that repaid one
of them directly. ``M`` *owes* ``X`` while ``owed > 0``; the other way round, ``owes_you``
counts the clients ``M`` gave ``X`` that have not come back. Cost: O(f) for the member's f flows.

The return rate (:func:`return_rate`) is the share of the clients ``M`` gave (not as
returns) that came back, counting only those that came back or were given long enough
ago (``settle``, 90 days by default) to have had the chance: a client given last week
is not yet a client who failed to come back. Cost: O(f log f).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple

from referral.domain.errors import IllegalTransition, Invalid

__all__ = [
    "COUNTED_STATUSES",
    "Flow",
    "LedgerRow",
    "Link",
    "ReturnRate",
    "counts",
    "earliest_outstanding",
    "ledger",
    "link",
    "network_path",
    "record_outcome",
    "return_rate",
]

#: statuses in which a referral counts as given and received
COUNTED_STATUSES = ("accepted", "completed")


@dataclass(frozen=True)
class Flow:
    """A counted referral: a client moved from ``from_id`` to ``to_id`` at ``at``.

    ``return_of_id`` and ``return_path`` say what it returned, if anything.
    """

    id: int
    from_id: int
    to_id: int
    at: datetime
    return_of_id: int | None = None
    return_path: tuple[int, ...] | None = None

    @property
    def is_return(self) -> bool:
        return self.return_of_id is not None or bool(self.return_path)

    def __post_init__(self):
        if self.return_path is not None and not isinstance(self.return_path, tuple):
            object.__setattr__(self, "return_path", tuple(self.return_path))


class Link(NamedTuple):
    """What a new referral returns: one earlier referral, a path through the network, or nothing."""

    return_of_id: int | None = None
    return_path: list[int] | None = None


@dataclass
class LedgerRow:
    """The member's account with one counterpart (see the module docstring for each figure)."""

    colleague_id: int
    given: int = 0
    received: int = 0
    returned: int = 0
    returned_through_network: int = 0
    you_returned: int = 0
    repaid_direct: int = 0  # of the member's clients to them, repaid by a referral back
    you_repaid_direct: int = 0  # of their clients to the member, repaid by the member
    name: str = ""

    @property
    def balance(self) -> int:
        """Clients given minus clients received: above zero, the member gave more."""
        return self.given - self.received

    @property
    def owed(self) -> int:
        """Clients this counterpart sent (not as returns) that the member has not returned yet."""
        return max(self.received - self.returned - self.you_repaid_direct, 0)

    @property
    def owes_you(self) -> int:
        """Clients the member gave this counterpart (not as returns) that have not come back yet."""
        return max(self.given - self.you_returned - self.repaid_direct, 0)

    def as_json(self) -> dict:
        return {"colleague_id": self.colleague_id, "name": self.name, "given": self.given,
                "received": self.received, "returned": self.returned,
                "returned_through_network": self.returned_through_network,
                "you_returned": self.you_returned, "balance": self.balance, "owed": self.owed,
                "owes_you": self.owes_you}


def _order(f: Flow) -> tuple[datetime, int]:
    return (f.at, f.id)


def _outstanding(flows: list[Flow], member: int, to: int) -> list[Flow]:
    """``member -> to`` flows not returned directly yet, oldest first.

    A flow that was itself a return settles a debt and asks for nothing back.
    """
    repaid = {f.return_of_id for f in flows if f.return_of_id is not None}
    return sorted((f for f in flows if f.from_id == member and f.to_id == to and not f.is_return
                   and f.id not in repaid), key=_order)


def _first_hops(flows: list[Flow], member: int, to: int) -> list[Flow]:
    """``member -> to`` flows that may still start a return through the network, oldest first.

    Not returned directly, and not yet the first hop of an earlier path (each client a
    member gives brings at most one client back through the network).
    """
    used = sum(1 for f in flows if f.return_path and f.to_id == member and tuple(f.return_path[:2]) == (member, to))
    return _outstanding(flows, member, to)[used:]


def earliest_outstanding(flows: Iterable[Flow], member: int, colleague: int) -> Flow | None:
    """The oldest client ``member`` gave ``colleague`` that has not come back, or None.

    >>> from datetime import datetime as dt
    >>> fs = [Flow(1, 7, 8, dt(2026, 1, 1)), Flow(2, 7, 8, dt(2026, 2, 1)),
    ...       Flow(3, 8, 7, dt(2026, 3, 1), return_of_id=1)]
    >>> earliest_outstanding(fs, 7, 8).id
    2
    >>> earliest_outstanding(fs, 8, 7) is None
    True
    """
    left = _outstanding(list(flows), member, colleague)
    return left[0] if left else None


def network_path(flows: Iterable[Flow], member: int, sender: int, before: datetime,
                 max_hops: int = 4) -> list[int] | None:
    """The path ``[member, b, ..., sender]`` a client of ``member`` took to reach ``sender``.

    Only flows at or before ``before`` are used; see the module docstring for the rules
    and the cost. None when there is no such path of 2 to ``max_hops`` hops.

    >>> from datetime import datetime as dt
    >>> fs = [Flow(1, 1, 2, dt(2026, 1, 1)), Flow(2, 2, 3, dt(2026, 2, 1)),
    ...       Flow(3, 3, 4, dt(2025, 1, 1))]
    >>> network_path(fs, 1, 3, dt(2026, 6, 1))
    [1, 2, 3]
    >>> network_path(fs, 1, 4, dt(2026, 6, 1)) is None  # 3 -> 4 happened before 2 -> 3
    True
    """
    flows = [f for f in flows if f.at <= before]
    out: dict[int, list[Flow]] = defaultdict(list)
    for f in flows:
        out[f.from_id].append(f)
    # layer 1: the member's clients that have not come back yet (the earliest per colleague)
    best: dict[int, tuple[datetime, list[int]]] = {}
    for to in {f.to_id for f in out.get(member, ())}:
        if to in (member, sender):
            continue
        left = _first_hops(flows, member, to)
        if left:
            best[to] = (left[0].at, [member, to])
    frontier = set(best)
    for _hop in range(2, max_hops + 1):
        reached: list[tuple[datetime, list[int]]] = []
        improved: set[int] = set()
        for u in sorted(frontier):
            arrival, path = best[u]
            for f in out.get(u, ()):
                v = f.to_id
                if f.at < arrival or v == member or v in path:
                    continue
                if v == sender:
                    reached.append((f.at, path + [v]))
                elif v not in best or f.at < best[v][0]:
                    best[v] = (f.at, path + [v])
                    improved.add(v)
        if reached:
            return min(reached, key=lambda r: (r[0], r[1]))[1]
        if not improved:
            return None
        frontier = improved
    return None


def link(history: Iterable[Flow], new: Flow, max_hops: int = 4) -> Link:
    """What the just-accepted ``new`` flow (``sender -> member``) returns, if anything.

    ``history`` holds the counted flows known so far (``new`` itself is ignored if present).
    """
    flows = [f for f in history if f.id != new.id]
    member, sender = new.to_id, new.from_id
    direct = earliest_outstanding(flows, member, sender)
    if direct is not None:
        return Link(return_of_id=direct.id)
    path = network_path(flows, member, sender, before=new.at, max_hops=max_hops)
    return Link(return_path=path) if path else Link()


def counts(flows: Iterable[Flow], member: int) -> dict[int, LedgerRow]:
    """The member's ledger rows by counterpart id (names left empty); see :func:`ledger`."""
    flows = list(flows)
    by_id = {f.id: f for f in flows}
    rows: dict[int, LedgerRow] = {}
    for f in flows:
        if member not in (f.from_id, f.to_id) or f.from_id == f.to_id:
            continue
        other = f.to_id if f.from_id == member else f.from_id
        r = rows.setdefault(other, LedgerRow(other))
        if f.from_id == member:
            r.given += 1
            r.you_returned += f.is_return
        else:
            r.received += 1
            r.returned += f.is_return
            r.returned_through_network += bool(f.return_path)
        repaid = by_id.get(f.return_of_id) if f.return_of_id is not None else None
        if repaid is not None and (repaid.from_id, repaid.to_id) == (f.to_id, f.from_id):
            if f.from_id == member:
                r.you_repaid_direct += 1
            else:
                r.repaid_direct += 1
    return rows


def ledger(flows: Iterable[Flow], member: int, names: dict[int, str] | None = None) -> list[LedgerRow]:
    """One row per counterpart, those the member owes first, then by name.

    ``flows`` must hold every counted flow to or from ``member``.

    >>> from datetime import datetime as dt
    >>> fs = [Flow(1, 7, 8, dt(2026, 1, 1)), Flow(2, 8, 7, dt(2026, 2, 1), return_of_id=1),
    ...       Flow(3, 9, 7, dt(2026, 3, 1))]
    >>> [(r.colleague_id, r.given, r.received, r.returned, r.balance, r.owed) for r in ledger(fs, 7)]
    [(9, 0, 1, 0, -1, 1), (8, 1, 1, 1, 0, 0)]
    """
    names = names or {}
    rows = list(counts(flows, member).values())
    for r in rows:
        r.name = names.get(r.colleague_id, "")
    rows.sort(key=lambda r: (-r.owed, r.name.lower(), r.colleague_id))
    return rows


class ReturnRate(NamedTuple):
    """``came_back`` of ``counted`` clients given came back; ``too_early`` more were given too
    recently to tell (and have not come back yet)."""

    counted: int
    came_back: int
    too_early: int

    @property
    def rate(self) -> float | None:
        """``came_back / counted``, or None when nothing can be counted yet."""
        return self.came_back / self.counted if self.counted else None


def return_rate(flows: Iterable[Flow], member: int, now: datetime,
                settle: timedelta = timedelta(days=90)) -> ReturnRate:
    """How many of the clients ``member`` gave came back, counting only those old enough to tell.

    A client given counts once it came back (directly or through the network), or once it was
    given at least ``settle`` before ``now``. Returns repay the earliest client given first, so
    per counterpart the first ones given are the ones that came back.

    >>> from datetime import datetime as dt
    >>> fs = [Flow(1, 7, 8, dt(2026, 1, 1)), Flow(2, 8, 7, dt(2026, 2, 1), return_of_id=1),
    ...       Flow(3, 7, 8, dt(2026, 3, 1)), Flow(4, 7, 9, dt(2026, 5, 25))]
    >>> return_rate(fs, 7, now=dt(2026, 6, 1))
    ReturnRate(counted=2, came_back=1, too_early=1)
    >>> return_rate(fs[3:], 7, now=dt(2026, 6, 1)).rate is None
    True
    """
    flows = list(flows)
    rows = counts(flows, member)
    through = Counter(f.return_path[1] for f in flows if f.to_id == member and f.return_path)
    given: dict[int, list[Flow]] = defaultdict(list)
    for f in sorted(flows, key=_order):
        if f.from_id == member and f.to_id != member and not f.is_return:
            given[f.to_id].append(f)
    counted = came_back = too_early = 0
    for other, clients in given.items():
        back = min(len(clients), rows[other].repaid_direct + through[other])
        old = sum(1 for f in clients[back:] if f.at <= now - settle)
        counted += back + old
        came_back += back
        too_early += len(clients) - back - old
    return ReturnRate(counted, came_back, too_early)


def record_outcome(referral, by_id: int, note: str, value: str | None, now: datetime) -> None:
    """Record what a referral brought, as a thank-you the other side sees.

    Either side (``referral.from_id`` or ``referral.to_id``) may record it; an
    ``accepted`` referral becomes ``completed`` (``referral.move_to``), a ``completed``
    one has its outcome replaced. Raises ``IllegalTransition`` for any other status and
    ``Invalid`` for an empty note; the caller checks that ``by_id`` is one of the sides.
    """
    if by_id not in (referral.from_id, referral.to_id):
        raise ValueError("only the two sides of a referral record its outcome")
    if referral.status not in COUNTED_STATUSES:
        raise IllegalTransition(f"a referral that is {referral.status} has no outcome to record; "
                                "only accepted or completed ones do")
    note = (note or "").strip()
    if not note:
        raise Invalid({"note": ["Say what came of the referral."]})
    if referral.status == "accepted":
        referral.move_to("completed", now)
    referral.outcome_note = note
    referral.outcome_value = (value or "").strip() or None
    referral.outcome_by_id = by_id
    referral.outcome_at = now
