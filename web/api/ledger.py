"""/api/ledger and /api/referrals/<id>/outcome."""

from flask.views import MethodView

from referral.services import ledger
from web.api import api_blueprint
from web.context import member_id, now, uow
from web.network_schemas import LedgerRowSchema, OutcomeSchema

blp = api_blueprint("ledger_api", "Referrals given, received and returned; outcomes")


@blp.route("/ledger")
class Ledger(MethodView):
    @blp.response(200, LedgerRowSchema(many=True))
    def get(self):
        """One row per counterpart, those the member owes first."""
        return ledger.member_ledger(uow(), member_id())


@blp.route("/ledger/<int:colleague_id>")
class LedgerRow(MethodView):
    @blp.response(200, LedgerRowSchema)
    def get(self, colleague_id):
        """The member's account with one colleague (zeros when they never exchanged clients)."""
        return ledger.ledger_row(uow(), member_id(), colleague_id)


@blp.route("/referrals/<int:referral_id>/outcome")
class Outcome(MethodView):
    @blp.arguments(OutcomeSchema)
    @blp.response(201, OutcomeSchema)
    def post(self, fields, referral_id):
        """Record what an accepted or completed referral brought (it becomes completed).

        Either side may; the other side sees it as a thank-you. Someone else's referral
        answers 404, one in another status 409.
        """
        ledger.record_outcome(uow(), member_id(), referral_id, fields["note"], fields["value"], now())
        return fields
