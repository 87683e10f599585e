"""Cleaning text where it enters: what is kept, stripped and refused."""

import re

import pytest

from referral.domain.clean import ONE_LINE, UNSTORABLE, clean_text
from referral.domain.ownership import manages, refused_changes


@pytest.mark.parametrize("raw, multiline, cleaned", [
    ("Ana Ruiz", False, "Ana Ruiz"),
    ("Cafe\u0301", False, "Caf\u00e9"),  # NFC
    ("Ana\u202e Ruiz", False, "Ana Ruiz"),  # right-to-left override
    ("\ufeffAna\u200b Ruiz\u2066", False, "Ana Ruiz"),  # byte-order mark, zero-width space, isolate
    ("\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645", False, "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"),
    ("tab\there", False, "tab here"),
    ("one\r\ntwo\rthree\u2028four", True, "one\ntwo\nthree\nfour"),
    ("keeps\ttabs", True, "keeps\ttabs"),
])
def test_clean_text_keeps_what_a_person_means(raw, multiline, cleaned):
    assert clean_text(raw, multiline=multiline) == cleaned


@pytest.mark.parametrize("raw, multiline, reason", [
    ("Line\nBreak", False, ONE_LINE),
    ("Line\rBreak", False, ONE_LINE),
    ("Line\u2028Break", False, ONE_LINE),
    ("NUL\x00", False, UNSTORABLE),
    ("NUL\x00", True, UNSTORABLE),
    ("bell\x07", True, UNSTORABLE),
    ("C1\x9b", True, UNSTORABLE),
    ("lone \ud800 surrogate", True, UNSTORABLE),
])
def test_clean_text_refuses_control_characters_with_a_readable_reason(raw, multiline, reason):
    with pytest.raises(ValueError, match=re.escape(reason)):
        clean_text(raw, multiline=multiline)


@pytest.mark.parametrize("me, added_by, is_member, colleague_id, expected", [
    (1, 1, False, 5, True),   # whoever added a colleague manages them
    (2, 1, False, 5, False),  # nobody else does
    (1, 1, True, 5, False),   # once that colleague is a member, not even the one who added them
    (5, 1, True, 5, True),    # the member themself
    (None, None, False, 5, False),
])
def test_who_manages_a_colleague_record(me, added_by, is_member, colleague_id, expected):
    assert manages(me, colleague_id=colleague_id, added_by_id=added_by, is_member=is_member) is expected


@pytest.mark.parametrize("fields, open_referrals, refused", [
    ({"email": "new@example.org"}, 1, {"email"}),
    ({"email": " OLD@example.org "}, 1, set()),  # the same address, typed differently
    ({"email": "new@example.org"}, 0, set()),
    ({"capacity": 1}, 2, {"capacity"}),
    ({"capacity": 2}, 2, set()),
    ({"capacity": 3, "name": "X"}, 2, set()),
])
def test_which_changes_the_open_offers_refuse(fields, open_referrals, refused):
    got = refused_changes(fields, email="old@example.org", capacity=3, open_referrals=open_referrals)
    assert set(got) == refused
