"""Use cases of the colleague directory: add, edit, pause, delete, connect (CSV import: ``colleague_import``).

Values arrive already validated for shape (the web layer's schemas); the rules
that need the database (an email unique in the network, who may edit whom) live here.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from referral.adapters.uow import UnitOfWork
from referral.domain.errors import Conflict, Invalid, NotFound
from referral.domain.model import Colleague, Connection, Member


def _email_taken(uow: UnitOfWork, email: str, except_id: int | None = None) -> bool:
    q = select(Colleague.id).where(Colleague.email == email.strip().lower())
    if except_id is not None:
        q = q.where(Colleague.id != except_id)
    return uow.session.scalar(q) is not None


def _editable(uow: UnitOfWork, member_id: int, colleague_id: int) -> Colleague:
    """The colleague if this member may change it (they added it, or it is them), else NotFound."""
    member = uow.session.get(Member, member_id)
    colleague = uow.session.get(Colleague, colleague_id)
    if member is None or colleague is None or member.colleague_id not in (colleague.added_by_id, colleague.id):
        raise NotFound(f"no colleague {colleague_id} that you manage")
    return colleague


def add_colleague(uow: UnitOfWork, member_id: int, fields: dict, now: datetime) -> int:
    """Add a colleague to the network and return its id; a taken email raises ``Invalid``."""
    with uow:
        if _email_taken(uow, fields["email"]):
            raise Invalid({"email": ["A colleague with this email is already in the network."]})
        member = uow.session.get(Member, member_id)
        colleague = Colleague(**fields, added_by_id=member.colleague_id if member else None, now=now)
        uow.session.add(colleague)
        uow.session.flush()
        uow.commit()
        return colleague.id


def edit_colleague(uow: UnitOfWork, member_id: int, colleague_id: int, fields: dict, now: datetime) -> None:
    """Change some fields (pausing is ``paused_until``); unknown or foreign colleague: ``NotFound``."""
    with uow:
        colleague = _editable(uow, member_id, colleague_id)
        if "email" in fields and _email_taken(uow, fields["email"], except_id=colleague_id):
            raise Invalid({"email": ["A colleague with this email is already in the network."]})
        colleague.update(now, **fields)
        uow.commit()


def delete_colleague(uow: UnitOfWork, member_id: int, colleague_id: int, now: datetime) -> None:
    """Remove a colleague the member manages; a member's own record cannot be deleted."""
    with uow:
        colleague = _editable(uow, member_id, colleague_id)
        if uow.session.scalar(select(Member.id).where(Member.colleague_id == colleague_id)):
            raise Conflict("a member's own record cannot be deleted")
        uow.session.delete(colleague)
        uow.commit()


def connect(uow: UnitOfWork, member_id: int, colleague_id: int, now: datetime) -> bool:
    """Record that the member knows the colleague; True if new, False if already known."""
    with uow:
        member = uow.session.get(Member, member_id)
        if uow.session.get(Colleague, colleague_id) is None:
            raise NotFound(f"no colleague {colleague_id}")
        if colleague_id == member.colleague_id:
            raise Invalid({"colleague_id": ["You cannot connect to yourself."]})
        a, b = sorted((member.colleague_id, colleague_id))
        known = uow.session.scalar(select(Connection.id).where(Connection.a_id == a, Connection.b_id == b))
        if known:
            return False
        uow.session.add(Connection(a, b, now))
        uow.commit()
        return True


def count(uow: UnitOfWork) -> int:
    with uow.reading():
        return uow.session.scalar(select(func.count()).select_from(Colleague))
