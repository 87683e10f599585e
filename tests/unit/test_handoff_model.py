"""A handoff's fair warning: stored as written, revised into new versions, never overwritten."""

import hashlib
from datetime import datetime

from referral.domain.model import Handoff

NOW = datetime(2026, 11, 25, 9, 0)


def test_a_revised_disclosure_keeps_every_earlier_version_and_its_hash():
    h = Handoff(1, {"name": "C", "email": "c@example.org", "needs": "books"}, ["late_payments"], [],
                "Paid late twice.", "refer_elsewhere", None, NOW)
    first = h.disclosure
    h.revise_disclosure("Paid 41 days late on 2 March.", NOW)
    h.revise_disclosure("Paid 41 days late on 2 March.", NOW)  # same text: no new version
    assert [d.version for d in h.disclosures] == [1, 2]
    assert h.disclosures[0].text == "Paid late twice." and h.disclosures[0].sha256 == first.sha256
    assert h.disclosure.sha256 == hashlib.sha256(b"Paid 41 days late on 2 March.").hexdigest()
