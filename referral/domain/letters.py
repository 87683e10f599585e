"""The polite letter a member sends a client they hand off, one per exit strategy.

Pure functions of names and dates: no reasons, facts or fair warning ever reach the
client. Every letter introduces the colleague, says until when the member finishes
the work in hand, thanks the client and closes with the member's contact card.

Examples
--------
>>> card = ContactCard(name="Maya Brenner", email="maya@example.com")
>>> letter = client_letter("bow_out", client_name="Sam Lee", member=card,
...                        colleague=ContactCard(name="Ana Ruiz", email="ana@example.org"),
...                        finish_by=date(2026, 12, 18))
>>> letter.subject
'Introducing Ana Ruiz, who will look after you from here'
>>> "18 December 2026" in letter.body and letter.body.rstrip().endswith("maya@example.com")
True
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from referral.domain.vocab import EXIT_STRATEGIES

__all__ = ["ContactCard", "Letter", "client_letter", "long_date"]


@dataclass(frozen=True)
class ContactCard:
    """How to reach a person: the signature of the letter, or the colleague introduced."""

    name: str
    email: str
    phone: str | None = None
    location: str | None = None

    def lines(self) -> list[str]:
        return [v for v in (self.name, self.email, self.phone, self.location) if v]


@dataclass(frozen=True)
class Letter:
    subject: str
    body: str


def long_date(d: date) -> str:
    """``18 December 2026``: unambiguous in every country, unlike 12/18/2026."""
    return f"{d.day} {d:%B %Y}"


_OPENING = {
    "take_blame": (
        "I owe you a straight answer: I have taken on more than I can do well, and that is my doing, "
        "not yours. You deserve someone who can give your work the attention it needs, so I have asked "
        "a colleague I trust to take over."
    ),
    "refer_elsewhere": (
        "As your needs have grown, I have come to think that someone else can serve you better than I "
        "can. I have asked a colleague whose work fits what you need to take over."
    ),
    "bow_out": (
        "I am stepping back from this kind of work, so I will not be able to continue with you. "
        "I did not want to leave you without someone good, so I have asked a colleague to take over."
    ),
}


def client_letter(
    exit_strategy: str,
    *,
    client_name: str,
    member: ContactCard,
    colleague: ContactCard,
    finish_by: date | None,
) -> Letter:
    """The letter for ``exit_strategy`` (a contract code); an unknown code raises ``KeyError``."""
    if exit_strategy not in EXIT_STRATEGIES:
        raise KeyError(exit_strategy)
    first = client_name.split()[0] if client_name.strip() else client_name
    if finish_by is None:
        finish = (
            "I will finish the work I have in hand for you before the handover, so nothing is left half done."
        )
    else:
        finish = (
            f"I will finish the work I have in hand for you by {long_date(finish_by)}, "
            "so nothing is left half done."
        )
    intro = (
        f"{colleague.name} has agreed to look after you from here. You can reach "
        f"{colleague.name.split()[0]} at {colleague.email}; they are expecting to hear from you, "
        "and I am happy to make the introduction in person if that helps."
    )
    thanks = "Thank you for your trust and for the work we have done together. I wish you every success."
    body = (
        "\n\n".join(
            [
                f"Dear {first},",
                _OPENING[exit_strategy],
                intro,
                finish,
                thanks,
                "Kind regards,\n\n" + "\n".join(member.lines()),
            ]
        )
        + "\n"
    )
    return Letter(subject=f"Introducing {colleague.name}, who will look after you from here", body=body)
