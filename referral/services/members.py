"""Members: creation, password login and API tokens (stored only as hashes)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime

from sqlalchemy import select

from referral.adapters.uow import UnitOfWork
from referral.domain.errors import Conflict
from referral.domain.model import Colleague, Member

_SCRYPT = {"n": 2**14, "r": 8, "p": 1}


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


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_member(uow: UnitOfWork, name: str, email: str, password: str | None, now: datetime,
                  colleague_fields: dict | None = None) -> tuple[int, str]:
    """Create a member (and the colleague behind them, or reuse one with that email).

    Returns ``(member_id, token)``: the API token is shown once and only its hash is kept.
    A member with that email already raises ``Conflict``.
    """
    token = secrets.token_urlsafe(32)
    with uow:
        s = uow.session
        colleague = s.scalar(select(Colleague).where(Colleague.email == email.strip().lower()))
        if colleague is None:
            fields = {"specialties": [], **(colleague_fields or {})}
            colleague = Colleague(name=name, email=email, now=now, **fields)
            s.add(colleague)
            s.flush()
        elif s.scalar(select(Member).where(Member.colleague_id == colleague.id)) is not None:
            raise Conflict(f"a member with the email {email} already exists")
        member = Member(colleague, hash_password(password or secrets.token_urlsafe(16)),
                        hash_token(token), now)
        s.add(member)
        s.flush()
        member_id = member.id
        uow.commit()
    return member_id, token


def authenticate(uow: UnitOfWork, email: str, password: str) -> int | None:
    """The member id for a correct email and password, else None."""
    with uow.reading():
        member = uow.session.scalar(
            select(Member).join(Colleague).where(Colleague.email == email.strip().lower()))
        if member is not None and check_password(member.password_hash, password):
            return member.id
    return None


def member_for_token(uow: UnitOfWork, token: str) -> int | None:
    with uow.reading():
        return uow.session.scalar(select(Member.id).where(Member.token_hash == hash_token(token)))
