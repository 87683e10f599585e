"""The second reader's page: public, reached only through the signed link in their email.

A GET never changes anything (mail scanners open links); only the form's POST answers.
"""

from flask import Blueprint, render_template, request
from flask_wtf.csrf import CSRFError

from referral.adapters.links import LinkError
from referral.domain.errors import Conflict, NotFound
from referral.services import reviews
from web.context import now, services, uow
from web.extensions import limiter
from web.forms import validate
from web.schemas import ReviewAnswerSchema

bp = Blueprint("reviews", __name__, url_prefix="/reviews")
limiter.limit("30 per minute")(bp)  # anyone with the address can try tokens here


def _problem(title: str, message: str, code: int):
    # reviewers have no account: no link to the members' start page
    return render_template("error.html", title=title, message=message, home_link=False), code


def _page(token: str, errors: dict | None = None, values: dict | None = None, code: int = 200):
    try:
        view = reviews.review_page(uow(), services().settings, token)
    except LinkError:
        return _problem("This link does not work", "The link is incomplete or was changed, perhaps cut off when "
                        "it was copied. Open it again straight from the email.", 400)
    except NotFound:
        return _problem("This second read no longer exists", "The member may have removed the client. "
                        "There is nothing for you to do.", 404)
    return render_template("reviews/page.html", v=view, token=token, errors=errors or {},
                           values=values or {}), code


@bp.get("/<token>")
def page(token: str):
    return _page(token)


@bp.post("/<token>")
def answer(token: str):
    values = {"verdict": request.form.get("verdict", ""), "comment": request.form.get("comment", "")}
    data, errors = validate(ReviewAnswerSchema(), values)
    if errors:
        return _page(token, errors, values, code=422)
    try:
        reviews.answer_review(uow(), services().settings, token=token, now=now(), **data)
    except Conflict:
        return _page(token, code=409)  # the page shows the answer given first
    except (LinkError, NotFound):
        pass  # the page says what is wrong with the link
    return _page(token)


@bp.errorhandler(CSRFError)
def _form_expired(err):
    return _problem("This form has expired", "For your safety the form works only for a while after the page "
                    "was opened. Open the link in the email again and answer once more.", 400)
