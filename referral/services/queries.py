"""Read-only views for pages and the API (no business rules, no commits)."""

from __future__ import annotations

from sqlalchemy import String, and_, cast, func, or_, select

from referral.adapters import orm
from referral.adapters.uow import UnitOfWork
from referral.domain.lifecycle import OPEN_STATUSES
from referral.domain.ownership import manages

C = orm.colleagues
#: the directory: colleagues not removed, each with the member whose own record it is (if any)
_DIRECTORY = (select(C, orm.members.c.id.label("own_member_id"))
              .outerjoin(orm.members, orm.members.c.colleague_id == C.c.id).where(C.c.removed_at.is_(None)))


def _manageable(me: int, row) -> bool:
    return manages(me, colleague_id=row.id, added_by_id=row.added_by_id, is_member=row.own_member_id is not None)


def colleague_row(row, open_count: int = 0, manageable: bool = False) -> dict:
    return {
        "id": row.id, "name": row.name, "email": row.email, "specialties": list(row.specialties),
        "target_clientele": row.target_clientele, "capacity": row.capacity, "location": row.location,
        "remote": row.remote, "dealbreakers": list(row.dealbreakers), "paused_until": row.paused_until,
        "firm": row.firm, "open_referrals": open_count, "manageable": manageable,
        "created_at": row.created_at, "updated_at": row.updated_at,
    }


def open_referral_counts(session, ids=None) -> dict[int, int]:
    """Colleague id -> referrals that take one of their places (offered plus accepted)."""
    R = orm.referrals
    q = select(R.c.to_id, func.count()).where(R.c.status.in_(OPEN_STATUSES)).group_by(R.c.to_id)
    if ids is not None:
        q = q.where(R.c.to_id.in_(list(ids)))
    return dict(session.execute(q).all())


def member_colleague_id(session, member_id: int) -> int:
    """The colleague record of a member who exists (callers act for a logged-in member)."""
    return session.scalar(select(orm.members.c.colleague_id).where(orm.members.c.id == member_id))


def list_colleagues(uow: UnitOfWork, member_id: int, q: str = "", page: int = 1,
                    per_page: int = 20, state=None, now=None) -> tuple[list[dict], int]:
    """One page of the directory (removed colleagues left out), searched by name, specialty or clientele;
    and the total.

    With ``state`` (the process's :class:`referral.services.handoffs.MatchState`) a colleague
    whose specialties fit ``q`` as matching reads it ("lawyer", "bookeeping") is found too.

    A page past the end is empty, however far past: the offset never reaches the database's limit.
    """
    offset = (page - 1) * per_page
    with uow.reading():
        s = uow.session
        me = member_colleague_id(s, member_id)
        where = []
        for word in q.split():
            like = f"%{word.lower()}%"
            where.append(or_(func.lower(C.c.name).like(like), func.lower(C.c.target_clientele).like(like),
                             func.lower(cast(C.c.specialties, String)).like(like),
                             func.lower(func.coalesce(C.c.location, "")).like(like)))
        if where and state is not None:
            fits = state.search(s, q, now)
            where = [or_(and_(*where), C.c.id.in_(fits))] if fits else where
        total = s.execute(select(func.count()).select_from(C).where(C.c.removed_at.is_(None), *where)
                          ).scalar_one()
        if offset >= total:
            return [], total
        rows = s.execute(_DIRECTORY.where(*where).order_by(func.lower(C.c.name), C.c.id)
                         .limit(per_page).offset(offset)).all()
        counts = open_referral_counts(s, [r.id for r in rows])
        return [colleague_row(r, counts.get(r.id, 0), _manageable(me, r)) for r in rows], total


def get_colleague(uow: UnitOfWork, member_id: int, colleague_id: int) -> dict | None:
    """One colleague of the directory, with ``manageable`` for this member; None if unknown or removed."""
    with uow.reading():
        s = uow.session
        row = s.execute(_DIRECTORY.where(C.c.id == colleague_id)).first()
        if row is None:
            return None
        me = member_colleague_id(s, member_id)
        return colleague_row(row, open_referral_counts(s, [row.id]).get(row.id, 0), _manageable(me, row))


def handoff_status(offer_statuses) -> str:
    """``placed`` once a colleague accepted, ``offered`` while an offer waits, else ``open``.

    Derived from the offers every time, so it can never disagree with them.
    """
    statuses = set(offer_statuses)
    if statuses & {"accepted", "completed"}:
        return "placed"
    return "offered" if "offered" in statuses else "open"


def handoff_summaries(uow: UnitOfWork, member_id: int) -> list[dict]:
    """The member's outgoing clients, newest first, with their status and latest offer."""
    H, R = orm.handoffs, orm.referrals
    with uow.reading():
        rows = uow.session.execute(select(H.c.id, H.c.client_name, H.c.client_needs, H.c.created_at)
                                   .where(H.c.member_id == member_id).order_by(H.c.id.desc())).all()
        offers: dict[int, list] = {}
        if rows:
            q = (select(R.c.handoff_id, R.c.status, C.c.name).join(C, C.c.id == R.c.to_id)
                 .where(R.c.handoff_id.in_([r.id for r in rows])).order_by(R.c.id))
            for r in uow.session.execute(q):
                offers.setdefault(r.handoff_id, []).append((r.status, r.name))
        return [dict(r._mapping, offer=offers[r.id][-1] if r.id in offers else None,
                     status=handoff_status(st for st, _ in offers.get(r.id, ()))) for r in rows]


def handoff_detail(uow: UnitOfWork, member_id: int, handoff_id: int) -> dict | None:
    """Everything the member wrote about one outgoing client, every disclosure version, the offers,
    and every correction of the client's details (``client_changes``, newest first)."""
    H, D, R = orm.handoffs, orm.disclosures, orm.referrals
    with uow.reading():
        s = uow.session
        row = s.execute(select(H).where(H.c.id == handoff_id, H.c.member_id == member_id)).first()
        if row is None:
            return None
        versions = [dict(v._mapping) for v in s.execute(
            select(D.c.version, D.c.text, D.c.sha256, D.c.created_at).where(D.c.handoff_id == handoff_id)
            .order_by(D.c.version))]
        offers = [dict(o._mapping) for o in s.execute(
            select(R.c.id, R.c.to_id, C.c.name, R.c.status, R.c.offered_at, R.c.answered_at)
            .join(C, C.c.id == R.c.to_id).where(R.c.handoff_id == handoff_id).order_by(R.c.id))]
        CH = orm.client_changes
        changes = [dict(c._mapping) for c in s.execute(
            select(CH.c.field, CH.c.old_value, CH.c.new_value, CH.c.changed_at)
            .where(CH.c.handoff_id == handoff_id).order_by(CH.c.id.desc()))]
        data = dict(row._mapping)
        client = {k[len("client_"):]: data.pop(k) for k in list(data) if k.startswith("client_")}
        return dict(data, client=client, disclosures=versions, disclosure=versions[-1]["text"],
                    offers=offers, status=handoff_status(o["status"] for o in offers), client_changes=changes)


def colleague_names(uow: UnitOfWork, ids) -> dict[int, str]:
    with uow.reading():
        return dict(uow.session.execute(select(C.c.id, C.c.name).where(C.c.id.in_(list(ids)))).all())
