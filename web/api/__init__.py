"""The JSON API under /api: bearer-token authentication and the blueprints."""

from flask import g, request
from flask_smorest import Blueprint, abort

from referral.services import tokens
from web.context import now, uow
from web.extensions import csrf


def require_token() -> None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    member = tokens.member_for_token(uow(), token.strip(), now()) if scheme.lower() == "bearer" and token else None
    if member is None:
        abort(401, message="A valid 'Authorization: Bearer <token>' header is required "
                           "(the token may have expired or been revoked).")
    g.api_member_id = member


def api_blueprint(name: str, description: str) -> Blueprint:
    """A blueprint under /api whose every route needs a member's bearer token (and no CSRF token)."""
    blp = Blueprint(f"api_{name}", name, url_prefix="/api", description=description)
    blp.before_request(require_token)
    csrf.exempt(blp)
    return blp


def register(api) -> None:
    from web.api import colleagues, export, handoffs, ledger, network, offers

    for module in (colleagues, handoffs, network, ledger, offers, export):
        api.register_blueprint(module.blp)
