"""The append-only audit log: who signed in (or failed to), uploaded, edited, published, deleted or changed a token."""

from __future__ import annotations

from typing import Any

from flask import has_request_context, request
from sqlalchemy.orm import Session

from museum.identity.credentials import Principal
from museum.models import AuditEvent


def client_ip() -> str:
    """Return the address the request came from (REMOTE_ADDR: behind a reverse proxy, the proxy's address)."""
    return (request.remote_addr or "") if has_request_context() else ""


def record(session: Session, action: str, principal: Principal | None = None, *, actor: str = "",
           target_type: str = "", target_id: object = "", detail: dict[str, Any] | None = None) -> None:
    """Add one audit row to the caller's transaction (rows are only ever added, never changed)."""
    session.add(AuditEvent(
        actor_user_id=principal.user_id if principal else None,
        actor=(principal.name if principal else actor)[:120],
        action=action[:40],
        target_type=target_type[:40],
        target_id=str(target_id)[:120],
        detail=detail or {},
        ip=client_ip()[:64],
    ))
