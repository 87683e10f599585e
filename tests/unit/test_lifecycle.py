"""The referral lifecycle of the contract, move by move."""

from datetime import datetime

import pytest

from referral.domain.errors import IllegalTransition
from referral.domain.lifecycle import TRANSITIONS
from referral.domain.model import Referral
from referral.domain.vocab import REFERRAL_STATUSES

NOW = datetime(2026, 11, 25, 9, 0)
ALLOWED = {(a, b) for a, targets in TRANSITIONS.items() for b in targets}
EVERY_MOVE = [(a, b) for a in REFERRAL_STATUSES for b in REFERRAL_STATUSES]


def test_the_table_is_the_contracts():
    assert ALLOWED == {
        ("offered", "accepted"),
        ("offered", "declined"),
        ("offered", "expired"),
        ("offered", "withdrawn"),
        ("accepted", "completed"),
    }


@pytest.mark.parametrize("current, new", EVERY_MOVE)
def test_a_referral_moves_only_along_the_lifecycle(current, new):
    r = Referral(1, 2, NOW, status=current)
    if (current, new) in ALLOWED:
        r.move_to(new, NOW)
        assert r.status == new
    else:
        with pytest.raises(IllegalTransition):
            r.move_to(new, NOW)
        assert r.status == current


@pytest.mark.parametrize("answer", ["accepted", "declined", "expired", "withdrawn"])
def test_every_answer_to_an_offer_records_when(answer):
    r = Referral(1, 2, NOW)
    later = datetime(2026, 11, 26, 14, 30)
    r.move_to(answer, later)
    assert r.answered_at == later
