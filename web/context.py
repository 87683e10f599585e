"""Small helpers every view uses: the services, a unit of work, the clock, the caller."""

from flask import current_app, g

from web import Services


def services() -> Services:
    return current_app.extensions["referral"]


def uow():
    return services().uow()


def now():
    return services().clock()


def member_id() -> int:
    """The calling member: the bearer token's owner (API) or the logged-in user (pages)."""
    if getattr(g, "api_member_id", None) is not None:
        return g.api_member_id
    from flask_login import current_user
    return current_user.id
