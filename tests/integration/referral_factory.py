"""Referrals written the way the offers workflow writes them, for the ledger and network tests."""

from datetime import datetime

from referral.domain.model import Referral
from referral.services.ledger import link_return


def give(app, from_id: int, to_id: int, when: datetime, status: str = "accepted") -> dict:
    """Offer a client from one colleague to another at ``when`` and move it to ``status``.

    Accepting calls :func:`link_return` in the same transaction, as the offers service
    does. Returns the stored referral's id, status and links.
    """
    with app.extensions["referral"].uow() as uow:
        r = Referral(from_id, to_id, when)
        uow.session.add(r)
        if status != "offered":
            r.move_to("accepted" if status in ("accepted", "completed") else status, when)
            link_return(uow.session, r)
            if status == "completed":
                r.move_to("completed", when)
        uow.commit()
        return {"id": r.id, "status": r.status, "return_of_id": r.return_of_id, "return_path": r.return_path}
