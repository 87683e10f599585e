"""The colleague directory: search, add, edit, pause, delete, connect."""

from math import ceil

from flask import abort, flash, redirect, render_template, request, url_for

from referral.domain.errors import Conflict, Invalid
from referral.domain.vocab import REASONS
from referral.services import colleagues, queries
from web.context import member_id, now, services, uow
from web.forms import colleague_payload, validate
from web.pages import members_blueprint
from web.schemas import ColleaguePatchSchema, ColleagueSchema

bp = members_blueprint("directory", __name__, url_prefix="/colleagues")
PER_PAGE = 20



@bp.get("/")
def index():
    q = request.args.get("q", "")[:200]
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    rows, total = queries.list_colleagues(uow(), member_id(), q, page, PER_PAGE, state=services().match_state,
                                          now=now())
    return render_template("directory/index.html", rows=rows, total=total, q=q, page=page,
                           pages=max(ceil(total / PER_PAGE), 1))


def _form(template_values: dict, errors: dict, colleague_id: int | None = None, code: int = 200):
    return render_template("directory/form.html", values=template_values, errors=errors,
                           colleague_id=colleague_id, reasons=REASONS), code


def _values_from_form() -> dict:
    values: dict[str, object] = dict(request.form)
    values["dealbreakers"] = request.form.getlist("dealbreakers")
    values["remote"] = request.form.get("remote") == "on"
    return values


@bp.route("/new", methods=["GET", "POST"])
def new():
    if request.method == "GET":
        return _form({"capacity": 3, "remote": True, "dealbreakers": []}, {})
    data, errors = validate(ColleagueSchema(), colleague_payload(request.form))
    if not errors:
        try:
            new_id = colleagues.add_colleague(uow(), member_id(), data, now())
        except Invalid as err:
            errors = err.errors
        else:
            flash(f"{data['name']} is now in the network.", "success")
            return redirect(url_for("directory.detail", colleague_id=new_id))
    return _form(_values_from_form(), errors, code=422)


@bp.get("/<int:colleague_id>")
def detail(colleague_id: int):
    row = queries.get_colleague(uow(), member_id(), colleague_id)
    if row is None:
        abort(404, f"There is no colleague {colleague_id} in the network.")
    return render_template("directory/detail.html", c=row, reasons=REASONS)


@bp.route("/<int:colleague_id>/edit", methods=["GET", "POST"])
def edit(colleague_id: int):
    row = queries.get_colleague(uow(), member_id(), colleague_id)
    if row is None or not row["manageable"]:
        abort(404, f"There is no colleague {colleague_id} that you manage.")
    if request.method == "GET":
        values = dict(row, specialties="\n".join(row["specialties"]),
                      paused_until=row["paused_until"].isoformat() if row["paused_until"] else "")
        return _form(values, {}, colleague_id)
    data, errors = validate(ColleagueSchema(), colleague_payload(request.form))
    if not errors:
        try:
            colleagues.edit_colleague(uow(), services().settings, member_id(), colleague_id, data, now())
        except (Invalid, Conflict) as err:
            errors = err.errors or {}
        else:
            flash("Saved.", "success")
            return redirect(url_for("directory.detail", colleague_id=colleague_id))
    return _form(_values_from_form(), errors, colleague_id, code=422)


@bp.post("/<int:colleague_id>/pause")
def pause(colleague_id: int):
    data, errors = validate(ColleaguePatchSchema(), {"paused_until": request.form.get("paused_until") or None})
    if errors:
        flash("Pause until: " + " ".join(errors.get("paused_until", [])), "error")
    else:
        colleagues.edit_colleague(uow(), services().settings, member_id(), colleague_id, data, now())
        when = data["paused_until"]
        flash(f"Paused until {when:%d %B %Y}." if when else "Taking referrals again.", "success")
    return redirect(url_for("directory.detail", colleague_id=colleague_id))


@bp.post("/<int:colleague_id>/delete")
def delete(colleague_id: int):
    colleagues.delete_colleague(uow(), member_id(), colleague_id, now())
    flash("The colleague was removed from the network.", "success")
    return redirect(url_for("directory.index"))


@bp.post("/<int:colleague_id>/connect")
def connect(colleague_id: int):
    if colleagues.connect(uow(), member_id(), colleague_id, now()):
        flash("Noted: you know this colleague.", "success")
    return redirect(url_for("directory.detail", colleague_id=colleague_id))
