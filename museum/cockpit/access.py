"""Who may read the cockpit: managers and admins; a kiosk's device token is refused, not merely unknown."""

from __future__ import annotations

from museum.core.errors import Forbidden, Unauthorized
from museum.identity.credentials import KIOSK_PREFIX
from museum.identity.principal import Principal, bearer_token, current_principal
from museum.models import Role

COCKPIT_ROLES = frozenset({Role.MANAGER.value, Role.ADMIN.value})


def cockpit_reader() -> Principal:
    """Return the signed-in manager or admin, or refuse the request (401 anonymous, 403 any other role)."""
    token = bearer_token()
    if token and token.startswith(KIOSK_PREFIX):
        raise Forbidden("A photo-booth device may not read the cockpit.", code="kiosk_forbidden")
    principal = current_principal()
    if principal is None:
        raise Unauthorized("Sign in as a manager, or send a manager's API token.",
                           headers={"WWW-Authenticate": "Bearer"})
    if principal.role not in COCKPIT_ROLES:
        raise Forbidden(f"The role {principal.role!r} may not read the cockpit.", code="cockpit_forbidden")
    return principal
