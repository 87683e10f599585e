"""Pages for offers: the colleague's answer page (no login), the member's referral pages, /mail.

A GET never changes anything (mail scanners open links); only the forms' POSTs act.
Every link that cannot be used any more gets a page saying what happened and what to do.
"""

import re

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_wtf.csrf import CSRFError

from referral.adapters.links import (
    ExpiredLink,
    LinkError,
    LinkSigner,
    TamperedLink,
    UnsubscribeSigner,
    UsedLink,
)
from referral.domain.errors import Conflict, IllegalTransition, Invalid, NotFound
from referral.services import answers, client_letters, history, mail_choices, offer_views, offers
from referral.services.mailbox import when
from web.context import member_id, now, services, uow
from web.extensions import csrf, limiter
from web.forms import integer_or_text, validate
from web.pages import members_blueprint
from web.schemas import DeclineFormSchema, LetterFormSchema, OfferRequestSchema, ReopenFormSchema

links_bp = Blueprint("answers", __name__, url_prefix="/offers")
referrals_bp = members_blueprint("referrals", __name__, url_prefix="/referrals")
outbox_bp = members_blueprint("outbox", __name__)
blueprints = (links_bp, referrals_bp, outbox_bp)
# anyone with the address can try tokens here: per IP, GET and POST alike
limiter.limit("30 per minute")(links_bp)


# --- the colleague's answer page: public, reached only through a signed link ------------------


def _signer() -> LinkSigner:
    return LinkSigner(services().settings.secret_key)


def _problem(err: Exception):
    """The page for a link that cannot answer any more: (title, message, HTTP code)."""
    if isinstance(err, TamperedLink):
        return (
            "This link does not work",
            (
                "The link is incomplete or was changed, perhaps cut off when it was copied. Open it again "
                "straight from the email. If it still fails, reply to the email and ask for the offer again."
            ),
            400,
        )
    if isinstance(err, ExpiredLink):
        return (
            "This offer has expired",
            (
                f"The offer was open until {when(err.claims.expires_at)}. The client may already have been "
                "offered to someone else. If you are still interested, reply to the offer email."
            ),
            410,
        )
    if isinstance(err, UsedLink):
        return (
            "This link was used already",
            (
                "Your answer was recorded the first time you used it, and nothing has changed since. "
                "The email that followed your answer has the details."
            ),
            409,
        )
    if isinstance(err, answers.OfferClosed):
        at = f" on {when(err.answered_at)}" if err.answered_at else ""
        until = f" until {when(err.expires_at)}" if err.expires_at else ""
        return {
            "placed": (
                "This client has been placed",
                (
                    f"{err.member_name} offered the client to several colleagues at once, and another one "
                    "accepted first. Thank you for considering it: there is nothing for you to do."
                ),
                410,
            ),
            "accepted": (
                "You have already accepted this offer",
                f"You accepted{at}. The client's contact details were sent to you by email.",
                409,
            ),
            "completed": ("This referral is complete", "There is nothing more to do here.", 409),
            "declined": (
                "You have already declined this offer",
                (
                    f"You declined{at}. If you have changed your mind, reply to the offer email and ask "
                    f"{err.member_name} directly."
                ),
                409,
            ),
            "withdrawn": (
                "This offer was withdrawn",
                f"{err.member_name} withdrew the offer{at}. There is nothing for you to do.",
                410,
            ),
            "expired": (
                "This offer has expired",
                (
                    f"The offer was open{until}. If you are still interested, reply "
                    f"to the offer email and ask {err.member_name} directly."
                ),
                410,
            ),
        }.get(err.status, ("This offer is closed", "There is nothing more to do here.", 409))
    if isinstance(err, NotFound):
        return (
            "This offer no longer exists",
            "The client may have been removed by whoever offered them. There is nothing for you to do.",
            404,
        )
    if isinstance(err, Conflict):
        return (
            "You have no free place",
            f"{err} Finish or hand on a referral first, or reply to the offer email to talk it over.",
            409,
        )
    raise err


def _problem_page(err: Exception):
    title, message, code = _problem(err)
    # colleagues answering a link have no account: no link to the members' start page
    return render_template("error.html", title=title, message=message, home_link=False), code


def _answer_form(token: str, claims, errors: dict | None = None, values: dict | None = None, code: int = 200):
    view = offer_views.answer_page(uow(), claims, now())
    other = "decline" if claims.action == "accept" else "accept"
    tokens = {
        claims.action: token,
        other: _signer().make(claims.referral_id, claims.colleague_id, other, view["expires_at"]),
    }
    return render_template(
        "offers/answer.html",
        v=view,
        tokens=tokens,
        errors=errors or {},
        values=values or {},
        expires=when(view["expires_at"]),
    ), code


@links_bp.get("/<token>")
def answer(token: str):
    try:
        claims = _signer().read(token, now())
        return _answer_form(token, claims)
    except (LinkError, answers.OfferClosed, NotFound) as err:
        return _problem_page(err)


