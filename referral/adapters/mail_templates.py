"""Rendering the mail templates (``referral/templates/mail/*.jinja``) into plain text and HTML.

Each template is rendered twice from the same words: once without escaping for the plain
text part, once autoescaped for the HTML part (its blocks come from ``mail/_blocks.jinja``,
which draws each block for the one or the other). A template sets ``subject`` at its top
level. jinja2 only, no Flask: the services render mail inside their transactions.
"""

from __future__ import annotations

from datetime import date, datetime

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from referral.adapters.outbox import OutgoingMail
from referral.domain.letters import long_date
from referral.domain.vocab import DECLINE_CODES, REASONS

__all__ = ["first_name", "render", "when"]


def when(dt: datetime) -> str:
    """``28 November 2026 at 09:00 UTC``."""
    return f"{long_date(dt.date())} at {dt:%H:%M} UTC"


def first_name(name: str) -> str:
    return name.split()[0] if name.split() else name


def _fact(f: dict) -> str:
    return f"{long_date(date.fromisoformat(f['date']))}: {f['text']}"


_SEP = "\x1e"  # ends each block of the plain text (an ASCII record separator, never in user text)


def _env(html: bool) -> Environment:
    env = Environment(
        loader=PackageLoader("referral", "templates"),
        autoescape=html,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        when=when,
        long_date=long_date,
        first_name=first_name,
        reason=lambda code: REASONS.get(code, code),
        decline_label=lambda code: DECLINE_CODES.get(code, code),
        fact=_fact,
        news_line=lambda item: f"{when(item[0])}: {item[1]}",
        # HTML: line breaks of user text become <br> after escaping; plain text keeps them
        nl2br=(lambda text: escape(text).replace("\n", Markup("<br>"))) if html else (lambda text: text),
    )
    env.globals.update(html=html, sep="" if html else _SEP)
    return env


_TEXT, _HTML = _env(False), _env(True)


def render(template: str, kind: str, to_addr: str, **context) -> OutgoingMail:
    """The mail ``mail/<template>.jinja`` for ``context``, as an :class:`OutgoingMail` of ``kind``.

    Raises ``jinja2.UndefinedError`` when the template uses a name the caller did not pass.
    """
    name = f"mail/{template}.jinja"
    text_module = _TEXT.get_template(name).make_module(context)
    html_module = _HTML.get_template(name).make_module(context)
    # set by the template itself (``{% set subject %}``), so jinja2's types cannot know it
    subject = str(text_module.subject)  # type: ignore[attr-defined]
    blocks = (block.strip("\n ") for block in str(text_module).split(_SEP))
    text = "\n\n".join(b for b in blocks if b) + "\n"
    html = _HTML.get_template("mail/_layout.html").render(subject=subject, body=Markup(str(html_module).strip()))
    return OutgoingMail(kind=kind, to_addr=to_addr, subject=subject, text=text, html=html + "\n")
