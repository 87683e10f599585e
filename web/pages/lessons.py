"""The Lessons page: what the member's handoffs teach, with a chart drawn on the server (SVG)."""

from flask import render_template

from referral.domain.vocab import REASONS
from referral.services import lessons
from web.context import member_id, uow
from web.pages import members_blueprint

bp = members_blueprint("lessons", __name__, url_prefix="/lessons")


def bar_rows(by_reason: dict[str, int], by_sign: dict[str, int]) -> list[dict]:
    """One row per reason code for the chart: how often it was the reason, how often seen early."""
    top = max([*by_reason.values(), *by_sign.values(), 1])
    return [{"code": code, "label": label.capitalize(), "reason": by_reason.get(code, 0),
             "sign": by_sign.get(code, 0), "reason_pct": 100 * by_reason.get(code, 0) / top,
             "sign_pct": 100 * by_sign.get(code, 0) / top} for code, label in REASONS.items()]


@bp.get("/")
def page():
    found = lessons.lessons(uow(), member_id())
    return render_template("lessons/page.html", l=found, bars=bar_rows(found["by_reason"], found["by_warning_sign"]))
