"""The referral lifecycle of the contract: which status can follow which."""

from datetime import datetime

import pytest

from referral.domain.errors import IllegalTransition
from referral.domain.lifecycle import TRANSITIONS
from referral.domain.model import Handoff, Referral

NOW = datetime(2026, 11, 25, 9, 0)
ALL = list(TRANSITIONS)


@pytest.mark.parametrize("current", ALL)
@pytest.mark.parametrize("new", ALL)
def test_only_the_contracts_transitions_are_allowed(current, new):
    r = Referral(1, 2, NOW, status=current)
    allowed = (current, new) in {("offered", "accepted"), ("offered", "declined"), ("offered", "expired"),
                                 ("offered", "withdrawn"), ("accepted", "completed")}
    if allowed:
        r.move_to(new, NOW)
        assert r.status == new
    else:
        with pytest.raises(IllegalTransition):
            r.move_to(new, NOW)
        assert r.status == current


def test_a_revised_disclosure_keeps_every_earlier_version_and_its_hash():
    h = Handoff(1, {"name": "C", "email": "c@example.org", "needs": "books"}, ["late_payments"], [],
                "Paid late twice.", "refer_elsewhere", None, NOW)
    first = h.disclosure
    h.revise_disclosure("Paid 41 days late on 2 March.", NOW)
    h.revise_disclosure("Paid 41 days late on 2 March.", NOW)  # same text: no new version
    assert [d.version for d in h.disclosures] == [1, 2]
    assert h.disclosures[0].text == "Paid late twice." and h.disclosures[0].sha256 == first.sha256
    assert h.disclosure.sha256 == "%s" % __import__("hashlib").sha256("Paid 41 days late on 2 March.".encode()).hexdigest()
