"""The ledger page: per colleague, clients given, received and returned; whom the member owes and who owes them."""

from flask import flash, redirect, render_template, request, url_for

from referral.domain.errors import IllegalTransition, Invalid
from referral.services import ledger
from web.context import member_id, now, uow
from web.forms import validate
from web.network_schemas import OutcomeSchema
from web.pages import members_blueprint

bp = members_blueprint("ledger", __name__, url_prefix="/ledger")



def _render(errors: dict | None = None, values: dict | None = None, failed_id: int | None = None, code=200):
    rows = ledger.member_ledger(uow(), member_id())
    outcomes = ledger.outcomes_for(uow(), member_id())
    return render_template("ledger/page.html", rows=rows, owe=[r for r in rows if r["owed"]], owed=[r for r in rows if r["owes_you"]],
                           referrals=outcomes["referrals"], thanks=outcomes["thanks"],
                           errors=errors or {}, values=values or {}, failed_id=failed_id), code


@bp.get("/")
def page():
    return _render()


@bp.post("/referrals/<int:referral_id>/outcome")
def outcome(referral_id: int):
    values = {"note": request.form.get("note", ""), "value": request.form.get("value") or None}
    data, errors = validate(OutcomeSchema(), values)
    if not errors:
        try:
            ledger.record_outcome(uow(), member_id(), referral_id, data["note"], data["value"], now())
        except Invalid as err:
            errors = err.errors
        except IllegalTransition as err:
            flash(str(err), "error")
            return redirect(url_for("ledger.page"))
        else:
            flash("Thank you: the outcome is recorded, and the other side can see it.", "success")
            return redirect(url_for("ledger.page") + f"#referral-{referral_id}")
    return _render(errors, values, referral_id, code=422)
