"""Read-only views for pages and the API (no business rules, no commits)."""

from __future__ import annotations

from sqlalchemy import String, cast, func, or_, select

from referral.adapters import orm
from referral.adapters.uow import UnitOfWork
from referral.domain.lifecycle import OPEN_STATUSES

C = orm.colleagues


def colleague_row(row, open_count: int = 0, manageable: bool = False) -> dict:
    return {
        "id": row.id, "name": row.name, "email": row.email, "specialties": list(row.specialties),
        "target_clientele": row.target_clientele, "capacity": row.capacity, "location": row.location,
        "remote": row.remote, "dealbreakers": list(row.dealbreakers), "paused_until": row.paused_until,
        "open_referrals": open_count, "manageable": manageable,
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
    return session.scalar(select(orm.members.c.colleague_id).where(orm.members.c.id == member_id))


def list_colleagues(uow: UnitOfWork, member_id: int, q: str = "", page: int = 1,
                    per_page: int = 20) -> tuple[list[dict], int]:
    """One page of the directory, searched by name, specialty or clientele; and the total."""
    with uow:
        s = uow.session
        me = member_colleague_id(s, member_id)
        where = []
        for word in q.split():
            like = f"%{word.lower()}%"
            where.append(or_(func.lower(C.c.name).like(like), func.lower(C.c.target_clientele).like(like),
                             func.lower(cast(C.c.specialties, String)).like(like),
                             func.lower(func.coalesce(C.c.location, "")).like(like)))
        total = s.scalar(select(func.count()).select_from(C).where(*where))
        rows = s.execute(select(C).where(*where).order_by(func.lower(C.c.name), C.c.id)
                         .limit(per_page).offset((page - 1) * per_page)).all()
        counts = open_referral_counts(s, [r.id for r in rows])
        return [colleague_row(r, counts.get(r.id, 0), me in (r.added_by_id, r.id)) for r in rows], total


def get_colleague(uow: UnitOfWork, member_id: int, colleague_id: int) -> dict | None:
    with uow:
        s = uow.session
        row = s.execute(select(C).where(C.c.id == colleague_id)).first()
        if row is None:
            return None
        me = member_colleague_id(s, member_id)
        return colleague_row(row, open_referral_counts(s, [row.id]).get(row.id, 0), me in (row.added_by_id, row.id))
