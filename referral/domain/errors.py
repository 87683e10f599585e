"""The one root exception of the domain and its documented subclasses.

The web layer maps each class to one HTTP answer (see ``web/errors.py``):
``NotFound`` 404, ``IllegalTransition`` and ``Conflict`` 409, ``Invalid`` 422.
"""

__all__ = ["Conflict", "IllegalTransition", "Invalid", "NotFound", "ReferralError"]


class ReferralError(Exception):
    """Root of every error the domain and services raise on purpose."""


class NotFound(ReferralError):
    """The thing does not exist, or belongs to another member (the two are not told apart)."""


class IllegalTransition(ReferralError):
    """A referral was asked to move to a status its lifecycle does not allow from where it is."""


class Conflict(ReferralError):
    """The request clashes with the current state (email already taken, colleague at capacity...).

    ``errors``, when given, maps each field the clash is about to its messages.
    """

    def __init__(self, message: str, errors: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.errors = errors


class Invalid(ReferralError):
    """Input broke a business rule; ``errors`` maps each field to its messages."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))
        self.errors = errors
