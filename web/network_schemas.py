"""Schemas of the network, ledger and outcome endpoints (API and pages share them)."""

from marshmallow import Schema, fields, validate

from referral.services.network import MAX_DEPTH, ViewQuery
from web.schemas import Id, Trimmed


class NetworkQuerySchema(Schema):
    center = Id(strict=False, load_default=None, allow_none=True,
                            metadata={"description": "colleague id; default: the calling member"})
    depth = fields.Integer(load_default=2, validate=validate.Range(0, MAX_DEPTH),
                           metadata={"description": "hops from the center"})
    specialty = Trimmed(load_default="", validate=validate.Length(max=200))
    available = fields.Boolean(load_default=False, metadata={"description": "only colleagues taking referrals today"})
    mine = fields.Boolean(load_default=False, metadata={"description": "only the member's own network"})
    all_ = fields.Boolean(load_default=False, data_key="all", metadata={"description": "the whole network"})

    @staticmethod
    def view(args: dict) -> ViewQuery:
        return ViewQuery(center=args["center"], depth=args["depth"], specialty=args["specialty"],
                         available=args["available"], mine=args["mine"], all=args["all_"])


class LedgerRowSchema(Schema):
    colleague_id = fields.Integer()
    name = fields.String()
    given = fields.Integer(metadata={"description": "clients the member gave them (accepted or completed)"})
    received = fields.Integer(metadata={"description": "clients they gave the member"})
    returned = fields.Integer(metadata={"description": "of those received, the ones that repaid a client of "
                                                       "the member, directly or through the network"})
    returned_through_network = fields.Integer()
    you_returned = fields.Integer(metadata={"description": "of those given, the ones that repaid theirs"})
    balance = fields.Integer(metadata={"description": "given - received"})
    owed = fields.Integer(metadata={"description": "their clients the member has not returned yet"})
    owes_you = fields.Integer(metadata={"description": "the member's clients that have not come back yet"})


class OutcomeSchema(Schema):
    note = Trimmed(required=True, validate=validate.Length(1, 2000),
                   metadata={"description": "what came of it: the thank-you the other side reads"})
    value = Trimmed(load_default=None, allow_none=True, validate=validate.Length(max=100),
                    metadata={"description": "the business it brought, e.g. '£2,400 a year'"})
