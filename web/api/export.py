"""/api/export: everything stored about the calling member, as one JSON document."""

from flask.views import MethodView
from marshmallow import Schema, fields

from referral.services import privacy
from web.api import api_blueprint
from web.context import member_id, now, uow

blp = api_blueprint("export", "Your personal data, exported")


class ExportSchema(Schema):
    exported_at = fields.String()
    member = fields.Dict()
    colleagues = fields.List(fields.Dict())
    connections = fields.List(fields.Dict())
    handoffs = fields.List(fields.Dict())
    offers_received = fields.List(fields.Dict())
    ledger = fields.List(fields.Dict())
    mail = fields.List(fields.Dict())
    tokens = fields.List(fields.Dict())


@blp.route("/export")
class Export(MethodView):
    @blp.response(200, ExportSchema)
    def get(self):
        """The member, the colleagues they added, connections, handoffs (offers, facts, disclosure
        versions), offers received, ledger, mail and API tokens (never the tokens themselves)."""
        return privacy.export(uow(), member_id(), now())
