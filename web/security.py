"""Browser-facing safety: security headers on every answer, and one-time tokens kept out of logs.

An emailed answer link carries its signed token as a path segment (``/offers/<token>``).
Such a segment never reaches the access log (:class:`TokenMaskingLogger`, gunicorn's
``logger_class`` in ``gunicorn.conf.py``) and never leaves the page in a ``Referer``
(``Referrer-Policy: no-referrer`` on any page whose path carries one).
"""

from __future__ import annotations

import re

from flask import Flask, request
from gunicorn.glogging import Logger

__all__ = ["CSP", "TokenMaskingLogger", "carries_token", "mask_tokens", "register"]

# no inline script or style anywhere: pages load their code and CSS from /static and /vendor
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
       "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
# a signed link token: one long path segment of URL-safe characters (ids and file names are shorter)
TOKEN_SEGMENT = re.compile(r"(?<=/)[A-Za-z0-9_.\-]{24,}(?=[/?#\s]|$)")
MASK = "[token]"


def mask_tokens(text: str) -> str:
    """``text`` (a path, request line or URL) with every token-like path segment replaced by ``[token]``."""
    return TOKEN_SEGMENT.sub(MASK, text)


def carries_token(path: str) -> bool:
    return TOKEN_SEGMENT.search(path) is not None


def register(app: Flask) -> None:
    @app.after_request
    def _headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CSP)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        # an answer-link page sends no Referer at all, not even to its own stylesheet
        headers.setdefault("Referrer-Policy", "no-referrer" if carries_token(request.path) else "same-origin")
        return response


class TokenMaskingLogger(Logger):
    """gunicorn's logger, with link tokens masked in the request line, path and Referer."""

    MASKED_ATOMS = ("r", "U", "f", "{referer}i", "{raw_uri}e", "{path_info}e")

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for key in self.MASKED_ATOMS:
            if isinstance(atoms.get(key), str):
                # gunicorn also adds "{header}i" and "{variable}e" keys, which its stubs' TypedDict leaves out
                atoms[key] = mask_tokens(atoms[key])  # type: ignore[literal-required]
        return atoms
