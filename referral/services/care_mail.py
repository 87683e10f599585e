"""The mail behind "letting go with care": second reads and the member's reminders.

Each function names its template (``referral/templates/mail/<name>.jinja``), rendered like
every other mail (:func:`referral.adapters.mail_templates.render`): plain text and HTML from
the same words, user text escaped in the HTML. A second reader's mail never carries the
client's email or phone.
"""

from __future__ import annotations

from datetime import date

from referral.adapters.mail_templates import render
from referral.adapters.outbox import OutgoingMail

__all__ = ["call_reminder", "finish_reminder", "review_answered", "review_request"]


def review_request(*, reviewer_email: str, reviewer_name: str, member_name: str, note: str,
                   url: str) -> OutgoingMail:
    """The ask for a second read, with the signed link to the reviewer's page."""
    return render("review_request", "review_request", reviewer_email, reviewer_name=reviewer_name,
                  member_name=member_name, note=note, url=url)


def review_answered(*, member_email: str, member_name: str, reviewer: str, status: str, comment: str | None,
                    client_name: str, page_url: str) -> OutgoingMail:
    """The second reader's answer, for the member."""
    return render("review_answered", "review_answered", member_email, member_name=member_name, reviewer=reviewer,
                  status=status, comment=comment, client_name=client_name, page_url=page_url)


def call_reminder(*, member_email: str, member_name: str, client_name: str, client_phone: str | None,
                  letter_sent_on: date, page_url: str) -> OutgoingMail:
    """24 hours after the letter without a reply: time to pick up the phone."""
    return render("call_reminder", "call_reminder", member_email, member_name=member_name, client_name=client_name,
                  client_phone=client_phone, letter_sent_on=letter_sent_on, page_url=page_url)


def finish_reminder(*, member_email: str, member_name: str, client_name: str, finish_by: date, days_left: int,
                    page_url: str) -> OutgoingMail:
    """The timeline: a week and a day before the date the member promised to finish by."""
    return render("finish_reminder", "finish_reminder", member_email, member_name=member_name,
                  client_name=client_name, finish_by=finish_by, days_left=days_left, page_url=page_url)
