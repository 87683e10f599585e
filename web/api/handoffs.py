"""/api/handoffs: submit an outgoing client, get ranked candidates, revise the disclosure."""

from flask.views import MethodView
from flask_smorest import abort

from referral.domain import tone
from referral.services import care, handoffs, privacy, queries
from web.api import api_blueprint
from web.context import member_id, now, services, uow
from web.schemas import (
    CandidatesQuerySchema,
    CandidatesSchema,
    DisclosureRevisionSchema,
    HandoffCreatedSchema,
    HandoffSchema,
    HandoffSchemaOut,
    HandoffSummarySchema,
)

blp = api_blueprint("handoffs", "Outgoing clients and the colleagues who fit them")


def candidate_rows(candidates) -> list[dict]:
    names = queries.colleague_names(uow(), [c.colleague_id for c in candidates])
    return [{"colleague_id": c.colleague_id, "name": names.get(c.colleague_id, ""), "score": round(c.score, 1),
             "explanation": list(c.explanation), "same_firm": getattr(c, "same_firm", False)} for c in candidates]


@blp.route("/handoffs")
class Handoffs(MethodView):
    @blp.arguments(HandoffSchema)
    @blp.response(201, HandoffCreatedSchema)
    def post(self, data):
        """Submit an outgoing client; answers the ranked candidates and any tone warnings."""
        warnings = tone.check_handoff(data)
        handoff_id, ranked = handoffs.submit_handoff(uow(), services().match_state, member_id(), data, now())
        return {"id": handoff_id, "status": "open", "candidates": candidate_rows(ranked),
                "tone": [w.as_json() for w in warnings]}

    @blp.response(200, HandoffSummarySchema(many=True))
    def get(self):
        """Your outgoing clients, newest first."""
        return queries.handoff_summaries(uow(), member_id())


def handoff_answer(handoff_id: int) -> dict:
    """One handoff as ``GET /api/handoffs/<id>`` answers it (404 for another member's)."""
    found = queries.handoff_detail(uow(), member_id(), handoff_id)
    if found is None:
        abort(404, message=f"No handoff {handoff_id}.")
    assert found is not None  # abort raised (flask-smorest ships no types to say so)
    if found["client"].pop("erased_at", None):
        found["client"] = {"erased": True}
    return dict(found, **care.care_view(uow(), member_id(), handoff_id, now()))


@blp.route("/handoffs/<int:handoff_id>")
class HandoffById(MethodView):
    @blp.response(200, HandoffSchemaOut)
    def get(self, handoff_id):
        """One outgoing client with every stored version of its disclosure."""
        return handoff_answer(handoff_id)


@blp.route("/handoffs/<int:handoff_id>/candidates")
class Candidates(MethodView):
    @blp.arguments(CandidatesQuerySchema, location="query")
    @blp.response(200, CandidatesSchema)
    def get(self, args, handoff_id):
        """Rank again, best first (``limit``, default 10)."""
        ranked = handoffs.candidates(uow(), services().match_state, member_id(), handoff_id, now(), args["limit"])
        return {"handoff_id": handoff_id, "candidates": candidate_rows(ranked)}


@blp.route("/handoffs/<int:handoff_id>/disclosure")
class Disclosure(MethodView):
    @blp.arguments(DisclosureRevisionSchema)
    @blp.response(201, HandoffSchemaOut)
    def post(self, args, handoff_id):
        """Store a new version of the fair warning; earlier versions stay as they were."""
        handoffs.revise_disclosure(uow(), member_id(), handoff_id, args["disclosure"], now())
        return handoff_answer(handoff_id)


@blp.route("/handoffs/<int:handoff_id>/client")
class Client(MethodView):
    @blp.response(204)
    def delete(self, handoff_id):
        """Erase the client's personal data, stored mail included; dates, codes and SHA-256s stay."""
        privacy.erase_client(uow(), member_id(), handoff_id, now())
