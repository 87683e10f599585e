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

__all__ = ["OPEN_STATUSES", "REOPENABLE", "TRANSITIONS", "check_reopen", "check_transition"]

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


#: answers a member may undo when they were recorded by mistake: the offer becomes ``offered`` again
#: (outside the contract's table on purpose: an undo is not a step of the lifecycle, and it is logged)
REOPENABLE = frozenset({"accepted", "declined", "expired"})


def check_reopen(current: str) -> None:
    """Return quietly when an answer in status ``current`` may be undone, else raise ``IllegalTransition``.

    >>> check_reopen("declined")
    >>> check_reopen("withdrawn")
    Traceback (most recent call last):
    ...
    referral.domain.errors.IllegalTransition: a referral that is withdrawn cannot be reopened
    """
    if current not in REOPENABLE:
        raise IllegalTransition(f"a referral that is {current} cannot be reopened")

