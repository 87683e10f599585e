"""Signed links, the hard rules of who may be offered a client, and the words of the mail."""

from datetime import date, datetime, timedelta

import pytest

from referral.adapters.links import ExpiredLink, LinkSigner, TamperedLink
from referral.domain.model import Colleague, Fact, Handoff
from referral.services import mailbox
from referral.services.eligibility import breaks_hard_rule

NOW = datetime(2026, 11, 25, 9, 0)


def test_a_link_reads_back_what_it_was_made_for_until_the_offer_expires():
    signer = LinkSigner("k")
    token = signer.make(7, 3, "accept", NOW + timedelta(hours=72))
    claims = signer.read(token, NOW + timedelta(hours=71))
    assert (claims.referral_id, claims.colleague_id, claims.action) == (7, 3, "accept")
    with pytest.raises(ExpiredLink):
        signer.read(token, NOW + timedelta(hours=72))


def test_each_link_has_its_own_one_time_id():
    signer = LinkSigner("k")
    a, b = (signer.read(signer.make(7, 3, "accept", NOW + timedelta(hours=1)), NOW) for _ in range(2))
    assert a.jti != b.jti


@pytest.mark.parametrize("token", ["", "abc", "a.b.c"])
def test_garbage_and_foreign_links_are_tampered(token):
    with pytest.raises(TamperedLink):
        LinkSigner("k").read(token, NOW)
    with pytest.raises(TamperedLink):
        LinkSigner("other").read(LinkSigner("k").make(1, 2, "decline", NOW + timedelta(hours=1)), NOW)


def handoff(client: dict | None = None) -> Handoff:
    if client is None:
        client = {"name": "Q", "email": "q@x.org", "needs": "Books", "location": "Porto"}
    h = Handoff(member_id=1, client=client, reasons=["late_payments"], facts=[Fact(date(2026, 10, 2), "late")],
                disclosure="Pays late.", exit_strategy="bow_out", finish_by=None, now=NOW)
    h.id = 1
    return h


def colleague(id=5, **kw):
    c = Colleague(**{"name": "Ana Ruiz", "email": "ana@example.org", "specialties": ["books"], **kw})
    c.id = id
    return c


RULES = [
    ({}, {}, None),
    ({"id": 1}, {}, "yourself"),
    ({"capacity": 2}, {"open_count": 2}, "no free place: 2 open referrals of 2"),
    ({"paused_until": date(2026, 11, 25)}, {}, "takes no referrals"),
    ({"paused_until": date(2026, 11, 24)}, {}, None),
    ({"dealbreakers": ["late_payments", "hostile"]}, {}, "late_payments"),
    ({}, {"turned_down": True}, "already declined"),
    ({"remote": False, "location": "Lisbon"}, {}, "only clients in Lisbon"),
    ({"remote": False, "location": " PORTO "}, {}, None),
]


@pytest.mark.parametrize("colleague_fields, state, expected", RULES)
def test_the_hard_rules_say_why_a_colleague_cannot_be_offered(colleague_fields, state, expected):
    args = {
        "member_colleague_id": 1,
        "open_count": 0,
        "turned_down": False,
        "today": date(2026, 11, 25),
        **state,
    }
    why = breaks_hard_rule(handoff(), colleague(**colleague_fields), **args)
    if expected is None:
        assert why is None
    else:
        assert why is not None and expected in why


def test_a_local_colleague_may_take_a_client_who_gives_no_location():
    h = handoff(client={"name": "Q", "email": "q@x.org", "needs": "Books"})
    assert (
        breaks_hard_rule(
            h,
            colleague(remote=False, location="Lisbon"),
            member_colleague_id=1,
            open_count=0,
            turned_down=False,
            today=date(2026, 11, 25),
        )
        is None
    )


def test_the_offer_mail_has_the_same_words_in_text_and_html_and_escapes_only_the_html():
    mail = mailbox.offer(
        handoff=handoff(client={"name": "Q", "email": "q@x.org", "needs": "<i>Books</i> & tax"}),
        member_name="Maya Brenner",
        colleague_name="Ana Ruiz",
        colleague_email="ana@example.org",
        disclosure_text="Pays late.",
        accept_url="http://x/offers/a?b=1&c=2",
        decline_url="http://x/offers/d",
        expires_at=NOW + timedelta(hours=72),
    )
    assert "<i>Books</i> & tax" in mail.text and "&lt;i&gt;Books&lt;/i&gt; &amp; tax" in mail.html
    assert 'href="http://x/offers/a?b=1&amp;c=2"' in mail.html
    assert "28 November 2026 at 09:00 UTC" in mail.text and "28 November 2026 at 09:00 UTC" in mail.html
    assert "q@x.org" not in mail.text + mail.html


def test_remaining_ties_are_broken_at_random_not_by_id():
    import random

    from referral.domain.matching import Candidate
    from referral.services.ranking import spread_fairly

    equal = [Candidate(i, 80.0, ()) for i in (1, 2, 3)]
    firsts = {spread_fairly(equal, {}, random.Random(seed))[0].colleague_id for seed in range(40)}
    assert firsts == {1, 2, 3}


def test_a_clearly_better_fit_stays_ahead_of_a_colleague_never_offered():
    import random
    from datetime import datetime

    from referral.domain.matching import Candidate
    from referral.services.ranking import spread_fairly

    ranked = [Candidate(1, 90.0, ()), Candidate(2, 70.0, ())]
    busy = {1: datetime(2026, 11, 24)}
    assert [c.colleague_id for c in spread_fairly(ranked, busy, random.Random(0))] == [1, 2]
