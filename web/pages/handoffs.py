"""Let a client go: the handoff form (with its tone check) and the ranked candidates."""

from flask import abort, flash, redirect, render_template, request, url_for

from referral.domain import tone
from referral.domain.errors import Conflict
from referral.domain.vocab import EXIT_STRATEGIES, REASONS
from referral.services import handoffs, queries
from web.api.handoffs import candidate_rows
from web.context import member_id, now, services, uow
from web.forms import client_payload, fact_rows, handoff_messages, handoff_payload, validate
from web.pages import members_blueprint
from web.schemas import ClientSchema, DisclosureRevisionSchema, HandoffSchema

bp = members_blueprint("handoffs", __name__, url_prefix="/handoffs")



@bp.get("/")
def index():
    return render_template("handoffs/index.html", rows=queries.handoff_summaries(uow(), member_id()))


def _form(values: dict, errors: dict, warnings=(), code: int = 200):
    facts = values.get("facts") or []
    facts = facts + [{"date": "", "text": ""}] * max(1, 3 - len(facts))
    client = tone.Client(values.get("client.name", ""), values.get("client.email", ""), values.get("client.phone", ""))
    return render_template("handoffs/form.html", values=values, errors=errors, facts=facts, warnings=warnings,
                           reasons=REASONS, exits=EXIT_STRATEGIES, calmer=tone.calmer, client=client), code


@bp.route("/new", methods=["GET", "POST"])
def new():
    if request.method == "GET":
        return _form({"exit_strategy": "refer_elsewhere", "reasons": []}, {})
    facts = fact_rows(request.form)
    values = dict(request.form, reasons=request.form.getlist("reasons"), facts=facts,
                  auto_cascade=request.form.get("auto_cascade") == "on")
    if request.form.get("action") == "add_fact":
        values["facts"] = facts + [{"date": "", "text": ""}]
        return _form(values, {})
    data, errors = validate(HandoffSchema(), handoff_payload(request.form))
    if errors:
        return _form(values, handoff_messages(errors, request.form), code=422)
    warnings = tone.check_handoff(data)
    if warnings and request.form.get("tone_ok") != "on":
        return _form(values, {}, warnings)
    handoff_id, _ = handoffs.submit_handoff(uow(), services().match_state, member_id(), data, now())
    flash("Saved. Here are the colleagues who fit this client best.", "success")
    return redirect(url_for("handoffs.detail", handoff_id=handoff_id))


def render_detail(handoff_id: int, client_errors: dict | None = None, client_values: dict | None = None, code=200):
    found = queries.handoff_detail(uow(), member_id(), handoff_id)
    if found is None:
        abort(404, f"You have no handoff {handoff_id}.")
    ranked = handoffs.candidates(uow(), services().match_state, member_id(), handoff_id, now(), limit=10)
    values = client_values or {f"client.{k}": v for k, v in found["client"].items()}
    return render_template("handoffs/detail.html", h=found, candidates=candidate_rows(ranked),
                           reasons=REASONS, exits=EXIT_STRATEGIES, client_errors=client_errors or {},
                           client_values=values), code


@bp.get("/<int:handoff_id>")
def detail(handoff_id: int):
    return render_detail(handoff_id)


@bp.post("/<int:handoff_id>/client")
def revise_client(handoff_id: int):
    """Correct the client's details while no colleague has accepted them; every change is kept."""
    payload = client_payload(request.form)
    data, errors = validate(ClientSchema(), payload)
    if errors:
        errors = handoff_messages({f"client.{k}": v for k, v in errors.items()}, request.form)
        return render_detail(handoff_id, errors, {f"client.{k}": v for k, v in payload.items()}, code=422)
    try:
        changed = handoffs.revise_client(uow(), member_id(), handoff_id, data, now())
    except Conflict as err:
        flash(str(err), "error")
    else:
        flash(f"Saved {changed} change{'s' if changed != 1 else ''} to the client's details; earlier values are kept."
              if changed else "Nothing was changed.", "success")
    return redirect(url_for("handoffs.detail", handoff_id=handoff_id))


@bp.post("/<int:handoff_id>/disclosure")
def revise(handoff_id: int):
    data, errors = validate(DisclosureRevisionSchema(), {"disclosure": request.form.get("disclosure", "")})
    if errors:
        flash("The fair warning cannot be empty.", "error")
    else:
        version = handoffs.revise_disclosure(uow(), member_id(), handoff_id, data["disclosure"], now())
        flash(f"Saved as version {version}; earlier versions are kept.", "success")
    return redirect(url_for("handoffs.detail", handoff_id=handoff_id))
