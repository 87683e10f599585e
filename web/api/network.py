"""/api/network: the graph as JSON, GraphML or GEXF."""

import orjson
from flask import Response
from flask.views import MethodView

from referral.services import network
from web.api import api_blueprint
from web.context import member_id, now, services, uow
from web.graph import network_graph
from web.network_schemas import NetworkQuerySchema

blp = api_blueprint("network_api", "The network graph: colleagues, who knows whom, referral flows")

DOWNLOADS = {"graphml": ("application/graphml+xml", network.graphml),
             "gexf": ("application/gexf+xml", network.gexf)}


def view(args: dict) -> dict:
    return network.network_view(uow(), network_graph(), member_id(), NetworkQuerySchema.view(args), now(),
                                services().match_state)


def download(args: dict, fmt: str) -> Response:
    mimetype, write = DOWNLOADS[fmt]
    return Response(write(view(args)), mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="network.{fmt}"'})


@blp.route("/network")
class Network(MethodView):
    @blp.arguments(NetworkQuerySchema, location="query")
    @blp.response(200)
    def get(self, args):
        """``{"center", "nodes", "edges"}``: the caller's neighbourhood (``center``, ``depth``), or ``all``.

        Edges have ``kind`` ``knows`` (undirected), ``referral`` or ``return`` (directed,
        with ``count``; return edges list the ``paths`` of returns through the network).
        """
        # the whole network is megabytes of JSON: orjson writes it about 20 times faster than json
        return Response(orjson.dumps(view(args)), mimetype="application/json")


@blp.route("/network.graphml")
class NetworkGraphML(MethodView):
    @blp.arguments(NetworkQuerySchema, location="query")
    @blp.response(200, content_type="application/graphml+xml")
    def get(self, args):
        """The same view as GraphML."""
        return download(args, "graphml")


@blp.route("/network.gexf")
class NetworkGEXF(MethodView):
    @blp.arguments(NetworkQuerySchema, location="query")
    @blp.response(200, content_type="application/gexf+xml")
    def get(self, args):
        """The same view as GEXF (Gephi)."""
        return download(args, "gexf")
