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
from referral.domain.text import place_key, places_match

__all__ = ["breaks_hard_rule", "member_colleague_id", "open_counts", "turned_down_ids", "why_not_offerable"]


def breaks_hard_rule(
    handoff: Handoff,
    colleague: Colleague,
    *,
    member_colleague_id: int,
    open_count: int,
    turned_down: bool,
    today: date | None,
) -> str | None:
    """None when no hard rule keeps ``colleague`` from ``handoff``'s client, else why, in plain words."""
    if colleague.id == member_colleague_id:
        return "You cannot offer a client to yourself."
    if colleague.removed_at is not None:
        return f"{colleague.name} is no longer in the network."
    if open_count >= colleague.capacity:
        return (
            f"{colleague.name} has no free place: {open_count} open referral"
            f"{'s' if open_count != 1 else ''} of {colleague.capacity}."
        )
    if today is not None and colleague.is_paused(today):
        return f"{colleague.name} takes no referrals until after {colleague.paused_until.isoformat()}."
    clash = sorted(set(colleague.dealbreakers) & set(handoff.reasons))
    if clash:
        return f"{colleague.name} does not take clients for this reason: {', '.join(clash)}."
    if turned_down:
        return f"{colleague.name} already declined this client, or let the offer expire."
    if not colleague.remote and place_key(handoff.client_location) and not places_match(
            colleague.location, handoff.client_location):
        return f"{colleague.name} serves only clients in {colleague.location or 'their own area'}."
    return None


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


def member_colleague_id(session: Session, member_id: int) -> int:
    return session.scalar(select(orm.members.c.colleague_id).where(orm.members.c.id == member_id))


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
