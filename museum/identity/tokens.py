"""API tokens: made and revoked in one place, each change written to the audit log, from the API or the command line.

The audit row names the signed-in principal (API) or, from the command line, `actor` (who ran the command).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from museum.identity import audit
from museum.identity.credentials import TOKEN_PREFIX, Principal, hash_token, new_token
from museum.models import ApiToken, User
from museum.models.base import utcnow

COMMAND_LINE = "command line"


def create_api_token(session: Session, user: User, name: str, by: Principal | None = None,
                     actor: str = COMMAND_LINE) -> tuple[ApiToken, str]:
    """Create an API token for a user; return its row and its secret (shown once, stored only as a hash)."""
    secret = new_token(TOKEN_PREFIX)
    token = ApiToken(user_id=user.id, name=name, token_hash=hash_token(secret), prefix=secret[:10])
    session.add(token)
    session.flush()
    audit.record(session, "token_create", by, actor=actor, target_type="api_token", target_id=token.id,
                 detail={"name": name, "prefix": token.prefix, "user": user.name})
    return token, secret


def revoke_api_token(session: Session, token: ApiToken, by: Principal | None = None,
                     actor: str = COMMAND_LINE) -> None:
    """Revoke a token (a second revocation keeps the first time) and write the audit row."""
    token.revoked_at = token.revoked_at or utcnow()
    audit.record(session, "token_revoke", by, actor=actor, target_type="api_token", target_id=token.id,
                 detail={"prefix": token.prefix})


def tokens_with_prefix(session: Session, prefix: str) -> list[ApiToken]:
    """Return the tokens whose secret starts with the first ten characters of `prefix`."""
    return list(session.scalars(select(ApiToken).where(ApiToken.prefix == prefix[:10])))
