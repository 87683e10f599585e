"""The polite letter a member sends a client they hand off, one per exit strategy.

Pure functions of names and dates: no reasons, facts or fair warning ever reach the
client. Every letter introduces the colleague (a member who bows out may have none),
says until when the member finishes the work in hand, thanks the client, and closes
with the member's business card and the offer to point them, or anyone they know, to
someone who can help.

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
>>> alone = client_letter("bow_out", client_name="Sam Lee", member=card, colleague=None, finish_by=None)
>>> alone.subject
'Finishing our work together'
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from referral.domain.vocab import EXIT_STRATEGIES, EXITS_WITHOUT_COLLEAGUE

__all__ = ["BUSINESS_CARD_OFFER", "ContactCard", "Letter", "client_letter", "long_date"]


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


#: bowing out with no colleague lined up: finish the work and step back, no one forced on the client
_OPENING_ALONE = (
    "I am stepping back from this kind of work, so I will not be able to continue with you once the "
    "work in hand is done. I wanted to tell you myself, in good time, and to thank you."
)

#: the business card given out again: an open door for the client and anyone they know
BUSINESS_CARD_OFFER = (
    "Please keep my details below. If you ever need help with something I do not do, get in touch: "
    "I will gladly point you to someone who can help, and that offer stands for anyone you know, too."
)


def client_letter(
    exit_strategy: str,
    *,
    client_name: str,
    member: ContactCard,
    colleague: ContactCard | None,
    finish_by: date | None,
) -> Letter:
    """The letter for ``exit_strategy`` (a contract code); an unknown code raises ``KeyError``.

    ``colleague`` may be None only for an exit that needs no colleague (``bow_out``): the
    letter then says the member steps back, with no introduction; otherwise ``ValueError``.
    """
    if exit_strategy not in EXIT_STRATEGIES:
        raise KeyError(exit_strategy)
    if colleague is None and exit_strategy not in EXITS_WITHOUT_COLLEAGUE:
        raise ValueError(f"the {exit_strategy} letter introduces a colleague")
    first = client_name.split()[0] if client_name.strip() else client_name
    if finish_by is None:
        when = "before I step back" if colleague is None else "before the handover"
        finish = f"I will finish the work I have in hand for you {when}, so nothing is left half done."
    else:
        finish = (
            f"I will finish the work I have in hand for you by {long_date(finish_by)}, "
            "so nothing is left half done."
        )
    if colleague is None:
        paragraphs = [_OPENING_ALONE]
        subject = "Finishing our work together"
    else:
        paragraphs = [_OPENING[exit_strategy], _introduction(colleague)]
        subject = f"Introducing {colleague.name}, who will look after you from here"
    thanks = "Thank you for your trust and for the work we have done together. I wish you every success."
    body = (
        "\n\n".join(
            [
                f"Dear {first},",
                *paragraphs,
                finish,
                thanks,
                BUSINESS_CARD_OFFER,
                "Kind regards,\n\n" + "\n".join(member.lines()),
            ]
        )
        + "\n"
    )
    return Letter(subject=subject, body=body)


def _introduction(colleague: ContactCard) -> str:
    return (
        f"{colleague.name} has agreed to look after you from here. You can reach "
        f"{colleague.name.split()[0]} at {colleague.email}; they are expecting to hear from you, "
        "and I am happy to make the introduction in person if that helps."
    )
