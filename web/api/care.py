"""/api/handoffs/<id>/...: letting go with care (contract terms, the letter, second reads, the look back)
and /api/lessons.

Every route answers 404 for another member's handoff, like the rest of the API.
"""

from flask import url_for
from flask.views import MethodView

from referral.services import care, lessons, reviews
from web.api import api_blueprint
from web.api.handoffs import handoff_answer
from web.context import member_id, now, services, uow
from web.schemas import (
    HandoffSchemaOut,
    LessonsSchema,
    LetterSendSchema,
    RetrospectiveOutSchema,
    RetrospectiveSchema,
    ReviewRequestSchema,
    ReviewSchema,
    TermFixSchema,
)

blp = api_blueprint("care", "Letting go with care: contract terms, the letter, second reads, lessons")


def review_url(token: str) -> str:
    """The reviewer's page for a signed token, at the public address (``BASE_URL``)."""
    return services().settings.base_url + url_for("reviews.page", token=token)


@blp.route("/handoffs/<int:handoff_id>/terms/<int:index>/fix")
class TermFix(MethodView):
    @blp.arguments(TermFixSchema)
    @blp.response(200, HandoffSchemaOut)
    def post(self, args, handoff_id, index):
        """Record in one step that you put contract term ``index`` right (``met_by_me`` becomes ``yes``)."""
        care.fix_term(uow(), member_id=member_id(), handoff_id=handoff_id, index=index, now=now(), note=args["note"])
        return handoff_answer(handoff_id)


@blp.route("/handoffs/<int:handoff_id>/reviews")
class Reviews(MethodView):
    @blp.arguments(ReviewRequestSchema)
    @blp.response(201, ReviewSchema)
    def post(self, args, handoff_id):
        """Ask someone on your side for a second read: they get an email with a link, no login needed."""
        return reviews.request_review(uow(), services().settings, member_id=member_id(), handoff_id=handoff_id,
                                      now=now(), review_url=review_url, **args)


@blp.route("/handoffs/<int:handoff_id>/letter")
class LetterToClient(MethodView):
    @blp.arguments(LetterSendSchema)
    @blp.response(201, HandoffSchemaOut)
    def post(self, args, handoff_id):
        """Send the letter to the client from the service (409 while a second read is unanswered,
        unless ``go_ahead``; 409 when it needs a colleague who accepted, or went already)."""
        care.send_letter(uow(), services().settings, member_id=member_id(), handoff_id=handoff_id, now=now(), **args)
        return handoff_answer(handoff_id)


@blp.route("/handoffs/<int:handoff_id>/letter/sent")
class LetterSentElsewhere(MethodView):
    @blp.response(200, HandoffSchemaOut)
    def post(self, handoff_id):
        """Note that you sent the letter yourself; the reminder to call follows 24 hours later."""
        care.mark_letter_sent(uow(), member_id=member_id(), handoff_id=handoff_id, now=now())
        return handoff_answer(handoff_id)


@blp.route("/handoffs/<int:handoff_id>/client-replied")
class ClientReplied(MethodView):
    @blp.response(200, HandoffSchemaOut)
    def post(self, handoff_id):
        """Note that the client answered the letter: no reminder to call."""
        care.note_client_replied(uow(), member_id=member_id(), handoff_id=handoff_id, now=now())
        return handoff_answer(handoff_id)


@blp.route("/handoffs/<int:handoff_id>/close")
class Close(MethodView):
    @blp.response(200, HandoffSchemaOut)
    def post(self, handoff_id):
        """End the handoff (finished, bowed out, or placed elsewhere); the retrospective opens."""
        care.close(uow(), member_id=member_id(), handoff_id=handoff_id, now=now())
        return handoff_answer(handoff_id)


@blp.route("/handoffs/<int:handoff_id>/retrospective")
class RetrospectiveOfHandoff(MethodView):
    @blp.arguments(RetrospectiveSchema)
    @blp.response(201, RetrospectiveOutSchema)
    def post(self, args, handoff_id):
        """Look back once the handoff has ended (409 before): what did not work, whose part, next time."""
        return lessons.record_retrospective(uow(), member_id=member_id(), handoff_id=handoff_id, data=args,
                                            now=now())


@blp.route("/lessons")
class Lessons(MethodView):
    @blp.response(200, LessonsSchema)
    def get(self):
        """Over all your handoffs: reasons, early warning signs, outcomes, time to act, next-time notes."""
        return lessons.lessons(uow(), member_id())
