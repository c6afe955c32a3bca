"""The ASGI application: ``POST /rpc/<method>``, ``GET /openapi.json`` and ``GET /health``."""

from __future__ import annotations

import json
import logging

from sqlalchemy import text
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from server.clock import Clock, SystemClock
from server.db.session import make_engine, make_session_factory
from server.rpc.dispatch import Dispatcher, Reply, error_reply
from server.rpc.openapi import build_openapi
from server.security import PiiCipher
from server.services.auth import SERVER_VERSION
from server.settings import Settings
from shared_models.errors import ErrorCode
from shared_models.rpc import MAX_REQUEST_BYTES

log = logging.getLogger(__name__)


async def _read_body(request: Request) -> bytes | None:
    """The body, or None when it is larger than the limit (read no further than that)."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > MAX_REQUEST_BYTES:
        return None
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_REQUEST_BYTES:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def _response(reply: Reply) -> Response:
    return Response(reply.body, status_code=reply.status, media_type="application/json")


def create_app(settings: Settings, *, clock: Clock | None = None) -> Starlette:
    """Build the app; the database URL must be set (``serve`` starts the embedded server first)."""
    if not settings.database_url:
        raise RuntimeError("GRIDCOUNTER_DATABASE_URL is not set")
    engine = make_engine(settings.database_url, pool_size=settings.pool_size, max_overflow=settings.max_overflow)
    pii = PiiCipher.from_settings(key_b64=settings.pii_key, key_file=settings.pii_key_file)
    dispatcher = Dispatcher(sessions=make_session_factory(engine), settings=settings,
                            clock=clock or SystemClock(), pii=pii)
    openapi = json.dumps(build_openapi(server_version=SERVER_VERSION), ensure_ascii=False).encode()

    async def rpc(request: Request) -> Response:
        method = request.path_params["method"]
        body = await _read_body(request)
        if body is None:
            return _response(error_reply(ErrorCode.REQUEST_TOO_LARGE, {"limit": MAX_REQUEST_BYTES}))
        reply = await run_in_threadpool(dispatcher.handle, method, request.headers, body)
        return _response(reply)

    async def openapi_json(request: Request) -> Response:
        return Response(openapi, media_type="application/json")

    def _db_ok() -> bool:
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except Exception:
            log.warning("health check: database unreachable", exc_info=True)
            return False
        return True

    async def health(request: Request) -> Response:
        ok = await run_in_threadpool(_db_ok)
        return JSONResponse({"status": "ok" if ok else "degraded", "version": SERVER_VERSION},
                            status_code=200 if ok else 503)

    app = Starlette(routes=[
        Route("/rpc/{method:str}", rpc, methods=["POST"]),
        Route("/openapi.json", openapi_json, methods=["GET"]),
        Route("/health", health, methods=["GET"]),
    ])
    app.state.engine = engine
    app.state.dispatcher = dispatcher
    return app


def create_app_from_env() -> Starlette:
    """uvicorn's factory for each worker process: settings from the environment."""
    return create_app(Settings())
