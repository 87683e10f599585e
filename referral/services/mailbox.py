"""The mail the service sends: one function per message, its words in a Jinja template.

Each function names the template (``referral/templates/mail/<name>.jinja``) and the facts it
needs; :func:`referral.adapters.mail_templates.render` turns it into plain text and HTML from
the same words, escaping user text in the HTML part only.
"""

from __future__ import annotations

from datetime import date, datetime

from referral.adapters.mail_templates import first_name, render, when
from referral.adapters.outbox import OutgoingMail
from referral.domain.letters import Letter

__all__ = [
    "accepted_to_colleague",
    "accepted_to_member",
    "colleague_email_changed",
    "declined_to_member",
    "digest",
    "expired_to_member",
    "first_name",
    "letter_to_client",
    "offer",
    "placed_to_colleague",
    "unsubscribed_to_member",
    "when",
    "withdrawn_to_colleague",
]


def offer(
    *,
    handoff,
    member_name: str,
    colleague_name: str,
    colleague_email: str,
    disclosure_text: str,
    accept_url: str,
    decline_url: str,
    expires_at: datetime,
    reminder: bool = False,
) -> OutgoingMail:
    """The offer (or its reminder): needs and fair warning, never the client's name or contact details."""
    return render("offer", "offer_reminder" if reminder else "offer", colleague_email, handoff=handoff,
                  member_name=member_name, colleague_name=colleague_name, disclosure_text=disclosure_text,
                  accept_url=accept_url, decline_url=decline_url, expires_at=expires_at, reminder=reminder)


def accepted_to_colleague(
    *, handoff, member_name: str, member_email: str, colleague_name: str, colleague_email: str
) -> OutgoingMail:
    """The client's contact details, for the colleague who accepted."""
    return render("accepted_colleague", "accepted_colleague", colleague_email, handoff=handoff,
                  member_name=member_name, member_email=member_email, colleague_name=colleague_name)


def accepted_to_member(
    *, member_name: str, member_email: str, colleague_name: str, client_name: str, page_url: str
) -> OutgoingMail:
    return render("accepted_member", "accepted_member", member_email, member_name=member_name,
                  colleague_name=colleague_name, client_name=client_name, page_url=page_url)


def declined_to_member(
    *,
    member_name: str,
    member_email: str,
    colleague_name: str,
    client_name: str,
    code: str,
    note: str | None,
    next_name: str | None,
    cascade: bool,
    page_url: str,
    waiting: list[str] | None = None,
) -> OutgoingMail:
    """The decline code (in words) and the colleague's note, and what happens next."""
    return render("declined_member", "declined_member", member_email, member_name=member_name,
                  colleague_name=colleague_name, client_name=client_name, code=code, note=note,
                  next_name=next_name, cascade=cascade, waiting=waiting or [], page_url=page_url)


def expired_to_member(
    *,
    member_name: str,
    member_email: str,
    colleague_name: str,
    client_name: str,
    next_name: str | None,
    cascade: bool,
    page_url: str,
    waiting: list[str] | None = None,
) -> OutgoingMail:
    return render("expired_member", "expired_member", member_email, member_name=member_name,
                  colleague_name=colleague_name, client_name=client_name, next_name=next_name,
                  cascade=cascade, waiting=waiting or [], page_url=page_url)


def withdrawn_to_colleague(*, member_name: str, colleague_name: str, colleague_email: str) -> OutgoingMail:
    return render("withdrawn_colleague", "withdrawn_colleague", colleague_email, member_name=member_name,
                  colleague_name=colleague_name)


def placed_to_colleague(*, member_name: str, colleague_name: str, colleague_email: str) -> OutgoingMail:
    """To each colleague of a broadcast whose offer closed because another colleague accepted first."""
    return render("placed_colleague", "placed_colleague", colleague_email, member_name=member_name,
                  colleague_name=colleague_name)


def digest(
    *, member_name: str, member_email: str, items: list[tuple[datetime, str]], day: date, page_url: str
) -> OutgoingMail:
    """The member's daily digest: every change to their offers since the last one."""
    return render("digest", "digest", member_email, member_name=member_name, items=items, day=day,
                  page_url=page_url)


def unsubscribed_to_member(
    *, member_name: str, member_email: str, colleague_name: str, colleague_email: str, page_url: str
) -> OutgoingMail:
    """To the member who added a colleague who has just unsubscribed from offer mail."""
    return render("unsubscribed_member", "unsubscribed_member", member_email, member_name=member_name,
                  colleague_name=colleague_name, colleague_email=colleague_email, page_url=page_url)


def colleague_email_changed(
    *, member_name: str, member_email: str, colleague_name: str, old_email: str, new_email: str, changed_by: str
) -> OutgoingMail:
    """To a member who referred clients to a colleague whose email another member just changed."""
    return render("colleague_email_changed", "colleague_email_changed", member_email, member_name=member_name,
                  colleague_name=colleague_name, old_email=old_email, new_email=new_email, changed_by=changed_by)


def letter_to_client(*, letter: Letter, client_email: str) -> OutgoingMail:
    return render("client_letter", "client_letter", client_email, letter=letter)
