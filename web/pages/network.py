"""The network page: an interactive graph (Cytoscape.js), and the JSON it fetches."""

import orjson
from flask import Response, jsonify, render_template, request
from marshmallow import EXCLUDE

from referral.services import ledger, network, queries
from web.api.network import DOWNLOADS
from web.context import member_id, now, services, uow
from web.errors import TITLE
from web.forms import validate
from web.graph import network_graph
from web.network_schemas import NetworkQuerySchema
from web.pages import members_blueprint

bp = members_blueprint("network", __name__, url_prefix="/network")



@bp.get("/")
def page():
    return render_template("network/page.html", depth=2, max_depth=network.MAX_DEPTH)


def _error(code: int, message: str, errors: dict | None = None):
    """The API's error shape: the page's script reads ``message``."""
    body = {"code": code, "status": TITLE.get(code, ""), "message": message}
    if errors:
        body["errors"] = {"query": errors}
    return jsonify(body), code


def _view():
    args, errors = validate(NetworkQuerySchema(unknown=EXCLUDE), request.args.to_dict())
    if errors:
        return None, _error(422, "Some of the graph's settings are not valid.", errors)
    return network.network_view(uow(), network_graph(), member_id(), NetworkQuerySchema.view(args), now(),
                                services().match_state), None


@bp.get("/graph.json")
def graph():
    """The same answer as ``GET /api/network``, for the logged-in member's browser."""
    view, error = _view()
    return error or Response(orjson.dumps(view), mimetype="application/json")  # as fast as the API's


@bp.get("/network.<any(graphml, gexf):fmt>")
def download(fmt: str):
    view, error = _view()
    if error:
        return error
    mimetype, write = DOWNLOADS[fmt]
    return write(view), 200, {"Content-Type": mimetype,
                              "Content-Disposition": f'attachment; filename="network.{fmt}"'}


@bp.get("/colleagues/<int:colleague_id>.json")
def colleague(colleague_id: int):
    """The side panel: the colleague's profile and places, and the member's ledger with them."""
    row = queries.get_colleague(uow(), member_id(), colleague_id)
    if row is None:
        return _error(404, f"There is no colleague {colleague_id} in the network.")
    profile = {k: row[k] for k in ("id", "name", "email", "specialties", "target_clientele", "capacity",
                                   "location", "remote", "open_referrals")}
    profile["paused_until"] = row["paused_until"].isoformat() if row["paused_until"] else None
    return jsonify({"colleague": profile, "ledger": ledger.ledger_row(uow(), member_id(), colleague_id)})


@bp.get("/search.json")
def search():
    """Colleagues matching ``q`` (name, specialty, clientele, place), for the page's search box."""
    q = request.args.get("q", "")[:200]
    rows, _ = queries.list_colleagues(uow(), member_id(), q, 1, 10, state=services().match_state,
                                      now=now()) if q.strip() else ([], 0)
    return jsonify([{"id": r["id"], "name": r["name"]} for r in rows])
