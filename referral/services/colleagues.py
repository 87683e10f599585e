"""Use cases of the colleague directory: add, edit, pause, remove, connect (CSV import: ``colleague_import``).

Values arrive already validated for shape (the web layer's schemas); the rules that need
the database live here: an email unique in the network, and the ownership model of
``referral/domain/ownership.py`` (who may edit which field, and when).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from referral.adapters import orm
from referral.adapters import outbox as outbox_table
from referral.adapters.uow import UnitOfWork
from referral.config import Settings
from referral.domain.errors import Conflict, Invalid, NotFound
from referral.domain.lifecycle import OPEN_STATUSES
from referral.domain.model import Colleague, Connection, Member
from referral.domain.ownership import manages, refused_changes
from referral.services import mailbox
from referral.services.offers import load_member
from referral.services.vectors import store_vectors

TAKEN = "A colleague with this email is already in the network."


def _holder_of(uow: UnitOfWork, email: str, except_id: int | None = None) -> Colleague | None:
    """The colleague (removed ones included: the row keeps its email) who has this email."""
    C = orm.colleagues
    q = select(Colleague).where(C.c.email == email.strip().lower())
    if except_id is not None:
        q = q.where(C.c.id != except_id)
    return uow.session.scalar(q)


def _flush_email(session) -> None:
    """Write a new or changed colleague; an email another request stored since the look-up
    (PostgreSQL lets both look up at once; the unique index decides) is ``Invalid``, not a 500."""
    try:
        session.flush()
    except IntegrityError as err:
        raise Invalid({"email": [TAKEN]}) from err


def _is_member(session, colleague_id: int) -> bool:
    M = orm.members
    return session.scalar(select(M.c.id).where(M.c.colleague_id == colleague_id)) is not None


def _open_referrals(session, colleague_id: int) -> int:
    R = orm.referrals
    return session.scalar(
        select(func.count()).select_from(R).where(R.c.to_id == colleague_id, R.c.status.in_(OPEN_STATUSES)))


def _editable(uow: UnitOfWork, member_id: int, colleague_id: int) -> Colleague:
    """The colleague, locked until commit, if this member manages it (see ``ownership.manages``); else NotFound.

    The lock holds the count of open offers still while an edit is checked against it (an offer
    locks the same row).
    """
    s = uow.session
    member = s.get(Member, member_id)
    colleague = s.get(Colleague, colleague_id, with_for_update=True, populate_existing=True)
    if (member is None or colleague is None or colleague.removed_at is not None
            or not manages(member.colleague_id, colleague_id=colleague.id, added_by_id=colleague.added_by_id,
                           is_member=_is_member(s, colleague.id))):
        raise NotFound(f"no colleague {colleague_id} that you manage")
    return colleague


def add_colleague(uow: UnitOfWork, member_id: int, fields: dict, now: datetime) -> int:
    """Add a colleague to the network and return its id; a taken email raises ``Invalid``.

    The email of a removed colleague brings that record back, with the new fields, managed
    by the member who added it again (their referral history stays attached).
    """
    with uow:
        member = uow.session.get(Member, member_id)
        adder = member.colleague_id if member else None
        colleague = _holder_of(uow, fields["email"])
        if colleague is not None and colleague.removed_at is None:
            raise Invalid({"email": [TAKEN]})
        if colleague is None:
            colleague = Colleague(**fields, added_by_id=adder, now=now)
            uow.session.add(colleague)
            _flush_email(uow.session)
        else:
            colleague.update(now, **fields)
            colleague.added_by_id, colleague.removed_at = adder, None
        store_vectors(uow.session, [colleague])
        uow.commit()
        return colleague.id


def edit_colleague(uow: UnitOfWork, settings: Settings, member_id: int, colleague_id: int, fields: dict,
                   now: datetime) -> None:
    """Change some fields (pausing is ``paused_until``) of a colleague the member manages.

    Raises ``NotFound`` for an unknown colleague or one the member does not manage, ``Invalid``
    for an email another colleague has, and ``Conflict`` naming the field for an email change
    while offers to the colleague are open, or a capacity below them. When the email does
    change, every other member with referrals to this colleague is told by mail.
    """
    with uow:
        s = uow.session
        colleague = _editable(uow, member_id, colleague_id)
        if "email" in fields and _holder_of(uow, fields["email"], except_id=colleague_id) is not None:
            raise Invalid({"email": [TAKEN]})
        refused = refused_changes(fields, email=colleague.email, capacity=colleague.capacity,
                                  open_referrals=_open_referrals(s, colleague_id))
        if refused:
            raise Conflict(" ".join(m for ms in refused.values() for m in ms), refused)
        old_email = colleague.email
        if colleague.update(now, **fields):
            _flush_email(s)
            store_vectors(s, [colleague])
            if colleague.email != old_email:
                _tell_members_of_new_email(s, settings, colleague, old_email, member_id, now)
        uow.commit()


def _tell_members_of_new_email(s, settings: Settings, colleague: Colleague, old_email: str,
                               editor_id: int, now: datetime) -> None:
    """Queue a note to each other member who has referred a client to ``colleague``."""
    R, M = orm.referrals, orm.members
    editor = s.get(Member, editor_id)
    told = s.scalars(
        select(Member).where(M.c.colleague_id.in_(select(R.c.from_id).where(R.c.to_id == colleague.id)),
                             M.c.id != editor_id).order_by(M.c.id)).all()
    for member in told:
        mail = mailbox.colleague_email_changed(
            member_name=member.name, member_email=member.email, colleague_name=colleague.name,
            old_email=old_email, new_email=colleague.email, changed_by=editor.name)
        outbox_table.queue(s, mail, mail_from=settings.mail_from, now=now, member_id=member.id, referral_id=None)


def delete_colleague(uow: UnitOfWork, member_id: int, colleague_id: int, now: datetime) -> None:
    """Take a colleague the member manages out of the network; the record and its history stay.

    A removed colleague is never a candidate and never offered again; referrals already
    made to them (any member's) keep working. A member's own record cannot be removed
    (``Conflict``); a colleague the member does not manage answers ``NotFound``.
    """
    with uow:
        colleague = _editable(uow, member_id, colleague_id)
        if _is_member(uow.session, colleague_id):
            raise Conflict("a member's own record cannot be deleted")
        colleague.remove(now)
        uow.commit()


def connect(uow: UnitOfWork, member_id: int, colleague_id: int, now: datetime) -> bool:
    """Record that the member knows the colleague; True if new, False if already known."""
    with uow:
        member = load_member(uow.session, member_id)
        colleague = uow.session.get(Colleague, colleague_id)
        if colleague is None or colleague.removed_at is not None:
            raise NotFound(f"no colleague {colleague_id}")
        if colleague_id == member.colleague_id:
            raise Invalid({"colleague_id": ["You cannot connect to yourself."]})
        a, b = sorted((member.colleague_id, colleague_id))
        K = orm.connections
        known = uow.session.scalar(select(K.c.id).where(K.c.a_id == a, K.c.b_id == b))
        if known:
            return False
        uow.session.add(Connection(a, b, now))
        uow.commit()
        return True


def count(uow: UnitOfWork) -> int:
    with uow.reading():
        return uow.session.execute(select(func.count()).select_from(Colleague)).scalar_one()
