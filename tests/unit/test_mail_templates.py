"""The mail templates: plain text and HTML say the same thing; user text is escaped in the HTML only."""

from datetime import datetime

import pytest

from referral.services import mailbox

NOW = datetime(2026, 11, 25, 9, 0)
NAME = 'Ana <b>"Ruiz"</b>\nof Porto'


@pytest.mark.parametrize(
    "mail",
    [
        lambda: mailbox.declined_to_member(member_name="Maya Brenner", member_email="m@x.org", colleague_name=NAME,
                                           client_name="Q & Co", code="client_concerns", note="Line one\nline two",
                                           next_name=None, cascade=False, page_url="http://x/r/1?a=1&b=2"),
        lambda: mailbox.placed_to_colleague(member_name=NAME, colleague_name="Bo Berg",
                                            colleague_email="a@x.org"),
        lambda: mailbox.unsubscribed_to_member(member_name="Maya Brenner", member_email="m@x.org",
                                               colleague_name=NAME, colleague_email="a@x.org", page_url="http://x/c/1"),
        lambda: mailbox.digest(member_name="Maya Brenner", member_email="m@x.org",
                               items=[(NOW, f"{NAME} declined")], day=NOW.date(), page_url="http://x/"),
    ],
    ids=["declined", "placed", "unsubscribed", "digest"],
)
def test_each_mail_escapes_user_text_in_html_and_keeps_it_whole_in_text(mail):
    m = mail()
    assert "<b>" not in m.html and "Ana &lt;b&gt;&#34;Ruiz&#34;&lt;/b&gt;<br>of Porto" in m.html
    assert 'Ana <b>"Ruiz"</b>' in m.text and 'of Porto' in m.text  # a list item indents its next line
    assert "\n\n\n" not in m.text and m.text.endswith("\n") and not m.text.startswith("\n")


def test_the_decline_mail_says_the_code_in_words_and_quotes_the_note_line_by_line():
    m = mailbox.declined_to_member(member_name="Maya Brenner", member_email="m@x.org", colleague_name="Ana Ruiz",
                                   client_name="Quentin", code="client_concerns", note="Line one\nline two",
                                   next_name=None, cascade=True, page_url="http://x/r/1?a=1&b=2", waiting=["Bo"])
    assert m.subject == "Ana Ruiz declined Quentin"
    assert "Why: Concerns about the client\n\n> Line one\n> line two\n\nThe offer is still open with Bo." in m.text
    assert "Line one<br>line two" in m.html and 'href="http://x/r/1?a=1&amp;b=2"' in m.html
