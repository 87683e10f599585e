"""API tokens: several per member, each named, with an expiry; listed, revoked and rotated.

A token is shown once, when it is made; only its SHA-256 is stored, so a copy of the
database gives no working token. A token stops working when it expires or is revoked.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select, update

from referral.adapters import orm
from referral.adapters.uow import UnitOfWork
from referral.domain.errors import Conflict, Invalid, NotFound
from referral.domain.model import ApiToken

__all__ = ["DEFAULT_DAYS", "MAX_DAYS", "create", "list_tokens", "member_for_token", "revoke", "rotate"]

DEFAULT_DAYS = 365
MAX_DAYS = 3 * 365
FIRST_TOKEN_NAME = "first token"
# "last used" is written at most this often, so API reads do not each become a write
LAST_USED_PRECISION = timedelta(hours=1)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _check(name: str, days: int) -> str:
    name = name.strip()
    errors = {}
    if not 1 <= len(name) <= 100:
        errors["name"] = ["Give the token a name of 1 to 100 characters (what it is for)."]
    if not 1 <= days <= MAX_DAYS:
        errors["days"] = [f"A token lasts from 1 to {MAX_DAYS} days."]
    if errors:
        raise Invalid(errors)
    return name


def issue(session, member_id: int, name: str, days: int, now: datetime) -> tuple[int, str]:
    """Add a token inside the caller's transaction; returns ``(token id, token)``."""
    token = secrets.token_urlsafe(32)
    row = ApiToken(member_id, name, hash_token(token), now, now + timedelta(days=days))
    session.add(row)
    session.flush()
    return row.id, token


def create(uow: UnitOfWork, member_id: int, name: str, days: int, now: datetime) -> tuple[int, str]:
    """A new token for the member; returns ``(token id, token)``, the token shown only now.

    Raises ``Invalid`` naming ``name`` (1-100 characters) or ``days`` (1 to ``MAX_DAYS``).
    """
    name = _check(name, days)
    with uow:
        made = issue(uow.session, member_id, name, days, now)
        uow.commit()
    return made


def list_tokens(uow: UnitOfWork, member_id: int, now: datetime) -> list[dict]:
    """The member's tokens, newest first: ``id, name, created_at, expires_at, revoked_at,
    last_used_at, status`` (``active``, ``expired`` or ``revoked``); never the token itself."""
    T = orm.api_tokens
    with uow.reading():
        rows = uow.session.execute(select(T.c.id, T.c.name, T.c.created_at, T.c.expires_at, T.c.revoked_at,
                                          T.c.last_used_at).where(T.c.member_id == member_id)
                                   .order_by(T.c.id.desc())).all()
    return [dict(r._mapping, status="revoked" if r.revoked_at else "expired" if r.expires_at <= now else "active")
            for r in rows]


def _own(uow: UnitOfWork, member_id: int, token_id: int) -> ApiToken:
    row = uow.session.get(ApiToken, token_id)
    if row is None or row.member_id != member_id:
        raise NotFound(f"No token {token_id}.")
    return row


def revoke(uow: UnitOfWork, member_id: int, token_id: int, now: datetime) -> None:
    """Stop one of the member's tokens working; another member's token raises ``NotFound``."""
    with uow:
        _own(uow, member_id, token_id).revoke(now)
        uow.commit()


def rotate(uow: UnitOfWork, member_id: int, token_id: int, now: datetime) -> tuple[int, str]:
    """Replace a token (an expired one too): the old one stops working now, a new one with the
    same name and the same lifetime takes its place. Returns ``(new id, new token)``;
    ``NotFound`` as for revoke, ``Conflict`` for a revoked token (revoking is meant to last)."""
    with uow:
        old = _own(uow, member_id, token_id)
        if old.revoked_at is not None:
            raise Conflict(f"Token {token_id} was revoked; make a new token instead.")
        old.revoke(now)
        days = max(1, (old.expires_at - old.created_at).days)
        made = issue(uow.session, member_id, old.name, days, now)
        uow.commit()
    return made


def member_for_token(uow: UnitOfWork, token: str, now: datetime) -> int | None:
    """The member whose token this is, while it works (not expired, not revoked); else None."""
    T = orm.api_tokens
    with uow.reading():
        row = uow.session.execute(select(T.c.id, T.c.member_id, T.c.last_used_at).where(
            T.c.token_hash == hash_token(token), T.c.revoked_at.is_(None), T.c.expires_at > now)).first()
    if row is None:
        return None
    if row.last_used_at is None or now - row.last_used_at >= LAST_USED_PRECISION:
        with uow:
            uow.session.execute(update(T).where(T.c.id == row.id).values(last_used_at=now))
            uow.commit()
    return row.member_id
