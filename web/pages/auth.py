"""Log in and out with email and password.

Guessing is slowed twice over, counting only failed attempts (a correct password never
counts against anyone): per address (spraying many accounts) and per account (one account
guessed from many addresses). An account's pause grows with persistence: a minute after
five failures, then an hour, then a day once the pause keeps being hit. The counters live
in the app's limiter, so they hold across workers when ``RATELIMIT_STORAGE_URI`` is shared.
"""

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_limiter import MetaLimit
from flask_login import login_required, login_user, logout_user

from referral.services import members
from web.context import member_id, uow
from web.extensions import limiter
from web.pages import load_user

bp = Blueprint("auth", __name__)

ACCOUNT_PAUSED = ("Too many failed log-ins for this account. Log-in to it is paused for a while, longer each "
                  "time; please try again later. Your API tokens and open sessions keep working.")


def _account() -> str:
    return "account:" + request.form.get("email", "").strip().lower()[:320]


def _failed(response) -> bool:
    return response.status_code == 401


def safe_next(target: str) -> str:
    """A same-site path to go on to after logging in, else the start page (never an open redirect)."""
    if (not target.startswith("/") or target.startswith("//") or any(c in target for c in "\r\n\\")
            or urlsplit(target).netloc):
        return url_for("home")
    return target


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"], deduct_when=_failed)
@limiter.limit("5 per minute", key_func=_account, methods=["POST"], deduct_when=_failed,
               error_message=ACCOUNT_PAUSED,
               meta_limits=[MetaLimit("5 per hour", key_function=_account, error_message=ACCOUNT_PAUSED),
                            MetaLimit("20 per day", key_function=_account, error_message=ACCOUNT_PAUSED)])
def login():
    email = request.form.get("email", "")
    if request.method == "POST":
        login_id = members.authenticate(uow(), email, request.form.get("password", ""))
        if login_id is not None:
            login_user(load_user(login_id), remember=bool(request.form.get("remember")))
            return redirect(safe_next(request.args.get("next") or ""))
        flash("That email and password do not match a member.", "error")
    return render_template("auth/login.html", email=email), (401 if request.method == "POST" else 200)


@bp.post("/logout")
@login_required
def logout():
    """End the session here and everywhere else: saved cookies stop working too."""
    members.end_sessions(uow(), member_id())
    logout_user()
    flash("You are logged out.", "info")
    return redirect(url_for("auth.login"))
