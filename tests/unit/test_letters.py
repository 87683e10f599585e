"""The letter to the client: one per exit strategy, kind, and never a word about why."""

from datetime import date

import pytest

from referral.domain.letters import ContactCard, client_letter
from referral.domain.vocab import EXIT_STRATEGIES

MAYA = ContactCard(name="Maya Brenner", email="maya@example.com", location="Porto")
ANA = ContactCard(name="Ana Ruiz", email="ana@example.org")


def letter(strategy, finish_by=date(2026, 12, 18), client_name="Quentin Gallardo"):
    return client_letter(strategy, client_name=client_name, member=MAYA, colleague=ANA, finish_by=finish_by)


@pytest.mark.parametrize("strategy", EXIT_STRATEGIES)
def test_every_letter_introduces_the_colleague_gives_the_end_date_thanks_and_signs_with_the_card(strategy):
    body = letter(strategy).body
    assert body.startswith("Dear Quentin,")
    assert "Ana Ruiz has agreed to look after you" in body and "ana@example.org" in body
    assert "by 18 December 2026" in body
    assert "Thank you" in body
    assert body.rstrip().endswith("Maya Brenner\nmaya@example.com\nPorto")
    assert "Ana Ruiz" in letter(strategy).subject


def test_each_exit_strategy_tells_a_different_story():
    assert "my doing, not yours" in letter("take_blame").body
    assert "someone else can serve you better" in letter("refer_elsewhere").body
    assert "stepping back from this kind of work" in letter("bow_out").body
    assert len({letter(s).body for s in EXIT_STRATEGIES}) == 3


@pytest.mark.parametrize("strategy", EXIT_STRATEGIES)
def test_without_a_finish_date_the_letter_still_promises_to_finish_the_work(strategy):
    body = letter(strategy, finish_by=None).body
    assert "finish the work I have in hand for you before the handover" in body and "None" not in body


def test_an_unknown_exit_strategy_is_refused():
    with pytest.raises(KeyError):
        letter("ghost")
