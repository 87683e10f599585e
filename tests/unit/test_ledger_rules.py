"""Return linking and the ledger's figures, on plain records (no database)."""

from datetime import datetime, timedelta

import pytest

from referral.domain.errors import IllegalTransition, Invalid
from referral.domain.ledger import (
    Flow,
    Link,
    earliest_outstanding,
    ledger,
    link,
    network_path,
    record_outcome,
    return_rate,
)
from referral.domain.lifecycle import TRANSITIONS
from referral.domain.model import Referral

T0 = datetime(2026, 1, 1)
MAYA, BEN, CLEO, DAN, EVA = 1, 2, 3, 4, 5


def at(days: int) -> datetime:
    return T0 + timedelta(days=days)


def test_a_client_sent_back_repays_the_one_given_directly():
    history = [Flow(1, MAYA, BEN, at(0))]
    assert link(history, Flow(2, BEN, MAYA, at(5))) == Link(return_of_id=1)


def test_with_several_outstanding_the_earliest_is_repaid_first():
    history = [Flow(7, MAYA, BEN, at(3)), Flow(4, MAYA, BEN, at(1)), Flow(9, MAYA, BEN, at(2))]
    first = link(history, Flow(10, BEN, MAYA, at(5)))
    assert first.return_of_id == 4
    history.append(Flow(10, BEN, MAYA, at(5), return_of_id=4))
    assert link(history, Flow(11, BEN, MAYA, at(6))).return_of_id == 9


def test_with_none_outstanding_nothing_is_linked():
    history = [Flow(1, MAYA, BEN, at(0)), Flow(2, BEN, MAYA, at(1), return_of_id=1)]
    assert link(history, Flow(3, BEN, MAYA, at(2))) == Link()
    assert link([], Flow(3, BEN, MAYA, at(2))) == Link()


def test_a_referral_that_was_a_return_asks_for_nothing_back():
    history = [Flow(1, MAYA, BEN, at(0)), Flow(2, BEN, MAYA, at(1), return_of_id=1)]
    # Maya now sends Ben a client: it does not "repay" Ben's return
    assert link(history, Flow(3, MAYA, BEN, at(2))) == Link()


def test_a_client_that_comes_back_through_the_network_gets_its_path():
    history = [Flow(1, MAYA, BEN, at(0)), Flow(2, BEN, CLEO, at(1)), Flow(3, CLEO, DAN, at(2))]
    assert link(history, Flow(4, CLEO, MAYA, at(3))) == Link(return_path=[MAYA, BEN, CLEO])
    assert link(history, Flow(4, DAN, MAYA, at(3))) == Link(return_path=[MAYA, BEN, CLEO, DAN])


def test_a_direct_return_wins_over_a_path():
    history = [Flow(1, MAYA, BEN, at(0)), Flow(2, BEN, CLEO, at(1)), Flow(3, MAYA, CLEO, at(2))]
    assert link(history, Flow(4, CLEO, MAYA, at(3))) == Link(return_of_id=3)


def test_a_path_must_follow_time():
    history = [Flow(1, MAYA, BEN, at(5)), Flow(2, BEN, CLEO, at(1))]  # Ben passed Cleo a client before Maya's
    assert network_path(history, MAYA, CLEO, before=at(9)) is None


def test_a_path_is_limited_in_hops_and_never_passes_the_member_again():
    chain = [Flow(i, i, i + 1, at(i)) for i in range(1, 6)]  # 1 -> 2 -> 3 -> 4 -> 5 -> 6
    assert network_path(chain, 1, 5, before=at(9), max_hops=4) == [1, 2, 3, 4, 5]
    assert network_path(chain, 1, 6, before=at(9), max_hops=4) is None
    looped = [Flow(1, MAYA, BEN, at(0)), Flow(2, BEN, MAYA, at(1), return_of_id=1), Flow(3, MAYA, CLEO, at(2))]
    assert network_path(looped, MAYA, CLEO, before=at(9)) is None


def test_the_fewest_hops_win_then_the_earliest_arrival():
    history = [Flow(1, MAYA, BEN, at(0)), Flow(2, BEN, CLEO, at(1)), Flow(3, CLEO, DAN, at(2)),
               Flow(4, MAYA, EVA, at(0)), Flow(5, EVA, DAN, at(4)), Flow(6, BEN, DAN, at(3))]
    assert network_path(history, MAYA, DAN, before=at(9)) == [MAYA, BEN, DAN]


