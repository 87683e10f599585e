"""The referral (offer) lifecycle of the public contract.

``offered -> accepted | declined | expired | withdrawn`` and ``accepted -> completed``.
Every other move raises :class:`~referral.domain.errors.IllegalTransition`.

Examples
--------
>>> check_transition("offered", "accepted")
>>> check_transition("declined", "accepted")
Traceback (most recent call last):
...
referral.domain.errors.IllegalTransition: a referral that is declined cannot become accepted
"""

from referral.domain.errors import IllegalTransition

__all__ = ["OPEN_STATUSES", "TRANSITIONS", "check_transition"]

TRANSITIONS: dict[str, frozenset[str]] = {
    "offered": frozenset({"accepted", "declined", "expired", "withdrawn"}),
    "accepted": frozenset({"completed"}),
    "declined": frozenset(),
    "expired": frozenset(),
    "withdrawn": frozenset(),
    "completed": frozenset(),
}

#: statuses that take one of a colleague's places (the contract's "open referrals")
OPEN_STATUSES = ("offered", "accepted")


def check_transition(current: str, new: str) -> None:
    """Return quietly when ``current -> new`` is allowed, else raise ``IllegalTransition``."""
    if new not in TRANSITIONS.get(current, frozenset()):
        raise IllegalTransition(f"a referral that is {current} cannot become {new}")
