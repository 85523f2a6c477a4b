"""The JSON objects of the studio's administration (accounts, API tokens, kiosk devices, the audit log), declared
once (museum.core.payloads)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from annotated_types import Interval, Len
from pydantic import Field, StringConstraints

from museum.catalogue.payloads import Models
from museum.core.bounds import MAX_INT
from museum.core.i18n import Lang
from museum.core.payloads import Paged, Reply, Request
from museum.identity.accounts import MIN_PASSWORD

RoleName = Literal["admin", "curator", "reviewer", "manager"]  # museum.models.Role's values
UserName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.@-]{2,80}$")]
Password = Annotated[str, Len(MIN_PASSWORD, 1024)]
Label = Annotated[str, Len(1, 80)]
RowId = Annotated[int, Interval(ge=1, le=MAX_INT)]


class NewUser(Request):
    """A staff account to create."""

    error_codes = {"name": "invalid_name", "role": "invalid_role", "password": "weak_password"}

    name: UserName = Field(description="2-80 letters, digits or _.@-")
    role: RoleName
    password: Password


class UserChange(Request):
    """What to change of a staff account; a field left out (or null) stays as it is."""

    error_codes = {"role": "invalid_role", "password": "weak_password", "active": "invalid_field"}

    role: RoleName | None = None
    password: Password | None = None
    active: bool | None = Field(None, description="false closes the account and ends its sessions")


class NewToken(Request):
    """An API token to create for a user."""

    name: Label = Field(description="What the token is for")
    user_id: RowId


class NewKiosk(Request):
    """A kiosk device to register."""

    name: Label


class StaffUser(Reply):
    """A staff account (never its password hash)."""

    id: int
    name: str
    role: str
    active: bool
    has_password: bool
    created_at: str | None


class ApiTokenInfo(Reply):
    """An API token, known by its prefix (its secret is shown once, at creation)."""

    id: int
    name: str
    prefix: str
    user: str = Field(description="Its owner's name")
    created_at: str | None
    last_used_at: str | None
    revoked_at: str | None


class ApiTokenCreated(ApiTokenInfo):
    """A new API token with its secret, shown in this answer only."""

    token: str


class KioskInfo(Reply):
    """A kiosk device, known by its token's prefix."""

    id: int
    name: str
    prefix: str
    created_at: str | None
    last_seen_at: str | None
    revoked_at: str | None


class KioskCreated(KioskInfo):
    """A new kiosk device with its device token, shown in this answer only."""

    token: str


class AuditEntry(Reply):
    """One record of the audit log: who did what, to what, from where."""

    id: int
    at: str | None
    actor: str
    action: str
    target_type: str
    target_id: str
    detail: dict[str, Any]
    ip: str


WorkState = Literal["draft", "review", "published"]


class StatusMove(Request):
    """A move through the workflow, as the signed-in role allows."""

    status: WorkState
    version: RowId | None = Field(None, description="The version the move is based on (or send If-Match)")
    note: Annotated[str, Len(0, 2000)] | None = Field(None, description="Why, for the audit log and the curator")


class StudioSummary(Reply):
    """A piece of content in a studio list: id, slug, title in every language, state, untranslated texts."""

    id: int
    kind: str
    slug: str
    title: dict[str, str]
    status: WorkState = Field(description="Its working state: that of its pending changes, else its own")
    live: bool = Field(description="Whether visitors see a published version")
    version: int
    updated_at: str | None
    untranslated: dict[str, list[str]] = Field(description="text field -> the languages it lacks")


class LayoutProblem(Reply):
    """Something wrong with a gallery's layout: an exhibit in a wall, out of the room, too close to another..."""

    code: str
    message: str
    pointer: str | None = None
    placement_id: int | str | None = Field(None, description="The placement at fault (an id, or the editor's key)")
    exhibit: str | None = Field(None, description="The slug of the exhibit it shows")
    door_id: int | str | None = None
    other_id: int | str | None = Field(None, description="The other placement, for an overlap")
    blocks_save: bool = Field(description="Whether the layout cannot be saved until it is mended")


class LayoutCheck(Reply):
    """What the layout as the editor has it would have wrong (nothing is saved)."""

    problems: list[LayoutProblem]
    total: int


