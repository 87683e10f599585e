"""The handoff page's parts for letting go with care: contract terms, second reads, the letter, closing,
the look back. Each form posts here and comes back to the handoff's page.

The page's parts are partial templates (``handoffs/_care_*.html``) that read
``care_of(handoff_id)``, so the handoff page's own view needs no change to show them. A
form with a mistake shows the handoff page again with the error beside the field and
everything typed kept (422).
"""

from flask import flash, g, redirect, request, url_for

from referral.domain.errors import Conflict, Invalid
from referral.domain.vocab import OUTCOMES, REASONS, TERM_ANSWERS
from referral.services import care, lessons, reviews
from web.api.care import review_url
from web.context import member_id, now, services, uow
from web.forms import term_rows, validate
from web.pages import handoffs as handoff_pages
from web.pages import members_blueprint
from web.schemas import LetterSendSchema, RetrospectiveSchema, ReviewRequestSchema

bp = members_blueprint("care", __name__, url_prefix="/handoffs")


@bp.app_context_processor
def _care_helpers():
    return {"care_of": lambda handoff_id: care.care_view(uow(), member_id(), handoff_id, now()),
            "typed_terms": lambda: term_rows(request.form) if request.method == "POST" else [],
            "care_form": lambda name: (g.get("care_form") or {}) if (g.get("care_form") or {}).get("name") == name
            else {"values": {}, "errors": {}},
            "outcome_codes": OUTCOMES, "term_answers": TERM_ANSWERS, "reason_codes": REASONS}


def _back(handoff_id: int, anchor: str):
    return redirect(url_for("handoffs.detail", handoff_id=handoff_id) + f"#{anchor}")


def _again(handoff_id: int, form: str, values: dict, errors: dict, code: int = 422):
    """The handoff page again, this form showing ``errors`` beside its fields and ``values`` as typed."""
    g.care_form = {"name": form, "values": values, "errors": errors}
    return handoff_pages.render_detail(handoff_id, code=code)


@bp.post("/<int:handoff_id>/terms/<int:index>/fix")
def fix_term(handoff_id: int, index: int):
    care.fix_term(uow(), member_id=member_id(), handoff_id=handoff_id, index=index, now=now())
    flash("Noted as put right.", "success")
    return _back(handoff_id, "contract")


@bp.post("/<int:handoff_id>/reviews")
def request_review(handoff_id: int):
    values = {k: request.form.get(k, "") for k in ("reviewer_email", "reviewer_name", "note")}
    data, errors = validate(ReviewRequestSchema(), values)
    if errors:
        return _again(handoff_id, "review", values, errors)
    reviews.request_review(uow(), services().settings, member_id=member_id(), handoff_id=handoff_id, now=now(),
                           review_url=review_url, **data)
    flash(f"{data['reviewer_name'] or data['reviewer_email']} will get an email with a link to read and answer.",
          "success")
    return _back(handoff_id, "second-read")


@bp.post("/<int:handoff_id>/letter")
def letter(handoff_id: int):
    if request.form.get("action") == "mark":
        try:
            care.mark_letter_sent(uow(), member_id=member_id(), handoff_id=handoff_id, now=now())
        except Conflict as err:
            flash(str(err), "error")
        else:
            flash("Noted as sent. If the client has not replied in 24 hours, you will be reminded to call.", "success")
        return _back(handoff_id, "letter")
    values = {"subject": request.form.get("subject", ""), "body": request.form.get("body", ""),
              "go_ahead": request.form.get("go_ahead") == "on"}
    data, errors = validate(LetterSendSchema(), values)
    if not errors:
        try:
            care.send_letter(uow(), services().settings, member_id=member_id(), handoff_id=handoff_id, now=now(),
                             **data)
        except Invalid as err:
            errors = err.errors
        except Conflict as err:
            return _again(handoff_id, "letter", values, {"go_ahead": [str(err)]}, code=409)
    if errors:
        return _again(handoff_id, "letter", values, errors)
    flash("The letter is queued and goes out with the next mail round. If the client has not replied in 24 hours, "
          "you will be reminded to call.", "success")
    return _back(handoff_id, "letter")


@bp.post("/<int:handoff_id>/client-replied")
def client_replied(handoff_id: int):
    care.note_client_replied(uow(), member_id=member_id(), handoff_id=handoff_id, now=now())
    flash("Noted: the client replied, so there is no reminder to call.", "success")
    return _back(handoff_id, "letter")


@bp.post("/<int:handoff_id>/close")
def close(handoff_id: int):
    care.close(uow(), member_id=member_id(), handoff_id=handoff_id, now=now())
    flash("Closed. Take five minutes to look back while it is fresh.", "success")
    return _back(handoff_id, "look-back")


@bp.post("/<int:handoff_id>/retrospective")
def retrospective(handoff_id: int):
    values: dict[str, object] = {k: request.form.get(k, "")
                                 for k in ("what_did_not_work", "my_part", "their_part", "next_time")}
    values["warning_signs"] = request.form.getlist("warning_signs")
    values["outcomes_achieved"] = request.form.getlist("outcomes_achieved")
    data, errors = validate(RetrospectiveSchema(), values)
    if not errors:
        try:
            lessons.record_retrospective(uow(), member_id=member_id(), handoff_id=handoff_id, data=data, now=now())
        except Invalid as err:
            errors = err.errors
        except Conflict as err:
            flash(str(err), "error")
            return _back(handoff_id, "look-back")
    if errors:
        return _again(handoff_id, "look-back", values, errors)
    flash("Saved. Your lessons page gathers it with the others.", "success")
    return _back(handoff_id, "look-back")
