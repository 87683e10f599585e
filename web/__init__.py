"""The Flask app: ``create_app()`` wires settings, database, extensions and blueprints."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Flask
from flask_smorest.spec.plugins import integerconverter2paramschema
from werkzeug.routing import IntegerConverter

from referral.adapters.db import make_engine, make_session_factory
from referral.adapters.embedding import shared_encoder
from referral.adapters.orm import start_mappers
from referral.adapters.uow import UnitOfWork
from referral.config import Settings, check_secret
from referral.services.handoffs import MatchState, rank
from referral.services.network import NetworkGraph
from web.schemas import ID_MAX


def utcnow() -> datetime:
    """Naive UTC, as stored in the database."""
    return datetime.now(UTC).replace(tzinfo=None)


class Services:
    """What the views need from the outside world, built once per app."""

    def __init__(self, settings: Settings, clock=utcnow):
        self.settings = settings
        self.engine = make_engine(settings.database_url)
        self.session_factory = make_session_factory(self.engine)
        self.clock = clock
        # the process's one network state: the graph views and the ranking share it
        self.match_state = MatchState(NetworkGraph())

    def warm_up(self) -> None:
        """Load the sentence model and load (or bring up to date) the matching index and graph, outside any request.

        The web server calls it before a worker takes traffic (``gunicorn.conf.py``); without it,
        the first request loads them.
        """
        shared_encoder()  # the sentence model: loaded (and its graph written) once in the master; each worker opens its own session
        with self.uow().reading() as uow:
            self.match_state.refresh(uow.session, self.clock())

    def ranker(self, session, handoff) -> list[int]:
        """Colleague ids for a handoff, best first: used for ``auto`` offers and the cascade."""
        return [c.colleague_id for c in rank(session, self.match_state, handoff, self.clock(), limit=20)]

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.session_factory, self.clock)


class IdConverter(IntegerConverter):
    """``<int:...>`` in a route: 0 to ``ID_MAX``, the database's INTEGER; a larger number is no row (404)."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", ID_MAX)
        super().__init__(map, *args, **kwargs)


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    test_config = test_config or {}
    settings = Settings.from_env(app.instance_path, test_config.get("ENV"))
    app.config.from_mapping(
        SECRET_KEY=settings.secret_key,
        MAX_CONTENT_LENGTH=1024 * 1024,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.base_url.startswith("https"),  # never sent over plain HTTP then
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SECURE=settings.base_url.startswith("https"),
        API_TITLE="Referral network API",
        API_VERSION="v1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/api",
        OPENAPI_JSON_PATH="openapi.json",
        RATELIMIT_ENABLED=True,
        RATELIMIT_HEADERS_ENABLED=True,  # Retry-After tells a paused log-in when to try again
        # answer-link pages send no Referer (web/security.py), which flask-wtf's HTTPS Referer check
        # would refuse; the CSRF token and SameSite cookies still guard every form
        WTF_CSRF_SSL_STRICT=False,
        RATELIMIT_STORAGE_URI=settings.ratelimit_storage_uri,
        # Redis unreachable: count per process for a while rather than answer 500
        RATELIMIT_IN_MEMORY_FALLBACK_ENABLED=True,
        # gzip only (every browser and HTTP client has it); level 1 packs JSON about 8 to 1 at a third
        # of the default level's CPU, which matters more on a busy two-core machine than the last 15 %
        COMPRESS_ALGORITHM="gzip",
        COMPRESS_LEVEL=1,
        COMPRESS_STREAMS=False,  # files are streamed as they are (flask-compress would not close them)
    )
    app.config.update({k: v for k, v in test_config.items() if k != "ENV"})
    check_secret(settings, app.debug or app.testing)
    app.url_map.converters["int"] = IdConverter

    start_mappers()
    app.extensions["referral"] = Services(settings, app.config.get("CLOCK", utcnow))

    from web import api, cli, errors, pages, security
    from web.extensions import api as smorest_api
    from web.extensions import compress, csrf, limiter, login_manager

    compress.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    smorest_api.init_app(app, spec_kwargs={"components": {"securitySchemes": {
        "bearer": {"type": "http", "scheme": "bearer"}}}, "security": [{"bearer": []}]})
    smorest_api.register_converter(IdConverter, integerconverter2paramschema)
    api.register(smorest_api)
    pages.register(app)
    errors.register(app)
    security.register(app)
    cli.register(app)
    return app
