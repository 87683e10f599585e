"""The contract's hard rules: who may never be offered a client. Written once, here.

Matching (:func:`referral.domain.matching.hard_rule`, and its vectorised form in
``MatchIndex._eligible``), offering (``referral.services.offers.breaks_hard_rule``) and the
network page (:func:`referral.domain.network.is_available`) all ask :func:`broken_rule`;
each words the answer for its reader. ``tests/unit/test_rules.py`` checks that they agree.

>>> broken_rule(colleague_id=2, capacity=1, paused_until=None, dealbreakers=(), remote=True, location=None,
...             member_colleague_id=1, open_count=1, turned_down=False, reasons=(), client_location=None,
...             today=date(2026, 1, 1))
'full'
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from referral.domain.text import place_key, places_match

__all__ = ["RULES", "broken_rule", "takes_referrals"]

#: Every rule, in the order they are checked.
RULES = ("self", "full", "paused", "dealbreaker", "turned_down", "place")


def takes_referrals(capacity: int, open_count: int, paused_until: date | None, today: date | None) -> bool:
    """Has a free place and is not paused today (``today`` None: pauses are not checked)."""
    return open_count < capacity and not (today is not None and paused_until is not None and paused_until >= today)


def broken_rule(*, colleague_id: int, capacity: int, paused_until: date | None, dealbreakers: Iterable[str],
                remote: bool, location: str | None, member_colleague_id: int | None, open_count: int,
                turned_down: bool, reasons: Iterable[str], client_location: str | None,
                today: date | None) -> str | None:
    """The first rule (a code of :data:`RULES`) that excludes this colleague for this client, or None.

    ``self``: it is the member; ``full``: open referrals reach capacity; ``paused``: paused on or
    after ``today``; ``dealbreaker``: a reason of the handoff is one of theirs; ``turned_down``:
    declined or let this handoff's offer expire; ``place``: not remote and not where the client is.
    """
    if colleague_id == member_colleague_id:
        return "self"
    if open_count >= capacity:
        return "full"
    if not takes_referrals(capacity, open_count, paused_until, today):
        return "paused"
    if set(dealbreakers) & set(reasons):
        return "dealbreaker"
    if turned_down:
        return "turned_down"
    if not remote and place_key(client_location) and not places_match(location, client_location):
        return "place"
    return None
