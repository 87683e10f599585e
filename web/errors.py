"""One table from domain errors to HTTP answers; JSON for the API, a page for people."""

from flask import g, jsonify, render_template, request
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from referral.domain.errors import Conflict, IllegalTransition, Invalid, NotFound, ReferralError
from web.extensions import api, login_manager
from web.forms import unclean_field

STATUS = {NotFound: 404, IllegalTransition: 409, Conflict: 409, Invalid: 422}
TITLE = {404: "Not Found", 409: "Conflict", 413: "Request Entity Too Large", 422: "Unprocessable Entity",
         429: "Too Many Requests", 503: "Service Unavailable"}
TOO_MANY = "Too many attempts from your address ({limit}). Please wait a minute, then try again."


def wants_json() -> bool:
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]


def string_keys(errors):
    """The error tree with every key a string: marshmallow keys a list's items by index (``{2: [...]}``)
    next to ``"_schema"``, and JSON cannot sort a mix of the two."""
    if isinstance(errors, dict):
        return {str(k): string_keys(v) for k, v in errors.items()}
    if isinstance(errors, list | tuple):
        return [string_keys(v) for v in errors]
    return errors


def answer(code: int, message: str, errors: dict | None = None):
    if wants_json():
        body = {"code": code, "status": TITLE.get(code, ""), "message": message}
        if errors:
            body["errors"] = {"json": string_keys(errors)}
        return jsonify(body), code
    return render_template("error.html", code=code, title=TITLE.get(code, "Error"), message=message), code


def register(app) -> None:
    @app.before_request
    def _refuse_oversized():
        # werkzeug checks the size only when a view reads the body; a view that does not (a link
        # whose token is bad) would answer as if nothing were wrong
        limit = app.config.get("MAX_CONTENT_LENGTH")
        if limit is not None and (request.content_length or 0) > limit:
            raise RequestEntityTooLarge(f"The request is larger than {limit // 1024} KiB.")

    @app.before_request
    def _refuse_control_characters():
        # the API's schemas clean each field they read (web/schemas.py: Text); pages also read query
        # strings and forms directly (search, log-in), so those are checked here, once for all: a NUL
        # byte would otherwise reach PostgreSQL, which refuses it with a 500
        if request.path.startswith("/api/"):
            return None
        for where in (request.args, request.form):
            refused = unclean_field(where)
            if refused:
                field, reason = refused
                return answer(400, f"{field}: {reason}", {field: [reason]})
        return None

    @app.errorhandler(RecursionError)
    def _too_deep(err: RecursionError):
        # json.loads (in webargs and Flask alike) gives up on a body nested thousands deep with a
        # RecursionError, not a ValueError: without this it would be a 500
        if not request.is_json:
            raise err
        message = "The JSON body is nested too deeply to read."
        if wants_json():
            return jsonify({"code": 400, "status": "Bad Request", "message": message,
                            "errors": {"json": {"_schema": [message]}}}), 400
        return answer(400, message)

    @app.errorhandler(ReferralError)
    def _domain(err: ReferralError):
        code = next((c for cls, c in STATUS.items() if isinstance(err, cls)), 400)
        return answer(code, str(err), getattr(err, "errors", None))

    @app.errorhandler(OperationalError)
    def _database_down(err):
        app.logger.error("database unavailable: %s", err)
        if "_login_user" not in g:
            # the page's header shows the logged-in member, whom Flask-Login would load from the
            # database again: the error page itself would fail with a 500. Show it as to a visitor.
            g._login_user = login_manager.anonymous_user()
        return answer(503, "The database is not answering right now. Nothing was saved; "
                           "please try again in a minute.")

    @app.errorhandler(HTTPException)
    def _http(err: HTTPException):
        if err.code == 429 and not getattr(getattr(err, "limit", None), "error_message", None):
            err.description = TOO_MANY.format(limit=err.description)
        if wants_json():
            payload, code, headers = api.handle_http_exception(err)  # flask-smorest's error shape
            payload.setdefault("message", err.description or err.name)  # a plain 404 or 413 says why too
            if "errors" in payload:
                payload["errors"] = string_keys(payload["errors"])
            response = jsonify(payload)
            response.headers.update(headers or {})
        else:
            response, code = answer(err.code or 500, err.description or err.name)
        for key, value in err.get_headers():  # keep Allow on 405, WWW-Authenticate...
            if key.lower() != "content-type":
                response.headers.setdefault(key, value)
        return response, code