@links_bp.post("/<token>")
def act(token: str):
    svc = services()
    try:
        claims = _signer().read(token, now())
        if claims.action == "accept":
            try:
                handover = answers.accept(
                    uow(),
                    svc.settings,
                    referral_id=claims.referral_id,
                    colleague_id=claims.colleague_id,
                    jti=claims.jti,
                    acknowledged=request.form.get("acknowledged") == "yes",
                    now=now(),
                )
            except Invalid as err:
                return _answer_form(token, claims, err.errors, code=422)
            return render_template("offers/answered.html", accepted=True, handover=handover)
        values = {"reason": request.form.get("reason", ""), "decline_code": request.form.get("decline_code", "")}
        data, errors = validate(DeclineFormSchema(), values)
        if errors:
            return _answer_form(token, claims, errors, values, code=422)
        answers.decline(uow(), svc.settings, referral_id=claims.referral_id, colleague_id=claims.colleague_id,
                        jti=claims.jti, code=data["decline_code"], note=data["reason"], now=now(), rank=svc.ranker)
        return render_template("offers/answered.html", accepted=False)
    except (LinkError, answers.OfferClosed, NotFound, Conflict) as err:
        return _problem_page(err)


# RFC 8058: the mail client POSTs "List-Unsubscribe=One-Click" to the address in the header, with no
# page and so no CSRF token; the signed colleague id in the address is the proof. A GET only asks.
@links_bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt
def unsubscribe(token: str):
    try:
        colleague_id = UnsubscribeSigner(services().settings.secret_key).read(token)
    except LinkError as err:
        return _problem_page(err)
    if request.method == "GET":
        return render_template("offers/unsubscribe.html", done=False, token=token)
    try:
        name = mail_choices.unsubscribe(uow(), services().settings, colleague_id=colleague_id, now=now())
    except NotFound as err:
        return _problem_page(err)
    return render_template("offers/unsubscribe.html", done=True, name=name)


@links_bp.errorhandler(CSRFError)
def _form_expired(err):
    return render_template(
        "error.html",
        home_link=False,
        title="This form has expired",
        message="For your safety the form works only for a while after the page was opened. "
        "Open the link in the email again and answer once more.",
    ), 400


# --- the member's pages ------------------------------------------------------------------------



@referrals_bp.get("/")
def index():
    return render_template("offers/referrals.html", rows=offer_views.member_referrals(uow(), member_id()))


@referrals_bp.get("/preview")
def preview():
    """The offer mail the colleague would receive, with a button that sends it."""
    handoff_id = integer_or_text(request.args.get("handoff_id", ""))
    colleague_id = integer_or_text(request.args.get("colleague_id", ""))
    if not isinstance(handoff_id, int) or not isinstance(colleague_id, int):
        abort(404, "Choose a client and a colleague from one of your handoffs.")
    try:
        view = offer_views.offer_preview(uow(), services().settings, member_id(), handoff_id, colleague_id, now())
    except NotFound as err:
        abort(404, str(err))
    return render_template("offers/preview.html", p=view)


@referrals_bp.post("/offer")
def create():
    """Offer a handoff from a form: ``handoff_id`` and ``colleague_id``, or ``auto=on``."""
    handoff_id = integer_or_text(request.form.get("handoff_id", ""))
    payload = {"auto": request.form.get("auto") in ("on", "true", "1")}
    if request.form.get("colleague_id"):
        payload["colleague_id"] = integer_or_text(request.form["colleague_id"])
    data, errors = validate(OfferRequestSchema(), payload)
    if errors or not isinstance(handoff_id, int):
        flash("Choose a colleague to offer the client to, or ask for the best candidate.", "error")
        return redirect(request.referrer or url_for("referrals.index"))
    svc = services()
    try:
        referral_id = offers.offer_to(
            uow(),
            svc.settings,
            member_id=member_id(),
            handoff_id=handoff_id,
            colleague_id=data["colleague_id"],
            rank=svc.ranker,
            now=now(),
        )
    except Conflict as err:
        flash(str(err), "error")
        return redirect(request.referrer or url_for("referrals.index"))
    flash("The offer is on its way.", "success")
    return redirect(url_for("referrals.detail", referral_id=referral_id))


def _detail(referral_id: int, letter_values: dict | None = None, errors: dict | None = None, code: int = 200):
    view = offer_views.member_referral(uow(), member_id(), referral_id)
    if letter_values is None and view["letter"] is not None:
        letter_values = {"subject": view["letter"].subject, "body": view["letter"].body}
    return render_template(
        "offers/referral.html", r=view, letter=letter_values or {}, errors=errors or {}
    ), code


@referrals_bp.get("/<int:referral_id>")
def detail(referral_id: int):
    return _detail(referral_id)


