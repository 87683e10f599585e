"""The rules of letting go with care, without a database: gaps, the fix, reminders, second reads,
the look back, the letter's closing offer and the bow-out letter, and the personal-data warnings."""

from datetime import date, datetime

import pytest

from referral.domain.errors import Conflict, Invalid, NotFound
from referral.domain.letters import BUSINESS_CARD_OFFER, ContactCard, client_letter
from referral.domain.model import ContractTerm, Handoff, Retrospective, Review, finish_reminder_due
from referral.domain.tone import SPECIAL_CATEGORIES, personal_data
from referral.domain.vocab import EXIT_STRATEGIES

NOW = datetime(2026, 11, 25, 9, 0)
CLIENT = {"name": "Quentin Gallardo", "email": "q@example.org", "needs": "Books"}
MAYA = ContactCard(name="Maya Brenner", email="maya@example.com")


def handoff(terms=(), **kw) -> Handoff:
    return Handoff(1, CLIENT, ["late_payments"], [], "Pays late.", kw.pop("exit_strategy", "refer_elsewhere"),
                   kw.pop("finish_by", None), NOW, contract_terms=list(terms), **kw)


def term(name, me, client="yes", due=None):
    return ContractTerm(name, due, me, client)


def test_only_the_members_own_unmet_terms_are_gaps_unmet_first_then_by_due_date():
    h = handoff([term("a", "partly", due=date(2026, 11, 1)), term("b", "yes", client="no"),
                 term("c", "no", due=date(2026, 12, 1)), term("d", "partly", due=date(2026, 10, 1))])
    assert [(i, t.term) for i, t in h.contract_gaps()] == [(2, "c"), (3, "d"), (0, "a")]


def test_putting_a_term_right_keeps_the_others_and_an_unknown_term_is_not_found():
    h = handoff([term("a", "no"), term("b", "partly")])
    h.fix_term(0, NOW, note="done")
    assert [t.met_by_me for t in h.terms] == ["yes", "partly"] and h.terms[0].note == "done"
    with pytest.raises(NotFound):
        h.fix_term(5, NOW)


@pytest.mark.parametrize("today, last, due", [
    (date(2026, 12, 10), None, None),   # 8 days left: nothing yet
    (date(2026, 12, 11), None, 7),      # a week before
    (date(2026, 12, 12), 7, None),      # sent already
    (date(2026, 12, 17), 7, 1),         # the day before
    (date(2026, 12, 17), None, 1),      # a late start gets only the nearest
    (date(2026, 12, 18), 1, None),
    (date(2026, 12, 19), None, None),   # past the date
])
def test_the_finish_date_is_reminded_a_week_and_a_day_before_once_each(today, last, due):
    assert finish_reminder_due(date(2026, 12, 18), today, last) == due


def test_a_second_read_is_answered_once_and_changes_need_a_comment():
    review = Review(1, " Rosa@Example.net ", "Rosa", "", NOW)
    assert review.reviewer_email == "rosa@example.net" and review.status == "requested"
    with pytest.raises(Invalid):
        review.answer("suggest_changes", " ", NOW)
    review.answer("approve", "", NOW)
    assert review.status == "approved" and review.answered_at == NOW
    with pytest.raises(Conflict):
        review.answer("suggest_changes", "late thoughts", NOW)


def test_the_look_back_waits_for_the_end_and_needs_something_written():
    h = handoff()
    with pytest.raises(Conflict):
        h.record_retrospective(Retrospective(next_time="x"), ended=False, now=NOW)
    with pytest.raises(Invalid):
        h.record_retrospective(Retrospective(), ended=True, now=NOW)
    h.record_retrospective(Retrospective(warning_signs=("hostile",)), ended=True, now=NOW)
    assert h.retrospective is not None and h.retrospective["warning_signs"] == ["hostile"]


def test_the_letter_is_sent_once():
    h = handoff()
    h.record_letter_sent("marked", NOW)
    with pytest.raises(Conflict):
        h.record_letter_sent("service", NOW)


@pytest.mark.parametrize("strategy", EXIT_STRATEGIES)
def test_every_letter_closes_with_the_business_card_offer_before_the_signature(strategy):
    body = client_letter(strategy, client_name="Sam Lee", member=MAYA, colleague=ContactCard("Ana Ruiz", "a@x.org"),
                         finish_by=None).body
    assert BUSINESS_CARD_OFFER in body and body.index(BUSINESS_CARD_OFFER) < body.index("Kind regards")


def test_bowing_out_needs_no_colleague_but_the_other_exits_do():
    letter = client_letter("bow_out", client_name="Sam Lee", member=MAYA, colleague=None, finish_by=date(2026, 12, 18))
    assert "has agreed to look after you" not in letter.body and "by 18 December 2026" in letter.body
    assert handoff(exit_strategy="bow_out").needs_colleague is False
    with pytest.raises(ValueError):
        client_letter("take_blame", client_name="Sam Lee", member=MAYA, colleague=None, finish_by=None)


@pytest.mark.parametrize("category, text", [
    ("health", "Cancelled twice because of his depression."),
    ("religion or belief", "Will not meet on Fridays for religious reasons."),
    ("ethnicity", "An immigrant who misunderstood the terms."),
    ("sexual life or orientation", "Brought his boyfriend to meetings."),
    ("political opinions", "Argued about politics in every meeting."),
    ("trade union membership", "Threatened to call his union."),
    ("a criminal record", "Has a criminal record, I heard."),
])
def test_each_special_category_is_flagged_with_the_reason_to_leave_it_out(category, text):
    [warning] = personal_data(text, [])
    assert warning.kind == "special_category" and category in warning.message
    assert "facts of the working relationship" in warning.message
    assert category in SPECIAL_CATEGORIES


def test_the_clients_phone_is_flagged_however_it_is_written_and_plain_facts_are_not():
    assert [w.kind for w in personal_data("Call her on 0912-000-111.", [], "+351 912 000 111")] == ["contact_details"]
    assert personal_data("Paid invoice 114 on 2026-10-02, 41 days late.", [(date(2026, 10, 2), "Paid late")],
                         "+351 912 000 111") == []
