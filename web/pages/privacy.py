"""Erasing a client's personal data from the handoff page."""

from flask import flash, redirect, request, url_for

from referral.services import privacy
from web.context import member_id, now, uow
from web.pages import members_blueprint

bp = members_blueprint("privacy", __name__)


@bp.post("/handoffs/<int:handoff_id>/client/erase")
def erase_client(handoff_id: int):
    """Erase after the member ticked that it cannot be undone; another member's handoff is 404."""
    if request.form.get("confirm") != "on":
        flash("Nothing was erased: tick the box to confirm that it cannot be undone.", "error")
    else:
        privacy.erase_client(uow(), member_id(), handoff_id, now())
        flash("The client's personal data is erased, from stored mail too. Dates, reasons and the "
              "fair warning's fingerprint (SHA-256) are kept.", "success")
    return redirect(url_for("handoffs.detail", handoff_id=handoff_id))
