"""Log in and out with email and password."""

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import login_required, login_user, logout_user

from referral.services import members
from web.context import uow
from web.extensions import limiter
from web.pages import load_user

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def login():
    email = request.form.get("email", "")
    if request.method == "POST":
        member_id = members.authenticate(uow(), email, request.form.get("password", ""))
        if member_id is not None:
            login_user(load_user(str(member_id)), remember=bool(request.form.get("remember")))
            target = request.args.get("next") or ""
            # only same-site paths, never an open redirect
            if not target.startswith("/") or target.startswith("//") or urlsplit(target).netloc:
                target = url_for("home")
            return redirect(target)
        flash("That email and password do not match a member.", "error")
    return render_template("auth/login.html", email=email), (401 if request.method == "POST" else 200)


@bp.post("/logout")
@login_required
def logout():
    logout_user()
    flash("You are logged out.", "info")
    return redirect(url_for("auth.login"))
