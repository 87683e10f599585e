"""Settings: change the password, manage API tokens, download everything stored about you."""

import json

from flask import Response, current_app, flash, redirect, render_template, request, url_for
from flask_login import login_user

from referral.domain.errors import Invalid
from referral.services import members, privacy, tokens
from web.context import member_id, now, uow
from web.pages import load_user, members_blueprint

bp = members_blueprint("settings", __name__, url_prefix="/settings")


def _page(errors: dict | None = None, values: dict | None = None, new_token: str | None = None, code: int = 200):
    return render_template("settings/page.html", tokens=tokens.list_tokens(uow(), member_id(), now()),
                           errors=errors or {}, values=values or {}, new_token=new_token,
                           min_password=members.MIN_PASSWORD_LENGTH, default_days=tokens.DEFAULT_DAYS,
                           max_days=tokens.MAX_DAYS), code


@bp.get("/")
def page():
    return _page()


@bp.post("/password")
def password():
    """Change the password; every other session ends, this one carries on with the new key."""
    try:
        login_id = members.change_password(uow(), member_id(), request.form.get("current_password", ""),
                                           request.form.get("new_password", ""))
    except Invalid as err:
        return _page(err.errors, code=422)
    remembered = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies
    login_user(load_user(login_id), remember=remembered)
    flash("Your password is changed. Every other session of yours has ended.", "success")
    return redirect(url_for("settings.page"))


@bp.post("/tokens")
def create_token():
    """A new API token, shown on the page this once."""
    name, days = request.form.get("name", ""), request.form.get("days", "")
    values = {"name": name, "days": days}
    if not days.strip().isdigit():
        return _page({"days": [f"Give a number of days from 1 to {tokens.MAX_DAYS}."]}, values, code=422)
    try:
        _, token = tokens.create(uow(), member_id(), name, int(days), now())
    except Invalid as err:
        return _page(err.errors, values, code=422)
    return _page(new_token=token, code=201)


@bp.post("/tokens/<int:token_id>/revoke")
def revoke_token(token_id: int):
    tokens.revoke(uow(), member_id(), token_id, now())
    flash("The token is revoked: it no longer works.", "success")
    return redirect(url_for("settings.page"))


@bp.post("/tokens/<int:token_id>/rotate")
def rotate_token(token_id: int):
    """Replace a token: the old one stops working, the new one is shown this once."""
    _, token = tokens.rotate(uow(), member_id(), token_id, now())
    return _page(new_token=token, code=201)


@bp.get("/export")
def export():
    """Everything stored about the member, as a JSON file to keep (the same document as ``/api/export``)."""
    data = privacy.export(uow(), member_id(), now())
    name = f"referral-network-export-{now():%Y-%m-%d}.json"
    return Response(json.dumps(data, indent=2, ensure_ascii=False), mimetype="application/json",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
