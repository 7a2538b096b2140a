"""The audit log: every request (who, when, method, path, status) becomes a row of ``audit``.

Rows are queued by an ASGI middleware and written in batches by one thread (a write per request
would serialise every reader behind SQLite's single writer); :meth:`AuditLog.flush` writes what
is queued, and shutdown flushes too.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session, sessionmaker
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.core.models import AuditEntry

log = logging.getLogger("api.core.audit")
BATCH_SECONDS = 0.2


class AuditLog:
    def __init__(self, sessions: sessionmaker[Session]):
        self.sessions = sessions
        self._queue: queue.Queue[dict[str, Any]] = queue.Queue()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def record(self, entry: dict[str, Any]) -> None:
        self._queue.put(entry)

    def start(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name="audit-writer", daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        while not self._stop.wait(BATCH_SECONDS):
            try:
                self.flush()
            except Exception:
                log.exception("audit writer")

    def flush(self) -> int:
        with self._lock:
            rows = []
            while True:
                try:
                    rows.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            if rows:
                with self.sessions() as session:
                    session.execute(insert(AuditEntry), rows)
                    session.commit()
            return len(rows)

    def shutdown(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self.flush()


class AuditMiddleware:
    """Pure ASGI middleware: the principal is read from ``scope['state']`` (set by authentication)."""

    def __init__(self, app: ASGIApp, audit: AuditLog):
        self.app, self.audit = app, audit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_status)
        finally:
            principal = (scope.get("state") or {}).get("principal")
            query = scope.get("query_string", b"").decode("latin-1")
            path = scope.get("path", "") + (f"?{query}" if query else "")
            self.audit.record({
                "at": datetime.now(timezone.utc), "token_id": getattr(principal, "token_id", None),
                "role": getattr(principal, "label", None), "method": scope.get("method", ""),
                "path": path[:2000], "status": status, "duration_ms": round((time.perf_counter() - started) * 1000, 3),
            })