class PreviewLinkInfo(Reply):
    """A preview link (never its token, which only the answer that made it carries)."""

    id: int
    kind: str
    row_id: int
    created_at: str
    expires_at: str
    revoked_at: str | None


class PreviewLinkCreated(PreviewLinkInfo):
    """A new preview link: the URL to send, and the visitor page it opens."""

    url: str
    visitor_path: str


class MissingTranslation(Reply):
    """A visitor-facing text still missing a language."""

    type: str
    slug: str
    field: str
    missing: list[str]


class StudioAsset(Reply):
    """An uploaded asset in the studio's list."""

    id: int
    kind: str
    status: str
    original_name: str
    bytes: int
    poster_url: str | None
    tiers: Models
    problems: list[dict[str, Any]]
    triangles: int | None
    status_url: str
    url: str | None


Step = Literal["equal", "delete", "insert"]


class TextChange(Reply):
    """One language of a text that changed, with the steps from the old words to the new."""

    path: str = Field(description="The JSON pointer of the language's text, e.g. /title/en")
    field: str = Field(description="The text's pointer, e.g. /title or /hotspots/0/text")
    lang: Lang
    before: str | None
    after: str | None
    ops: list[tuple[Step, str]] = Field(description="[step, text] from before to after (Chinese: by character)")


class PlacementChange(Reply):
    """An exhibit placed, removed or changed in a gallery: what changed, how far it moved and turned."""

    change: Literal["added", "removed", "changed"]
    placement_id: int | None
    exhibit_id: int | None
    exhibit: str | None = Field(description="The exhibit's slug")
    title: dict[str, str] = Field(description="The exhibit's title per language")
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    fields: list[str] = Field(description="The placement's fields that changed")
    moved_m: float
    turned_deg: float


class FieldChange(Reply):
    """A value of a document that changed (any JSON value; null where it was or is absent)."""

    path: str = Field(description="Its JSON pointer in the document")
    before: Any
    after: Any


class ChangeBase(Reply):
    """What a change is measured against."""

    kind: Literal["published", "revision", "none"] = Field(
        description="The version visitors see, the last published or an earlier revision, or nothing (new content)")
    version: int | None
    revision_id: int | None
    at: str | None


class Changes(Reply):
    """What changed in a document against its base, for the reviewer (each list at most 200 long)."""

    id: int
    kind: str
    slug: str
    status: WorkState
    live: bool
    version: int
    base: ChangeBase
    texts: list[TextChange]
    placements: list[PlacementChange]
    fields: list[FieldChange]
    total: int = Field(description="How many changes there are in all")
    more: int = Field(description="How many the lists leave out")


class Revision(Reply):
    """A saved version of a document, with its differences from the one before."""

    id: int
    version: int
    at: str
    author: str | None = Field(description="Who saved it (none: made outside the studio)")
    message: str
    changes: list[FieldChange]
    more_changes: int = Field(description="How many differences the list leaves out")


class History(Reply):
    """A document's revisions, newest first."""

    id: int
    version: int
    revisions: list[Revision]


# --- query parameters -----------------------------------------------------------------------------------------

AuditAction = Literal["sign_in", "sign_in_failed", "sign_in_limited", "sign_out", "upload", "create", "edit",
                      "delete", "submit", "publish", "reject", "unpublish", "user_create", "user_change",
                      "token_create", "token_revoke", "kiosk_register", "kiosk_revoke"]


class ContentFilter(Paged):
    """Which content of a kind to list."""

    status: WorkState | None = Field(None, description="Only content in this working state")
    q: str | None = Field(None, description="Only content whose slug holds this text (its first 100 characters)")


class AuditFilter(Paged):
    """Which entries of the audit log to read."""

    action: AuditAction | None = Field(None, description="Only entries of this action")


MODELS = (NewUser, UserChange, NewToken, NewKiosk, StaffUser, ApiTokenInfo, ApiTokenCreated, KioskInfo, KioskCreated,
          AuditEntry, StatusMove, StudioSummary, LayoutCheck, PreviewLinkInfo, PreviewLinkCreated, MissingTranslation,
          StudioAsset, Changes, History)
