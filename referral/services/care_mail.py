"""The words of the mail behind "letting go with care": second reads and the member's reminders.

Built from the same blocks as the offer emails (``mailbox.render``), so the plain text
and the HTML always say the same thing and every piece of user text is escaped once.
A second reader's mail never carries the client's email or phone.
"""

from __future__ import annotations

from datetime import date

from referral.adapters.outbox import OutgoingMail
from referral.domain.letters import long_date
from referral.services.mailbox import DL, Button, P, Quote, first_name, render

__all__ = ["call_reminder", "finish_reminder", "review_answered", "review_request"]


def review_request(*, reviewer_email: str, reviewer_name: str, member_name: str, note: str,
                   url: str) -> OutgoingMail:
    """The ask for a second read, with the signed link to the reviewer's page."""
    blocks: list = [
        P(f"Hello {first_name(reviewer_name) if reviewer_name else 'there'},"),
        P(f"{member_name} is about to let a client go and would value a second read of what they plan to "
          "send: the fair warning for the colleague who takes over, the dated facts behind it, and the "
          "letter to the client."),
    ]
    if note:
        blocks += [P(f"{member_name} adds:"), Quote(note)]
    blocks += [
        Button("Read and answer", url),
        P("You do not need an account. You can approve it as it is, or suggest changes with a comment; "
          f"{member_name} sees your answer straight away. The client's contact details are not shown to you."),
    ]
    return render("review_request", reviewer_email, f"{member_name} asks you for a second read", blocks)


def review_answered(*, member_email: str, member_name: str, reviewer: str, status: str, comment: str | None,
                    client_name: str, page_url: str) -> OutgoingMail:
    """The second reader's answer, for the member."""
    verdict = ("approved what you plan to send" if status == "approved"
               else "suggests changes before you send anything")
    blocks: list = [P(f"Hello {first_name(member_name)},"), P(f"{reviewer} {verdict} about {client_name}.")]
    if comment:
        blocks.append(Quote(comment))
    blocks += [P("You can revise the fair warning and the letter on the handoff's page, then send the letter."),
               Button("Open the handoff", page_url)]
    subject = f"Second read: {reviewer} {'approved' if status == 'approved' else 'suggests changes'}"
    return render("review_answered", member_email, subject, blocks)


def call_reminder(*, member_email: str, member_name: str, client_name: str, client_phone: str | None,
                  letter_sent_on: date, page_url: str) -> OutgoingMail:
    """24 hours after the letter without a reply: time to pick up the phone."""
    rows = (("Client", client_name), ("Phone", client_phone or "no number stored; see your own records"),
            ("Letter sent", long_date(letter_sent_on)))
    blocks = [
        P(f"Hello {first_name(member_name)},"),
        P(f"You wrote to {client_name} a day ago and have not noted a reply. A short, friendly call now "
          "makes sure the letter arrived and leaves no room for misunderstanding."),
        DL(rows),
        P("If they have answered meanwhile, note it on the handoff's page and this is the only reminder."),
        Button("Open the handoff", page_url),
    ]
    return render("call_reminder", member_email, f"Call {client_name} about your letter", blocks)


def finish_reminder(*, member_email: str, member_name: str, client_name: str, finish_by: date, days_left: int,
                    page_url: str) -> OutgoingMail:
    """The timeline: a week and a day before the date the member promised to finish by."""
    left = "tomorrow" if days_left == 1 else ("today" if days_left == 0 else f"in {days_left} days")
    blocks = [
        P(f"Hello {first_name(member_name)},"),
        P(f"You told {client_name} you would finish the work in hand by {long_date(finish_by)}: that is {left}. "
          "Sticking to the date you gave is part of letting go well."),
        Button("Open the handoff", page_url),
    ]
    return render("finish_reminder", member_email, f"{client_name}: you finish {left} ({long_date(finish_by)})",
                  blocks)

