"""Who may change a colleague record, which fields, and when (the README's "Who owns a colleague record").

A colleague record is someone's contact details and the place offers of clients go to, so
changing it can redirect another member's client. The rules, in one place:

- A member's own record (the one ``member create`` made or took over) is theirs alone.
- Any other record is managed by the member who added it; nobody else edits or removes it.
- The email of a colleague with open offers (offered or accepted, from any member) stays as
  it is until those are answered: the offer mails and the client's details go to it.
- Capacity is never lowered below the open offers already made: the colleague can still
  accept each of them.
- Removal is soft and never touches another member's referrals (see ``services/colleagues``).
- A CSV import acts for one member, or for none (the operator): it changes only the records
  that one manages, under the same email and capacity rules (see ``services/colleague_import``).

Plain functions of plain values, so the services and the pages ask the same question::

    >>> manages(7, colleague_id=9, added_by_id=7, is_member=False)
    True
    >>> manages(7, colleague_id=9, added_by_id=7, is_member=True)   # 9 became a member: theirs now
    False
    >>> sorted(refused_changes({"email": "new@example.org", "capacity": 0},
    ...                        email="old@example.org", capacity=3, open_referrals=1))
    ['capacity', 'email']
"""

from __future__ import annotations

__all__ = ["import_manages", "manages", "refused_changes"]


def manages(me: int | None, *, colleague_id: int, added_by_id: int | None, is_member: bool) -> bool:
    """True when the member whose own record is ``me`` may edit or remove this colleague record."""
    if me is None:
        return False
    if is_member:
        return colleague_id == me
    return added_by_id == me


def import_manages(me: int | None, *, colleague_id: int, added_by_id: int | None, is_member: bool) -> bool:
    """True when a CSV import run for the member whose own record is ``me`` may change this record.

    An import run for a member is that member (:func:`manages`); one run for no member (the
    operator's) manages only the records no member manages, which are the ones such imports added::

        >>> import_manages(None, colleague_id=9, added_by_id=None, is_member=False)
        True
        >>> import_manages(None, colleague_id=9, added_by_id=7, is_member=False)
        False
    """
    if me is None:
        return added_by_id is None and not is_member
    return manages(me, colleague_id=colleague_id, added_by_id=added_by_id, is_member=is_member)


def refused_changes(fields: dict, *, email: str, capacity: int, open_referrals: int) -> dict[str, list[str]]:
    """The fields of an edit that the record's state refuses, each with the reason; empty when allowed.

    ``open_referrals`` counts the colleague's offered plus accepted referrals, from every member.
    """
    refused: dict[str, list[str]] = {}
    n = open_referrals
    offers = f"{n} offer{'s' if n != 1 else ''}"
    if "email" in fields and fields["email"].strip().lower() != email and n:
        refused["email"] = [(
            f"The email cannot change while {offers} to this colleague {'is' if n == 1 else 'are'} open: "
            "offers and the client's details go to it. Change it once they are answered."
        )]
    if "capacity" in fields and fields["capacity"] < min(n, capacity):  # lowered below the open offers
        refused["capacity"] = [(
            f"Capacity cannot go below the {offers} already open ({n}): the colleague may still accept "
            "each of them. Lower it once some are answered."
        )]
    return refused
