"""Who may be offered a client now: the contract's hard rules, read from the database.

The counts behind the rules (open referrals per colleague, who already turned this
handoff down) are read here; the caller locks the colleague row first when the answer
must hold until its commit.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from referral.adapters import orm
from referral.domain.lifecycle import OPEN_STATUSES
from referral.domain.model import Colleague, Handoff
from referral.domain.rules import broken_rule
from referral.services.queries import member_colleague_id

__all__ = ["breaks_hard_rule", "open_counts", "turned_down_ids", "why_not_offerable"]


def breaks_hard_rule(
    handoff: Handoff,
    colleague: Colleague,
    *,
    member_colleague_id: int | None,
    open_count: int,
    turned_down: bool,
    today: date | None,
) -> str | None:
    """None when no hard rule keeps ``colleague`` from ``handoff``'s client, else why, in plain words.

    The rules themselves are :func:`referral.domain.rules.broken_rule` (written once, shared
    with matching and the network page); this only says the broken one in words.
    """
    if colleague.removed_at is not None:
        return f"{colleague.name} is no longer in the network."
    rule = broken_rule(colleague_id=colleague.id, capacity=colleague.capacity, paused_until=colleague.paused_until,
                       dealbreakers=colleague.dealbreakers, remote=colleague.remote, location=colleague.location,
                       member_colleague_id=member_colleague_id, open_count=open_count, turned_down=turned_down,
                       reasons=handoff.reasons, client_location=handoff.client_location, today=today)
    return None if rule is None else {
        "self": lambda: "You cannot offer a client to yourself.",
        "full": lambda: (f"{colleague.name} has no free place: {open_count} open referral"
                         f"{'s' if open_count != 1 else ''} of {colleague.capacity}."),
        "paused": lambda: f"{colleague.name} takes no referrals until after {colleague.paused_until}.",  # ISO
        "dealbreaker": lambda: (f"{colleague.name} does not take clients for this reason: "
                                f"{', '.join(sorted(set(colleague.dealbreakers) & set(handoff.reasons)))}."),
        "turned_down": lambda: f"{colleague.name} already declined this client, or let the offer expire.",
        "place": lambda: f"{colleague.name} serves only clients in {colleague.location or 'their own area'}.",
    }[rule]()


def turned_down_ids(session: Session, handoff_id: int) -> set[int]:
    """Colleagues who declined this handoff or let its offer expire."""
    R = orm.referrals
    return set(
        session.scalars(
            select(R.c.to_id).where(R.c.handoff_id == handoff_id, R.c.status.in_(("declined", "expired")))
        )
    )


def open_counts(session: Session, ids: Iterable[int] | None = None) -> dict[int, int]:
    """Open referrals (offered plus accepted) per colleague id; colleagues with none are absent."""
    R = orm.referrals
    q = select(R.c.to_id, func.count()).where(R.c.status.in_(OPEN_STATUSES)).group_by(R.c.to_id)
    if ids is not None:
        q = q.where(R.c.to_id.in_(list(ids)))
    return dict(session.execute(q).all())


def why_not_offerable(session: Session, handoff: Handoff, colleague: Colleague, today: date) -> str | None:
    """None when the contract's hard rules let ``colleague`` be offered ``handoff``'s client, else why not.

    The rules: not the member themself, open referrals (offered plus accepted) below
    capacity, not paused today, no dealbreaker among the handoff's reasons, has not
    declined or let expire this handoff, and a ``remote: false`` colleague only where the
    client is. Lock the colleague row first when the answer must hold until commit.
    """
    return breaks_hard_rule(
        handoff,
        colleague,
        member_colleague_id=member_colleague_id(session, handoff.member_id),
        open_count=open_counts(session, [colleague.id]).get(colleague.id, 0),
        turned_down=colleague.id in turned_down_ids(session, handoff.id),
        today=today,
    )
