"""The words of every offer email, as plain text and HTML built from the same blocks.

A message is a list of blocks (paragraph, heading, list, quote, button, facts table);
``render`` turns it into both parts, so they always say the same thing, and escapes
every piece of user text for the HTML part in one place. No Flask, no Jinja.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from html import escape
from string import Template

from referral.adapters.outbox import OutgoingMail
from referral.domain.letters import Letter, long_date
from referral.domain.vocab import REASONS

__all__ = [
    "accepted_to_colleague",
    "accepted_to_member",
    "colleague_email_changed",
    "declined_to_member",
    "expired_to_member",
    "letter_to_client",
    "offer",
    "when",
    "withdrawn_to_colleague",
]


@dataclass(frozen=True)
class P:
    text: str


@dataclass(frozen=True)
class H:
    text: str


@dataclass(frozen=True)
class UL:
    items: tuple[str, ...]


@dataclass(frozen=True)
class Quote:
    text: str


@dataclass(frozen=True)
class Button:
    label: str
    url: str


@dataclass(frozen=True)
class DL:
    rows: tuple[tuple[str, str], ...]


_HTML = Template("""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>$title</title></head>
<body style="margin:0;padding:24px;background:#f5f7fa;color:#1f2933;line-height:1.5;\
font-family:system-ui,-apple-system,'Segoe UI',sans-serif">
<div style="max-width:600px;margin:0 auto;background:#fff;border:1px solid #d9e2ec;\
border-radius:8px;padding:24px">
$body
</div>
<p style="max-width:600px;margin:12px auto;color:#616e7c;font-size:13px">Sent by the referral network.</p>
</body></html>
""")


def _html_para(text: str) -> str:
    return "<br>".join(escape(line) for line in text.split("\n"))


def _block_html(b) -> str:
    if isinstance(b, P):
        return f'<p style="margin:0 0 14px">{_html_para(b.text)}</p>'
    if isinstance(b, H):
        return f'<h2 style="font-size:17px;margin:20px 0 8px">{escape(b.text)}</h2>'
    if isinstance(b, UL):
        items = "".join(f"<li>{_html_para(i)}</li>" for i in b.items)
        return f'<ul style="margin:0 0 14px;padding-left:20px">{items}</ul>'
    if isinstance(b, Quote):
        return (
            '<blockquote style="margin:0 0 14px;padding:8px 14px;border-left:4px solid #b44d12;'
            f'background:#fff4e5">{_html_para(b.text)}</blockquote>'
        )
    if isinstance(b, Button):
        return (
            f'<p style="margin:0 0 14px"><a href="{escape(b.url, quote=True)}" style="display:inline-block;'
            'background:#2f6f5e;color:#fff;text-decoration:none;padding:10px 18px;border-radius:6px">'
            f"{escape(b.label)}</a></p>"
        )
    if isinstance(b, DL):
        rows = "".join(
            f'<tr><th style="text-align:left;padding:2px 12px 2px 0;color:#616e7c;font-weight:400;'
            f'vertical-align:top">{escape(k)}</th><td>{_html_para(v)}</td></tr>'
            for k, v in b.rows
        )
        return f'<table style="margin:0 0 14px;border-collapse:collapse">{rows}</table>'
    raise TypeError(b)


def _block_text(b) -> str:
    if isinstance(b, P):
        return b.text
    if isinstance(b, H):
        return f"{b.text}\n{'-' * len(b.text)}"
    if isinstance(b, UL):
        return "\n".join("- " + i.replace("\n", "\n  ") for i in b.items)
    if isinstance(b, Quote):
        return "\n".join("> " + line for line in b.text.split("\n"))
    if isinstance(b, Button):
        return f"{b.label}:\n{b.url}"
    if isinstance(b, DL):
        return "\n".join(f"{k}: {v}" for k, v in b.rows)
    raise TypeError(b)


def render(kind: str, to_addr: str, subject: str, blocks: list) -> OutgoingMail:
    text = "\n\n".join(_block_text(b) for b in blocks) + "\n"
    html = _HTML.substitute(title=escape(subject), body="\n".join(_block_html(b) for b in blocks))
    return OutgoingMail(kind=kind, to_addr=to_addr, subject=subject, text=text, html=html)


def when(dt: datetime) -> str:
    """``28 November 2026 at 09:00 UTC``."""
    return f"{long_date(dt.date())} at {dt:%H:%M} UTC"


def first_name(name: str) -> str:
    return name.split()[0] if name.split() else name


def _need_blocks(handoff) -> list:
    rows = [
        (label, value)
        for label, value in (
            ("Industry", handoff.client_industry),
            ("Budget", handoff.client_budget),
            ("Location", handoff.client_location),
        )
        if value
    ]
    blocks: list = [H("What the client needs"), P(handoff.client_needs)]
    if rows:
        blocks.append(DL(tuple(rows)))
    return blocks


def _fair_warning_blocks(handoff, disclosure_text: str, member_name: str) -> list:
    blocks: list = [
        H("Fair warning"),
        P("Why the client is being handed on:"),
        UL(tuple(REASONS.get(r, r).capitalize() for r in handoff.reasons)),
    ]
    if handoff.facts:
        blocks += [
            P("What happened, with dates:"),
            UL(tuple(f"{long_date(date.fromisoformat(f['date']))}: {f['text']}" for f in handoff.facts)),
        ]
    blocks += [P(f"In {member_name}'s own words:"), Quote(disclosure_text)]
    return blocks


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
    subject = f"{member_name} would like to refer a client to you"
    opening = (
        f"Hello {first_name(colleague_name)},",
        (
            f"{member_name} is handing on a client and thinks you could be the right person to take over. "
            "Please read the fair warning below before you decide."
        ),
    )
    if reminder:
        subject = "Reminder: " + subject
        opening = (
            f"Hello {first_name(colleague_name)},",
            (
                f"A friendly reminder: {member_name} offered you a client and has not heard back yet. "
                f"The offer stays open until {when(expires_at)}."
            ),
        )
    blocks: list = [
        P(opening[0]),
        P(opening[1]),
        *_need_blocks(handoff),
        *_fair_warning_blocks(handoff, disclosure_text, member_name),
        H("Your answer"),
        P(
            "The client's name and contact details reach you only once you accept. Accepting asks "
            "you to confirm that you have read the fair warning."
        ),
        Button("Accept the client", accept_url),
        Button("Decline", decline_url),
        P(
            f"The offer expires on {when(expires_at)}. You do not need an account to answer. "
            f"Each link works once; questions can go straight to {member_name} by replying."
        ),
    ]
    return render("offer_reminder" if reminder else "offer", colleague_email, subject, blocks)


def accepted_to_colleague(
    *, handoff, member_name: str, member_email: str, colleague_name: str, colleague_email: str
) -> OutgoingMail:
    """The client's contact details, for the colleague who accepted."""
    c = handoff.client
    rows = [
        (label, c[key])
        for label, key in (
            ("Name", "name"),
            ("Email", "email"),
            ("Phone", "phone"),
            ("Company", "company"),
            ("Location", "location"),
        )
        if c.get(key)
    ]
    finish = (
        f"{member_name} finishes the work in hand by {long_date(handoff.finish_by)}."
        if handoff.finish_by
        else f"{member_name} finishes the work in hand before the handover."
    )
    blocks = [
        P(f"Hello {first_name(colleague_name)},"),
        P(f"Thank you for accepting {member_name}'s client. Here is how to reach them:"),
        DL(tuple(rows)),
        H("What the client needs"),
        P(c["needs"]),
        P(
            f"{finish} {member_name} is writing to the client to introduce you, so expect to hear from "
            f"them, or get in touch yourself. Questions about the handover: {member_email}."
        ),
    ]
    return render("accepted_colleague", colleague_email, f"Client details: {c['name']}", blocks)


