"""Cleaning text where it enters the service: API schemas, HTML forms and the CSV import alike.

Text a person types ends up in pages, mail subjects and the database. Three kinds of
character do harm there and are never needed in a name or a note:

- control characters (Unicode category Cc): a line break in a name breaks a mail header,
  a NUL byte cannot be stored by PostgreSQL at all;
- format characters (Cf) such as bidi overrides (U+202E reverses the text shown after it)
  and zero-width spaces, which make two names look alike while differing;
- lone surrogates (Cs), which no UTF-8 database column or mail can carry.

:func:`clean_text` normalises to NFC, strips the invisible format characters and
refuses the control characters, except the ordinary white space a multi-line field
(a note, a disclosure) needs::

    >>> clean_text("Ana\\u202e Ruiz")
    'Ana Ruiz'
    >>> clean_text("two\\r\\nlines", multiline=True)
    'two\\nlines'
    >>> clean_text("Line\\nBreak")
    Traceback (most recent call last):
    ...
    ValueError: Must be one line, without line breaks or control characters.

Cost: linear in the length of the text.
"""

from __future__ import annotations

import unicodedata

__all__ = ["ONE_LINE", "UNSTORABLE", "clean_text"]

ONE_LINE = "Must be one line, without line breaks or control characters."
UNSTORABLE = "Must not contain control characters (such as a NUL byte)."

#: joiners shape Persian, Indic scripts and emoji sequences; they never reorder text
_KEEP_FORMAT = {"\u200c", "\u200d"}
_LINE_BREAKS = {"\r\n": "\n", "\r": "\n", "\u2028": "\n", "\u2029": "\n", "\x85": "\n"}


def clean_text(value: str, *, multiline: bool = False) -> str:
    """``value`` in NFC without invisible format characters; ``ValueError`` with a readable reason
    when it holds a control character.

    A one-line field accepts no line break (a tab becomes a space); a multi-line field
    keeps line breaks (all written ``\\n``) and tabs. Surrounding white space is kept:
    trimming is the field's business.
    """
    if value.isascii() and value.isprintable():
        return value  # most text: nothing to normalise, strip or refuse (a 100,000-row import is all this)
    if multiline:
        for old, new in _LINE_BREAKS.items():
            value = value.replace(old, new)
    else:
        value = value.replace("\t", " ")
    out = []
    for ch in unicodedata.normalize("NFC", value):
        kind = unicodedata.category(ch)
        if kind == "Cf" and ch not in _KEEP_FORMAT:
            continue
        if kind in ("Cc", "Cs", "Zl", "Zp") and not (multiline and ch in "\n\t"):
            raise ValueError(ONE_LINE if not multiline and ch in "\n\r\x85\u2028\u2029" else UNSTORABLE)
        out.append(ch)
    return "".join(out)
