"""The HTML pages: log in, the colleague directory (and later handoffs, offers, network)."""

from flask import Blueprint, Flask, redirect, url_for
from flask_login import UserMixin, current_user
from sqlalchemy import select

from referral.adapters import orm
from web.context import now, uow
from web.extensions import login_manager


class User(UserMixin):
    """The logged-in member as Flask-Login sees them."""

    def __init__(self, member_id: int, colleague_id: int, name: str, email: str):
        self.id, self.colleague_id, self.name, self.email = member_id, colleague_id, name, email


@login_manager.user_loader
def load_user(user_id: str):
    if not user_id.isdigit():
        return None
    M, C = orm.members, orm.colleagues
    with uow().reading() as u:
        row = u.session.execute(select(M.c.id, M.c.colleague_id, C.c.name, C.c.email)
                                .join(C, C.c.id == M.c.colleague_id).where(M.c.id == int(user_id))).first()
    return User(*row) if row else None


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
        care,
        dashboard,
        directory,
        handoffs,
        ledger,
        lessons,
        network,
        offers,
        reviews,
        vendor,
    )

    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please log in to see that page."
    login_manager.login_message_category = "info"
    app.register_blueprint(auth.bp)
    app.register_blueprint(directory.bp)
    for module in (handoffs, network, ledger, dashboard, vendor, reviews, care, lessons):
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
