"""Signed answer links for offer emails: bound to a referral, a colleague and an action.

A link carries ``{"r": referral id, "c": colleague id, "a": action, "exp": epoch seconds,
"jti": random id}`` signed with the app's ``SECRET_KEY`` (itsdangerous). It expires
with the offer (``exp`` is the offer's ``expires_at``, checked against the app's clock,
so tests can move time) and is usable once: the service records its ``jti`` in
``used_links`` in the same transaction as the answer.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from itsdangerous import BadSignature, URLSafeTimedSerializer

from referral.domain.errors import ReferralError

__all__ = [
    "ACTIONS",
    "ExpiredLink",
    "LinkClaims",
    "LinkError",
    "LinkSigner",
    "TamperedLink",
    "UnsubscribeSigner",
    "UsedLink",
]

ACTIONS = ("accept", "decline")


class LinkError(ReferralError):
    """An answer link that cannot be used; subclasses say why."""


class TamperedLink(LinkError):
    """The link's signature does not match: changed, cut off, or not ours."""


class ExpiredLink(LinkError):
    """The offer behind the link has passed its expiry time."""

    def __init__(self, claims: LinkClaims):
        super().__init__("this link has expired")
        self.claims = claims


class UsedLink(LinkError):
    """The link was used once already."""


@dataclass(frozen=True)
class LinkClaims:
    referral_id: int
    colleague_id: int
    action: str
    expires_at: datetime
    jti: str


def _epoch(dt: datetime) -> int:
    return int(dt.replace(tzinfo=UTC).timestamp())


class LinkSigner:
    """Make and read answer links with one secret key."""

    SALT = "offer-answer-link"

    def __init__(self, secret_key: str):
        self._s = URLSafeTimedSerializer(secret_key, salt=self.SALT)

    def make(self, referral_id: int, colleague_id: int, action: str, expires_at: datetime) -> str:
        if action not in ACTIONS:
            raise ValueError(action)
        return self._s.dumps(
            {
                "r": referral_id,
                "c": colleague_id,
                "a": action,
                "exp": _epoch(expires_at),
                "jti": secrets.token_urlsafe(16),
            }
        )

    def read(self, token: str, now: datetime) -> LinkClaims:
        """The claims of a genuine link; ``TamperedLink`` or ``ExpiredLink`` otherwise."""
        try:
            data = self._s.loads(token)
            claims = LinkClaims(
                int(data["r"]),
                int(data["c"]),
                str(data["a"]),
                datetime.fromtimestamp(int(data["exp"]), UTC).replace(tzinfo=None),
                str(data["jti"]),
            )
        except (BadSignature, KeyError, TypeError, ValueError) as err:
            raise TamperedLink("this link is not valid") from err
        if claims.action not in ACTIONS:
            raise TamperedLink("this link is not valid")
        if now >= claims.expires_at:
            raise ExpiredLink(claims)
        return claims


class UnsubscribeSigner:
    """The one-click unsubscribe link of a colleague (RFC 8058): bound to the colleague, never expiring,
    since a mail may be read long after it was sent. Using it twice changes nothing."""

    SALT = "colleague-unsubscribe"

    def __init__(self, secret_key: str):
        self._s = URLSafeTimedSerializer(secret_key, salt=self.SALT)

    def make(self, colleague_id: int) -> str:
        return self._s.dumps({"c": colleague_id})

    def read(self, token: str) -> int:
        """The colleague id of a genuine link; ``TamperedLink`` otherwise."""
        try:
            return int(self._s.loads(token)["c"])
        except (BadSignature, KeyError, TypeError, ValueError) as err:
            raise TamperedLink("this link is not valid") from err