@referrals_bp.post("/<int:referral_id>/withdraw")
def withdraw(referral_id: int):
    try:
        offers.withdraw(uow(), services().settings, member_id=member_id(), referral_id=referral_id, now=now())
    except IllegalTransition:
        flash("This offer was already answered, so it can no longer be withdrawn.", "error")
    else:
        flash("The offer is withdrawn; the colleague will be told.", "success")
    handoff_id = integer_or_text(request.form.get("handoff_id", ""))
    if isinstance(handoff_id, int):  # withdrawn from the handoff's page: back there, to offer someone else
        return redirect(url_for("handoffs.detail", handoff_id=handoff_id))
    return redirect(url_for("referrals.detail", referral_id=referral_id))


@referrals_bp.post("/<int:referral_id>/letter")
def send_letter(referral_id: int):
    values = {"subject": request.form.get("subject", ""), "body": request.form.get("body", "")}
    data, errors = validate(LetterFormSchema(), values)
    if not errors:
        try:
            client_letters.send_client_letter(
                uow(),
                services().settings,
                member_id=member_id(),
                referral_id=referral_id,
                subject=data["subject"],
                body=data["body"],
                now=now(),
            )
        except Invalid as err:
            errors = err.errors
        except Conflict as err:
            flash(str(err), "error")
            return redirect(url_for("referrals.detail", referral_id=referral_id))
        else:
            flash("The letter is queued and goes out to the client with the next mail round.", "success")
            return redirect(url_for("referrals.detail", referral_id=referral_id))
    return _detail(referral_id, values, errors, code=422)


@referrals_bp.post("/<int:referral_id>/reopen")
def reopen(referral_id: int):
    data, errors = validate(ReopenFormSchema(), {"reason": request.form.get("reason", "")})
    if errors:
        flash("Say why the answer was wrong: it goes into the handoff's history.", "error")
        return redirect(url_for("referrals.detail", referral_id=referral_id))
    try:
        answers.reopen(uow(), services().settings, member_id=member_id(), referral_id=referral_id,
                       reason=data["reason"], now=now())
    except (Conflict, IllegalTransition) as err:
        flash(str(err).capitalize() + ("" if str(err).endswith(".") else "."), "error")
    else:
        flash("The offer is open again; the colleague gets fresh links by mail.", "success")
    return redirect(url_for("referrals.detail", referral_id=referral_id))


@referrals_bp.get("/export.csv")
def export_csv():
    body = offer_views.referrals_csv(uow(), member_id())
    return Response(body, mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="my-referrals.csv"'})


@referrals_bp.post("/digest")
def digest():
    on = request.form.get("daily_digest") == "on"
    mail_choices.set_daily_digest(uow(), member_id=member_id(), on=on)
    flash("News about your offers now comes " + ("in one mail a day." if on else "in one mail per change."),
          "success")
    return redirect(request.referrer or url_for("dashboard.index"))


# --- what the partial templates included in other pages read (dashboard, handoff page) --------


@referrals_bp.app_template_global()
def offer_dashboard() -> dict:
    """For ``offers/_dashboard.html``: the member's figures, latest news and digest choice."""
    return {
        "figures": offer_views.member_figures(uow(), member_id()),
        "news": history.news(uow(), member_id()),
        "daily_digest": mail_choices.daily_digest(uow(), member_id=member_id()),
    }


@referrals_bp.app_template_global()
def handoff_history(handoff_id: int) -> list[dict]:
    """For ``offers/_history.html``: every change to the handoff and its offers, oldest first."""
    return history.trail(uow(), member_id(), handoff_id)


def _dev_mail_on() -> bool:
    """The development mail page exists only when no mail server is set and the app runs in
    debug mode (``make run``): there, nobody else can deliver the colleague's links."""
    return not services().settings.smtp_url and current_app.debug


@outbox_bp.get("/mail")
def page():
    return render_template(
        "offers/mail.html",
        rows=offer_views.member_mail(uow(), member_id()),
        smtp=bool(services().settings.smtp_url),
        dev_mail=_dev_mail_on(),
    )


_URL = re.compile(r"https?://[^\s<>\"')\]]+")


def _with_links(text: str) -> list[tuple[str, bool]]:
    """``text`` cut into ``(piece, is_url)`` so the template can make the addresses clickable."""
    pieces, at = [], 0
    for m in _URL.finditer(text):
        pieces += [(text[at:m.start()], False), (m.group(0), True)]
        at = m.end()
    return pieces + [(text[at:], False)]


@outbox_bp.get("/dev/mail")
def dev_mail():
    """Development only: the outgoing mail in full, links working, so a newcomer can play the colleague."""
    if not _dev_mail_on():
        abort(404, "The development mail page is there only without SMTP_URL, in debug mode (make run).")
    rows = offer_views.member_mail(uow(), member_id(), with_links=True)
    for row in rows:
        row["pieces"] = _with_links(row["text"])
    return render_template("offers/dev_mail.html", rows=rows)
