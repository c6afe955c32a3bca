"""The ASGI application: ``POST /rpc/<method>``, ``GET /openapi.json`` and ``GET /health``.

``POST /rpc/<method>`` is answered by a few lines of plain ASGI, not by Starlette's routing and
middleware: every counter call takes this path, and on a two-core server the framework's per-request
work was a tenth of a worker's CPU (docs/benchmarks.md). The dispatcher is synchronous (psycopg2), so
it runs on a thread pool of our own, one thread per connection the database pool keeps open: more
threads would only wait for a connection (every waiting thread costs GIL switches), and calls beyond
the kept connections would open and close overflow connections, each a new PostgreSQL backend with a
SCRAM sign-in (the overflow stays for the health check).
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable, MutableMapping
from concurrent.futures import ThreadPoolExecutor
from enum import Enum
from typing import Any

from sqlalchemy import Engine, text
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from server.clock import Clock, SystemClock
from server.db.session import make_engine, make_session_factory
from server.rpc.dispatch import Dispatcher, error_reply
from server.rpc.openapi import build_openapi
from server.security import PiiCipher
from server.services.auth import SERVER_VERSION
from server.settings import Settings
from shared_models.errors import ErrorCode
from shared_models.rpc import MAX_REQUEST_BYTES, request_limit

log = logging.getLogger(__name__)

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

_RPC_PREFIX = "/rpc/"
_JSON = (b"content-type", b"application/json")


class _NoBody(Enum):
    """Why a request has no body to dispatch."""

    TOO_LARGE = "too large"
    GONE = "client went away"


async def _read_body(headers: dict[str, str], receive: Receive, limit: int = MAX_REQUEST_BYTES) -> bytes | _NoBody:
    """The body, or why not: larger than the limit (read no further than that), or the client left."""
    declared = headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        return _NoBody.TOO_LARGE
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return _NoBody.GONE
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return _NoBody.TOO_LARGE
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


class GridCounterApp:
    """The ASGI callable: the RPC fast path, and Starlette for everything else."""

    def __init__(self, *, engine: Engine, dispatcher: Dispatcher, threads: int) -> None:
        self.engine = engine
        self.dispatcher = dispatcher
        self.other: Starlette = Starlette()
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="rpc")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Route one ASGI connection scope."""
        path: str = scope.get("path", "")
        if scope["type"] == "http" and scope["method"] == "POST" and path.startswith(_RPC_PREFIX):
            method = path[len(_RPC_PREFIX):]
            if method and "/" not in method:
                await self._rpc(method, scope, receive, send)
                return
        await self.other(scope, receive, send)

    async def route(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The same call as an ASGI endpoint for Starlette's route (the fast path takes every POST it
        matches; the route stays so that other HTTP methods get 405 as before)."""
        await self._rpc(scope["path_params"]["method"], scope, receive, send)

    async def _rpc(self, method: str, scope: Scope, receive: Receive, send: Send) -> None:
        # The first of repeated headers counts, as with Starlette's Headers.get.
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in reversed(scope["headers"])}
        limit = request_limit(method)
        body = await _read_body(headers, receive, limit)
        if body is _NoBody.GONE:
            return
        if body is _NoBody.TOO_LARGE:
            reply = error_reply(ErrorCode.REQUEST_TOO_LARGE, {"limit": limit})
        else:
            loop = asyncio.get_running_loop()
            reply = await loop.run_in_executor(self._pool, self.dispatcher.handle, method, headers, body)
        await send({"type": "http.response.start", "status": reply.status,
                    "headers": [_JSON, (b"content-length", str(len(reply.body)).encode())]})
        await send({"type": "http.response.body", "body": reply.body})


class _AsgiEndpoint:
    """A bound method as an ASGI endpoint (Starlette wraps plain functions as request handlers)."""

    def __init__(self, call: Callable[[Scope, Receive, Send], Awaitable[None]]) -> None:
        self._call = call

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self._call(scope, receive, send)


def create_app(settings: Settings, *, clock: Clock | None = None) -> GridCounterApp:
    """Build the app; the database URL must be set (``serve`` starts the embedded server first)."""
    if not settings.database_url:
        raise RuntimeError("GRIDCOUNTER_DATABASE_URL is not set")
    engine = make_engine(settings.database_url, pool_size=settings.pool_size, max_overflow=settings.max_overflow)
    pii = PiiCipher.from_settings(key_b64=settings.pii_key, key_file=settings.pii_key_file)
    dispatcher = Dispatcher(sessions=make_session_factory(engine), settings=settings,
                            clock=clock or SystemClock(), pii=pii)
    openapi = json.dumps(build_openapi(server_version=SERVER_VERSION), ensure_ascii=False).encode()

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

    app = GridCounterApp(engine=engine, dispatcher=dispatcher, threads=settings.pool_size)
    app.other = Starlette(routes=[
        Route("/rpc/{method:str}", _AsgiEndpoint(app.route), methods=["POST"]),
        Route("/openapi.json", openapi_json, methods=["GET"]),
        Route("/health", health, methods=["GET"]),
    ])
    return app


def create_app_from_env() -> GridCounterApp:
    """uvicorn's factory for each worker process: settings from the environment."""
    return create_app(Settings())
