"""/api/colleagues and /api/connections."""

from flask.views import MethodView
from flask_smorest import abort

from referral.services import colleagues, queries
from web.api import api_blueprint
from web.context import member_id, now, services, uow
from web.schemas import (
    ColleagueOutSchema,
    ColleaguePatchSchema,
    ColleagueQuerySchema,
    ColleagueSchema,
    ConnectionSchema,
)

blp = api_blueprint("colleagues", "The colleague directory and whom each member knows")


def _found(colleague_id: int) -> dict:
    row = queries.get_colleague(uow(), member_id(), colleague_id)
    if row is None:
        abort(404, message=f"No colleague {colleague_id}.")
    assert row is not None  # abort raised (flask-smorest ships no types to say so)
    return row


@blp.route("/colleagues")
class Colleagues(MethodView):
    @blp.arguments(ColleagueQuerySchema, location="query")
    @blp.response(200, ColleagueOutSchema(many=True))
    @blp.paginate(page_size=50, max_page_size=500)
    def get(self, args, pagination_parameters):
        """The network's colleagues, searched by name, specialty, clientele or place (``q``)."""
        p = pagination_parameters
        rows, p.item_count = queries.list_colleagues(uow(), member_id(), args["q"], p.page, p.page_size,
                                                     state=services().match_state, now=now())
        return rows

    @blp.arguments(ColleagueSchema)
    @blp.response(201, ColleagueOutSchema)
    def post(self, fields):
        """Add a colleague to the network."""
        new_id = colleagues.add_colleague(uow(), member_id(), fields, now())
        return _found(new_id)


@blp.route("/colleagues/<int:colleague_id>")
class ColleagueById(MethodView):
    @blp.response(200, ColleagueOutSchema)
    def get(self, colleague_id):
        return _found(colleague_id)

    @blp.arguments(ColleaguePatchSchema)
    @blp.response(200, ColleagueOutSchema)
    def patch(self, fields, colleague_id):
        """Change some fields; pause with ``paused_until``.

        Only the member who added the colleague may (a member's own record: that member alone).
        The email cannot change while offers to the colleague are open, nor capacity go below
        them: 409 naming the field.
        """
        colleagues.edit_colleague(uow(), services().settings, member_id(), colleague_id, fields, now())
        return _found(colleague_id)

    @blp.response(204)
    def delete(self, colleague_id):
        """Take the colleague out of the network; their referrals and history stay."""
        colleagues.delete_colleague(uow(), member_id(), colleague_id, now())


@blp.route("/connections")
class Connections(MethodView):
    @blp.arguments(ConnectionSchema)
    @blp.response(201, ConnectionSchema)
    def post(self, args):
        """Record that you know a colleague (answers 201 the first time, the same body again after)."""
        colleagues.connect(uow(), member_id(), args["colleague_id"], now())
        return args
