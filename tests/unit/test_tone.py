"""The tone check warns about what would sound bad read aloud, and suggests calmer words."""

from datetime import date

import pytest

from referral.domain.tone import Client, calmer, check


@pytest.mark.parametrize("text, kind, excerpt", [
    ("The client is an idiot about invoices.", "insult", "idiot"),
    ("She always pays late.", "absolute", "always"),
    ("He never answers email.", "absolute", "never"),
    ("They complain ALL the time.", "shouting", "ALL"),
    ("Pay your invoices!!!", "shouting", "!!!"),
    ("I think he will not pay.", "opinion", "i think"),
])
def test_each_kind_of_wording_is_flagged_with_its_words(text, kind, excerpt):
    found = [(w.kind, w.excerpt) for w in check(text, facts=[])]
    assert (kind, excerpt) in found


def test_a_calm_factual_disclosure_passes():
    assert check("Invoices 112 and 114 were paid 30 and 41 days late.", facts=[(date(2026, 3, 2), "Paid late")]) == []


def test_acronyms_are_not_shouting():
    assert check("They want SEO and VAT returns from a CPA.", facts=[]) == []


def test_an_opinion_backed_by_a_dated_fact_is_fine():
    assert check("I think payment will be late again.", facts=[(date(2026, 3, 2), "Invoice 114 paid 41 days late")]) == []


def test_facts_are_checked_too_and_named_by_row():
    warnings = check("Calm text.", facts=[(date(2026, 1, 5), "ok"), (date(2026, 2, 1), "He was RUDE and stupid")])
    assert {w.field for w in warnings} == {"facts.1.text"}


def test_the_calmer_wording_softens_without_losing_the_facts():
    assert calmer("He NEVER pays on time!!! Invoice 114 was 41 days late.") == \
        "He rarely pays on time. Invoice 114 was 41 days late."
    assert "[describe what happened]" in calmer("A stupid request")


QUENTIN = Client("Dr. Quentin Gallardo", "quentin@gallardo-bistro.example", "+351 912 000 111")


@pytest.mark.parametrize("text, excerpt", [
    ("Quentin paid late.", "Quentin"),
    ("Gallardo paid late.", "Gallardo"),
    ("Dr. Quentin Gallardo paid late.", "Dr. Quentin Gallardo"),
    ("Mail QUENTIN@gallardo-bistro.example first.", "QUENTIN@gallardo-bistro.example"),
    ("Call 912-000-111 in the morning.", "912-000-111"),
])
def test_the_clients_name_email_or_phone_in_the_fair_warning_is_flagged(text, excerpt):
    found = [(w.kind, w.excerpt) for w in check(text, facts=[], client=QUENTIN)]
    assert ("identity", excerpt) in found


def test_other_words_dates_and_numbers_are_not_taken_for_the_client():
    text = "Invoice 2026-114 of 2026-03-02 was paid 41 days late; a quentin-style menu is not a name."
    assert [w for w in check(text, facts=[], client=QUENTIN) if w.kind == "identity"] == []


def test_the_calmer_wording_says_the_client_instead():
    assert calmer("Quentin Gallardo pays late. Quentin is polite.", QUENTIN) == "The client pays late. The client is polite."
