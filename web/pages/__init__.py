"""The HTML pages: log in, the colleague directory (and later handoffs, offers, network)."""

from flask import Blueprint, Flask, redirect, url_for
from flask_login import UserMixin, current_user

from referral.services import members
from web.context import now, uow
from web.extensions import login_manager


class User(UserMixin):
    """The logged-in member as Flask-Login sees them.

    ``get_id`` is the login id with the member's session key (Flask-Login's "alternative
    token"), so replacing the key ends the session and the remember cookie alike.
    """

    def __init__(self, id: int, colleague_id: int, name: str, email: str, login_id: str):
        self.id, self.colleague_id, self.name, self.email, self.login_id = id, colleague_id, name, email, login_id

    def get_id(self) -> str:
        return self.login_id


@login_manager.user_loader
def load_user(login_id: str):
    found = members.member_for_login_id(uow(), login_id)
    return User(**found) if found else None


def members_only() -> None:
    """A ``before_request`` hook: pages of the blueprint need a logged-in member."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    return None


def members_blueprint(name: str, import_name: str, **options) -> Blueprint:
    """A blueprint whose every page needs a logged-in member."""
    bp = Blueprint(name, import_name, **options)
    bp.before_request(members_only)
    return bp


def register(app: Flask) -> None:
    from web.pages import (
        auth,
        dashboard,
        directory,
        handoffs,
        ledger,
        network,
        offers,
        privacy,
        settings,
        vendor,
    )

    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please log in to see that page."
    login_manager.login_message_category = "info"
    app.register_blueprint(auth.bp)
    app.register_blueprint(directory.bp)
    for module in (handoffs, network, ledger, dashboard, privacy, settings, vendor):
        app.register_blueprint(module.bp)
    for bp in offers.blueprints:
        app.register_blueprint(bp)

    @app.context_processor
    def _helpers():
        return {"has_endpoint": lambda name: name in app.view_functions, "today": now().date()}

    @app.get("/")
    def home():
        if current_user.is_authenticated:
            return redirect(url_for("dashboard.index"))
        return redirect(url_for("auth.login"))
