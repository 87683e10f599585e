"""Members: creation, password login, password change and the sessions a login opens.

A login cookie (the session and the "keep me logged in" cookie alike) carries the id
``"<member id>:<session key>"`` (:func:`login_id`). Logging out and changing the password
replace the member's session key, so every cookie issued before stops working, including
copies saved elsewhere.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime

from sqlalchemy import select

from referral.adapters import orm
from referral.adapters.uow import UnitOfWork
from referral.domain.errors import Conflict, Invalid, NotFound
from referral.domain.model import Colleague, Member
from referral.services import tokens

C, M = orm.colleagues, orm.members

__all__ = ["MIN_PASSWORD_LENGTH", "authenticate", "change_password", "check_password_rules", "create_member",
           "end_sessions", "login_id", "member_for_login_id", "member_id_for_email"]

_SCRYPT = {"n": 2**14, "r": 8, "p": 1}
MIN_PASSWORD_LENGTH = 10


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, dklen=32, **_SCRYPT)
    return f"scrypt${salt.hex()}${digest.hex()}"


def check_password(stored: str, password: str) -> bool:
    try:
        _, salt, digest = stored.split("$")
    except ValueError:
        return False
    got = hashlib.scrypt(password.encode(), salt=bytes.fromhex(salt), dklen=32, **_SCRYPT)
    return hmac.compare_digest(got.hex(), digest)


# checked against when the email is unknown, so an unknown email costs the same scrypt as a known one
_NOBODY = hash_password(secrets.token_urlsafe(16))


def check_password_rules(password: str, field: str = "password") -> None:
    """Raise ``Invalid`` naming ``field`` when the password is too short to be set."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise Invalid({field: [f"Use at least {MIN_PASSWORD_LENGTH} characters."]})


def _new_session_key() -> str:
    return secrets.token_hex(16)


def login_id(member_id: int, session_key: str) -> str:
    """The id a login cookie carries; it stops working when the member's session key is replaced."""
    return f"{member_id}:{session_key}"


def create_member(uow: UnitOfWork, name: str, email: str, password: str | None, now: datetime,
                  colleague_fields: dict | None = None) -> tuple[int, str]:
    """Create a member (and the colleague behind them, or reuse one with that email).

    Returns ``(member_id, token)``: a first API token, valid for ``tokens.DEFAULT_DAYS``, shown
    once (only its hash is kept). A member with that email already raises ``Conflict``; a
    password shorter than ``MIN_PASSWORD_LENGTH`` raises ``Invalid``. Without a password a
    random one is set: the member works through the API token only.
    """
    if password is not None:
        check_password_rules(password)
    with uow:
        s = uow.session
        colleague = s.scalar(select(Colleague).where(C.c.email == email.strip().lower()))
        if colleague is None:
            fields = {"specialties": [], **(colleague_fields or {})}
            colleague = Colleague(name=name, email=email, now=now, **fields)
            s.add(colleague)
            s.flush()
        elif s.scalar(select(Member).where(M.c.colleague_id == colleague.id)) is not None:
            raise Conflict(f"a member with the email {email} already exists")
        elif colleague.removed_at is not None:  # a removed colleague who joins is back in the network
            colleague.removed_at = None
        member = Member(colleague, hash_password(password or secrets.token_urlsafe(16)), _new_session_key(), now)
        s.add(member)
        s.flush()
        member_id = member.id
        _, token = tokens.issue(s, member_id, tokens.FIRST_TOKEN_NAME, tokens.DEFAULT_DAYS, now)
        uow.commit()
    return member_id, token


def authenticate(uow: UnitOfWork, email: str, password: str) -> str | None:
    """The login id (see :func:`login_id`) for a correct email and password, else None.

    An unknown email costs the same password hashing as a known one, so the answer's timing
    does not tell which emails belong to members.
    """
    with uow.reading():
        member = uow.session.scalar(
            select(Member).join(Colleague).where(C.c.email == email.strip().lower()))
        stored = member.password_hash if member is not None else _NOBODY
        if check_password(stored, password) and member is not None:
            return login_id(member.id, member.session_key)
    return None


def member_for_login_id(uow: UnitOfWork, value: str) -> dict | None:
    """``{"id", "colleague_id", "name", "email", "login_id"}`` for a login id that still works, else None."""
    member_id, _, key = value.partition(":")
    if not member_id.isdigit() or not key:
        return None
    with uow.reading():
        member = uow.session.get(Member, int(member_id))
        if member is None or not hmac.compare_digest(member.session_key, key):
            return None
        return {"id": member.id, "colleague_id": member.colleague_id, "name": member.name,
                "email": member.email, "login_id": value}


def _member(uow: UnitOfWork, member_id: int) -> Member:
    member = uow.session.get(Member, member_id)
    if member is None:
        raise NotFound(f"No member {member_id}.")
    return member


def end_sessions(uow: UnitOfWork, member_id: int) -> None:
    """Log the member out everywhere: every session and "keep me logged in" cookie stops working."""
    with uow:
        _member(uow, member_id).end_sessions(_new_session_key())
        uow.commit()


def change_password(uow: UnitOfWork, member_id: int, current: str, new: str) -> str:
    """Set a new password after checking the current one; returns the new login id.

    Every other session of the member ends (their cookies carry the old session key).
    Raises ``Invalid`` naming ``current_password`` when it is wrong, or ``new_password``
    when the new one is too short.
    """
    check_password_rules(new, "new_password")
    with uow:
        member = _member(uow, member_id)
        if not check_password(member.password_hash, current):
            raise Invalid({"current_password": ["This is not your current password."]})
        key = _new_session_key()
        member.change_password(hash_password(new), key)
        uow.commit()
    return login_id(member_id, key)


def member_id_for_email(uow: UnitOfWork, email: str) -> int:
    """The member with that login email; raises ``NotFound`` when there is none."""
    with uow.reading():
        found = uow.session.scalar(
            select(M.c.id).join(C).where(C.c.email == email.strip().lower()))
    if found is None:
        raise NotFound(f"No member with the email {email}.")
    return found
