"""Browser libraries installed by npm (``make install``), served from the repo's node_modules.

Only files under a package's ``dist/`` folder are served: never a CDN, never a copy in the repo.
"""

from pathlib import Path

from flask import Blueprint, abort, current_app, send_from_directory

bp = Blueprint("vendor", __name__, url_prefix="/vendor")
NODE_MODULES = Path(__file__).resolve().parents[2] / "node_modules"
SERVED = (".js", ".mjs", ".css", ".map")


@bp.get("/<path:filename>")
def file(filename: str):
    parts = filename.split("/")
    if len(parts) < 3 or parts[1] != "dist" or not filename.endswith(SERVED):
        abort(404, "There is no such browser library here.")
    folder = current_app.config.get("NODE_MODULES", NODE_MODULES)
    return send_from_directory(folder, filename, max_age=86400)