def accepted_to_member(
    *, member_name: str, member_email: str, colleague_name: str, client_name: str, page_url: str
) -> OutgoingMail:
    blocks = [
        P(f"Hello {first_name(member_name)},"),
        P(
            f"{colleague_name} accepted {client_name} and has read your fair warning. They have the "
            "client's contact details now."
        ),
        P(
            "A letter to the client, written for the exit strategy you chose, is ready for you to review, "
            "copy or send:"
        ),
        Button("Review the letter", page_url),
    ]
    return render("accepted_member", member_email, f"{colleague_name} accepted {client_name}", blocks)


def _next_step(next_name: str | None, cascade: bool) -> P:
    if next_name:
        return P(f"As you asked, the client was offered to the next best candidate, {next_name}.")
    if cascade:
        return P(
            "There is no other colleague to offer the client to right now. You can add colleagues to the "
            "network, or offer the client by hand once someone has room."
        )
    return P("You can offer the client to someone else.")


def declined_to_member(
    *,
    member_name: str,
    member_email: str,
    colleague_name: str,
    client_name: str,
    reason: str | None,
    next_name: str | None,
    cascade: bool,
    page_url: str,
) -> OutgoingMail:
    blocks: list = [
        P(f"Hello {first_name(member_name)},"),
        P(f"{colleague_name} declined your offer of {client_name}."),
    ]
    blocks.append(Quote(reason) if reason else P("They did not give a reason."))
    blocks += [_next_step(next_name, cascade), Button("See the offer", page_url)]
    return render("declined_member", member_email, f"{colleague_name} declined {client_name}", blocks)


def expired_to_member(
    *,
    member_name: str,
    member_email: str,
    colleague_name: str,
    client_name: str,
    next_name: str | None,
    cascade: bool,
    page_url: str,
) -> OutgoingMail:
    blocks = [
        P(f"Hello {first_name(member_name)},"),
        P(f"{colleague_name} did not answer your offer of {client_name} in time, so the offer has expired."),
        _next_step(next_name, cascade),
        Button("See the offer", page_url),
    ]
    return render(
        "expired_member", member_email, f"No answer from {colleague_name}: the offer expired", blocks
    )


def withdrawn_to_colleague(*, member_name: str, colleague_name: str, colleague_email: str) -> OutgoingMail:
    blocks = [
        P(f"Hello {first_name(colleague_name)},"),
        P(
            f"{member_name} has withdrawn the client they offered you. There is nothing for you to do, and "
            "the links in the earlier email no longer work."
        ),
        P("Thank you for your time."),
    ]
    return render("withdrawn_colleague", colleague_email, f"{member_name} withdrew the offer", blocks)


def colleague_email_changed(
    *, member_name: str, member_email: str, colleague_name: str, old_email: str, new_email: str, changed_by: str
) -> OutgoingMail:
    """To a member who referred clients to a colleague whose email another member just changed."""
    blocks = [
        P(f"Hello {first_name(member_name)},"),
        P(f"{changed_by} changed the email of {colleague_name}, a colleague you have referred clients to."),
        DL((("Before", old_email), ("Now", new_email))),
        P(
            "Mail about your referrals to them goes to the new address from now on. If this looks wrong, "
            f"check with {colleague_name} before you offer them another client."
        ),
    ]
    return render("colleague_email_changed", member_email, f"{colleague_name} has a new email address", blocks)


def letter_to_client(*, letter: Letter, client_email: str) -> OutgoingMail:
    blocks = [P(part) for part in letter.body.strip().split("\n\n")]
    return render("client_letter", client_email, letter.subject, blocks)