def test_each_client_given_brings_at_most_one_back_through_the_network():
    history = [Flow(1, MAYA, BEN, at(0)), Flow(2, BEN, CLEO, at(1)),
               Flow(3, CLEO, MAYA, at(2), return_path=(MAYA, BEN, CLEO))]
    assert link(history, Flow(4, CLEO, MAYA, at(3))) == Link()
    # ...but Ben may still repay Maya directly
    owed = earliest_outstanding(history, MAYA, BEN)
    assert owed is not None and owed.id == 1


def test_the_ledger_counts_given_received_returned_balance_and_owed():
    flows = [
        Flow(1, MAYA, BEN, at(0)), Flow(2, MAYA, BEN, at(1)),
        Flow(3, BEN, MAYA, at(2), return_of_id=1),               # Ben repays one of two
        Flow(4, CLEO, MAYA, at(3)), Flow(5, CLEO, MAYA, at(4)),  # Maya owes Cleo two
        Flow(6, MAYA, CLEO, at(5), return_of_id=4),              # ...and repays one
        Flow(7, BEN, DAN, at(6)),                                # not Maya's business
        Flow(8, DAN, MAYA, at(7), return_path=(MAYA, BEN, DAN)),
    ]
    rows = {r.colleague_id: r for r in ledger(flows, MAYA, {BEN: "Ben", CLEO: "Cleo", DAN: "Dan"})}
    assert set(rows) == {BEN, CLEO, DAN}
    ben, cleo, dan = rows[BEN], rows[CLEO], rows[DAN]
    assert (ben.given, ben.received, ben.returned, ben.balance, ben.owed, ben.owes_you) == (2, 1, 1, 1, 0, 1)
    assert (cleo.given, cleo.received, cleo.returned, cleo.balance, cleo.owed) == (1, 2, 0, -1, 1)
    assert (dan.received, dan.returned, dan.returned_through_network, dan.owed) == (1, 1, 1, 0)
    assert ledger(flows, MAYA)[0].colleague_id == CLEO  # those the member owes come first


def _referral(status: str) -> Referral:
    r = Referral(MAYA, BEN, T0)
    r.status = status
    return r


@pytest.mark.parametrize("status", sorted(TRANSITIONS))
def test_an_outcome_is_recorded_only_on_accepted_or_completed_referrals(status):
    r = _referral(status)
    if status in ("accepted", "completed"):
        record_outcome(r, BEN, "  Signed a yearly contract. Thank you!  ", "£2,400", at(30))
        assert r.status == "completed" and r.outcome_note == "Signed a yearly contract. Thank you!"
        assert (r.outcome_value, r.outcome_by_id, r.outcome_at) == ("£2,400", BEN, at(30))
    else:
        with pytest.raises(IllegalTransition):
            record_outcome(r, BEN, "Great", None, at(30))
        assert r.outcome_note is None


def test_an_outcome_needs_words():
    with pytest.raises(Invalid) as err:
        record_outcome(_referral("accepted"), MAYA, "   ", None, at(1))
    assert "note" in err.value.errors


def test_a_client_given_recently_is_too_early_to_tell_not_a_client_who_never_came_back():
    rate = return_rate([Flow(1, MAYA, BEN, at(0))], MAYA, now=at(10))
    assert rate.rate is None and rate.too_early == 1 and rate.counted == 0


def test_a_client_old_enough_that_never_came_back_lowers_the_rate():
    flows = [Flow(1, MAYA, BEN, at(0)), Flow(2, MAYA, CLEO, at(1)), Flow(3, BEN, MAYA, at(30), return_of_id=1)]
    assert return_rate(flows, MAYA, now=at(200)) == (2, 1, 0)
    assert return_rate(flows, MAYA, now=at(200)).rate == 0.5


def test_a_client_that_came_back_counts_however_recent():
    flows = [Flow(1, MAYA, BEN, at(0)), Flow(2, BEN, MAYA, at(3), return_of_id=1)]
    assert return_rate(flows, MAYA, now=at(5)).rate == 1.0


def test_a_return_through_the_network_counts_as_come_back():
    flows = [Flow(1, MAYA, BEN, at(0)), Flow(2, BEN, CLEO, at(2)), Flow(3, CLEO, MAYA, at(4), return_path=(MAYA, BEN, CLEO))]
    assert return_rate(flows, MAYA, now=at(5)) == (1, 1, 0)
