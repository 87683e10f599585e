"""The contract's hard rules exist once (referral.domain.rules); every use agrees with it."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from referral.domain.matching import (
    ClientNeed,
    MatchContext,
    MatchIndex,
    Profile,
    brute_force_rank,
    hard_rule,
)
from referral.domain.model import Colleague, Handoff
from referral.domain.network import is_available
from referral.domain.rules import RULES, broken_rule
from referral.services.eligibility import breaks_hard_rule

TODAY = date(2026, 3, 2)
MEMBER = 99

# one situation per rule, where that rule (and no other) excludes colleague 1
SITUATIONS: dict[str | None, dict] = {
    None: {},
    "self": {"member": 1},
    "full": {"open": 2},
    "paused": {"paused_until": TODAY},
    "dealbreaker": {"dealbreakers": frozenset({"hostile"})},
    "turned_down": {"turned_down": True},
    "place": {"remote": False, "location": "Leeds"},
}


def _facts(case: dict) -> dict:
    return {"colleague_id": 1, "capacity": 2, "paused_until": case.get("paused_until"),
            "dealbreakers": case.get("dealbreakers", frozenset()), "remote": case.get("remote", True),
            "location": case.get("location", "Leeds"), "member_colleague_id": case.get("member", MEMBER),
            "open_count": case.get("open", 0), "turned_down": case.get("turned_down", False),
            "reasons": ("hostile",), "client_location": "York", "today": TODAY}


def test_every_rule_has_a_situation():
    assert set(SITUATIONS) - {None} == set(RULES)


@pytest.mark.parametrize("rule", list(SITUATIONS))
def test_matching_offers_and_the_network_page_agree_with_the_one_rule(rule):
    facts = _facts(SITUATIONS[rule])
    assert broken_rule(**facts) == rule

    profile = Profile(1, "Ana", ("bookkeeping",), location=facts["location"], remote=facts["remote"], capacity=2,
                      dealbreakers=facts["dealbreakers"], paused_until=facts["paused_until"])
    client = ClientNeed("bookkeeping", location="York")
    ctx = MatchContext(facts["member_colleague_id"], frozenset(facts["reasons"]), TODAY,
                       {1: facts["open_count"]}, excluded=frozenset({1} if facts["turned_down"] else ()))
    assert (hard_rule(profile, client, ctx) is None) == (rule is None)
    assert [c.colleague_id for c in MatchIndex([profile]).rank(client, ctx)] == ([] if rule else [1])
    assert [c.colleague_id for c in brute_force_rank([profile], client, ctx)] == ([] if rule else [1])

    colleague = Colleague("Ana", "ana@example.org", ["bookkeeping"], capacity=2, location=facts["location"],
                          remote=facts["remote"], dealbreakers=sorted(facts["dealbreakers"]),
                          paused_until=facts["paused_until"])
    colleague.id = 1
    handoff = Handoff(MEMBER, {"name": "C", "email": "c@example.org", "needs": "bookkeeping", "location": "York"},
                      ["hostile"], [], "A fair warning.", "refer_elsewhere", None, datetime(2026, 3, 1))
    said = breaks_hard_rule(handoff, colleague, member_colleague_id=facts["member_colleague_id"],
                            open_count=facts["open_count"], turned_down=facts["turned_down"], today=TODAY)
    assert (said is None) == (rule is None)

    # the network page shows "available" for what does not depend on the client
    available = is_available({"capacity": 2, "paused_until": facts["paused_until"]}, facts["open_count"], TODAY)
    assert available == (rule not in ("full", "paused"))
