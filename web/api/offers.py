"""/api/handoffs/<id>/offers, /api/referrals/<id> and /api/referrals/<id>/withdraw."""

from flask.views import MethodView

from referral.services import dispatch, offer_views, offers
from web.api import api_blueprint
from web.context import member_id, now, services, uow
from web.schemas import OfferCreatedSchema, OfferRequestSchema, ReferralSchema

blp = api_blueprint("offers", "Offering a client to a colleague, and the referrals that result")


@blp.route("/handoffs/<int:handoff_id>/offers")
class HandoffOffers(MethodView):
    @blp.arguments(OfferRequestSchema)
    @blp.response(201, OfferCreatedSchema)
    def post(self, args, handoff_id):
        """Offer the client to a colleague (``auto: true``: the best candidate), or to several in a
        ``waterfall`` or ``broadcast``; queues the offer emails. 422 names each colleague a hard rule keeps out."""
        svc = services()
        if args["mode"]:
            done = dispatch.start(
                uow(),
                svc.settings,
                member_id=member_id(),
                handoff_id=handoff_id,
                mode=args["mode"],
                colleague_ids=args["colleague_ids"],
                hours=args["hours_each"] or args["hours"] or svc.settings.expire_after_hours,
                now=now(),
            )
            return offer_views.dispatch_json(uow(), member_id(), done.handoff_id, done.mode, done.referral_ids)
        referral_id = offers.offer_to(
            uow(),
            svc.settings,
            member_id=member_id(),
            handoff_id=handoff_id,
            colleague_id=args["colleague_id"],
            rank=svc.ranker,
            now=now(),
        )
        return offer_views.referral_json(uow(), member_id(), referral_id)


@blp.route("/referrals/<int:referral_id>")
class ReferralById(MethodView):
    @blp.response(200, ReferralSchema)
    def get(self, referral_id):
        """One of your referrals."""
        return offer_views.referral_json(uow(), member_id(), referral_id)


@blp.route("/referrals/<int:referral_id>/withdraw")
class Withdraw(MethodView):
    @blp.response(200, ReferralSchema)
    def post(self, referral_id):
        """Withdraw an open offer (409 once it is answered); the colleague is told."""
        offers.withdraw(uow(), services().settings, member_id=member_id(), referral_id=referral_id, now=now())
        return offer_views.referral_json(uow(), member_id(), referral_id)
