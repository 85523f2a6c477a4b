"""The booth's API and the guests' share links, each payload declared once (museum.core.payloads): the JSON
objects they answer with, and the booth's photo form (multipart/form-data) with the poses of its props."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Json,
    PlainValidator,
    PrivateAttr,
    StringConstraints,
    ValidationError,
)
from pydantic_core import ErrorDetails, PydanticCustomError

from ar_photo.errors import PhotoRejected
from ar_photo.prop_layer import parse_box
from ar_photo.props import POSITION_RANGE, SCALE_RANGE
from museum.core import jsonbody
from museum.core.errors import ApiError, BadRequest, Unprocessable, library_error
from museum.core.payloads import Reply, Request, message, pointer

Texts = dict[str, str]  # a text by language: zh-Hans, zh-Hant, en
PhotoState = Literal["pending", "ready", "failed"]  # a live photo's; deleted and expired ones answer 410


class KioskPhotoCreated(Reply):
    """A photo the booth sent, taken in: the guest opens share_url, or scans the QR code at qr_url."""

    id: str
    share_url: str
    qr_url: str
    qr_svg_url: str
    expires_at: str = Field(description="When the photo is erased (ISO 8601, UTC)")


class KioskTemplate(Reply):
    """A published photo template: titles, canvas, window, frame image and prop slots."""

    slug: str
    title: Texts
    caption: Texts
    size: list[int] | None = Field(description="The canvas, width and height in pixels")
    window: list[int] | None = Field(description="Where the photo goes on the canvas: x, y, width, height")
    frame_url: str | None
    prop_slots: list[dict[str, Any]]
    max_props: int


class KioskProp(Reply):
    """A prop guests can place: a published exhibit with a model or a poster (its slug goes back in poses)."""

    slug: str
    title: Texts
    model_url: str | None
    poster_url: str | None
    height_m: float | None


class Viewpoint(Reply):
    """Where a gallery is seen from: a position in metres and a heading."""

    position: list[float]
    yaw_deg: float


class KioskBackdrop(Reply):
    """A gallery guests can stand in, its scene and the viewpoint to render it from (slug: background_gallery)."""

    slug: str
    title: Texts
    poster_url: str | None
    scene_url: str
    spawn: Viewpoint
    lighting: dict[str, Any] = Field(description="The gallery's lighting, as its manifest gives it")


class ShareLinks(Reply):
    """Whether phones can open the booth's share links, and why not."""

    ok: bool
    problem: str | None


class KioskConfig(Reply):
    """The booth's settings."""

    retention_days: int
    timezone: str = Field(description="The museum's time zone (IANA), for the times printed on photos")
    share_links: ShareLinks


class SharedPhotoStatus(Reply):
    """Whether a guest's photo is ready, and its URLs once it is."""

    status: PhotoState
    expires_at: str
    photo_url: str | None = Field(description="Phone size")
    download_url: str | None = Field(description="Full size, as a download")
    view_url: str | None = Field(description="Full size, shown inline")
    thumb_url: str | None


PROPS_MAX_BYTES = 64 * 1024
Box = tuple[int, int, int, int]  # x, y, w, h in pixels of the upright photo
BOX_PATTERN = r"^[0-9]+,[0-9]+,[0-9]+,[0-9]+$"


class Refused(ValueError):
    """A form value refused with the error the booth's contract gives it (status and code; the pointer is its
    field's)."""

    def __init__(self, error: ApiError) -> None:
        super().__init__(error.message)
        self.error = error


def _number(value: Any) -> float:
    # As poses have always been read: a JSON number, true or false, or a number written as a string.
    try:
        return float(value)
    except (TypeError, ValueError, OverflowError):
        raise PydanticCustomError("float_type", "Input should be a valid number") from None


Coordinate = Annotated[float, Field(ge=POSITION_RANGE[0], le=POSITION_RANGE[1], allow_inf_nan=False),
                       BeforeValidator(_number)]
Scale = Annotated[float, Field(ge=SCALE_RANGE[0], le=SCALE_RANGE[1], allow_inf_nan=False), BeforeValidator(_number)]
Degrees = Annotated[float, Field(allow_inf_nan=False), BeforeValidator(_number)]


class KioskPropPose(BaseModel):
    """A prop a guest placed on the photo (one item of the form's props). Numbers may also come as strings of
    numbers; keys a pose does not have are ignored."""

    model_config = ConfigDict(extra="ignore")

    asset: Annotated[str, StringConstraints(strict=True, min_length=1, max_length=128)] = Field(
        description="The prop: its slug (GET /api/v1/kiosk/props)")
    x: Coordinate = Field(description="Where its centre is across the photo: 0 the left edge, 1 the right one")
    y: Coordinate = Field(description="Where its centre is down the photo: 0 the top edge, 1 the bottom one")
    scale: Scale = Field(1.0, description="1 spans about a third of the photo's shorter side")
    rotation_deg: Degrees = Field(0.0, description="How far it is turned, counter-clockwise in view")


def _string(value: Any) -> str:
    if not isinstance(value, str):
        raise PydanticCustomError("string_type", "Input should be a valid string")
    return value


def _consented(value: Any) -> Literal["true"]:
    if isinstance(value, str) and value.strip().lower() == "true":
        return "true"
    raise Refused(Unprocessable("The guests' consent is required: send consent=true once they agreed on screen.",
                                code="consent_required"))


def _yes(value: Any) -> bool:
    return value if isinstance(value, bool) else isinstance(value, str) and value.strip().lower() == "true"


def _text(value: Any) -> str | None:
    return _string(value).strip() or None


def _poses(value: Any) -> list[Any]:
    # The JSON is read within the limits of any client's JSON; each pose is read when the template says how many
    # it holds (museum.photos.service.check_props).
    if not _string(value):
        return []
    try:
        data = jsonbody.parse(value, max_bytes=PROPS_MAX_BYTES)
    except ApiError as exc:
        if exc.code == "invalid_json":
            exc.code = "PROPS_INVALID_JSON"  # the booth's contract names the field's own code
        raise Refused(exc) from None
    if not isinstance(data, list):
        raise Refused(BadRequest("The props field must be a JSON list of poses.", code="PROPS_INVALID_JSON"))
    return data


def _box(value: Any) -> Box:
    try:
        return parse_box(_string(value))
    except PhotoRejected as exc:
        raise Refused(library_error(exc)) from None


Consent = Annotated[Literal["true"], PlainValidator(_consented, json_schema_input_type=Literal["true"])]
Flag = Annotated[bool, PlainValidator(_yes, json_schema_input_type=Literal["true", "false"])]
Text = Annotated[str | None, PlainValidator(_text, json_schema_input_type=str)]
Poses = Annotated[list[Any], PlainValidator(_poses, json_schema_input_type=Json[list[KioskPropPose]])]
BoxText = Annotated[Box | None, PlainValidator(
    _box, json_schema_input_type=Annotated[str, StringConstraints(pattern=BOX_PATTERN)])]

FILE_PARTS = {
    "photo": "The guests' photo, as the booth's camera took it",
    "prop_layer": "The booth's own drawing of the props (PNG with alpha) over the box prop_layer_box of the upright "
                  "photo; each drawn pixel within reach of a posed prop",
    "background": "The booth's view of a gallery (JPEG, PNG or WebP, at least 256 px a side): the guests, found in "
                  "the photo, are stood in front of it",
    "prop_layer_behind": "The booth's drawing of the props the guests stand in front of (PNG with alpha, as "
                         "prop_layer); only with a background",
}


def _with_file_parts(schema: dict[str, Any]) -> None:
    # The whole form: its file parts beside the text fields. A form sends text or nothing, so no field shows a
    # default (each description says what leaving it out means).
    fields = schema["properties"]
    for field in fields.values():
        field.pop("default", None)
    files = {name: {"type": "string", "format": "binary", "description": text} for name, text in FILE_PARTS.items()}
    schema["properties"] = {**files, **fields}
    schema["required"] = ["photo", *schema.get("required", [])]


class KioskPhotoForm(Request):
    """A booth photo, sent as multipart/form-data: the photo and, when the booth drew them, the prop layers and the
    gallery view as files; the other fields are text. props is a JSON list of poses (KioskPropPose) in a string, a
    box is "x,y,w,h"; consent and guardian ignore case and the spaces around them. Fields the form does not have
    are ignored.
    """

    # The model reads the text fields; the file parts, which no field can hold, are described beside them in its
    # schema (FILE_PARTS), so the document's form is this model's.
    model_config = ConfigDict(extra="ignore", json_schema_extra=_with_file_parts)
    error_codes: ClassVar[dict[str, str]] = {"consent": "consent_required"}

    consent: Consent = Field(description="true once the guests agreed on screen to the photo and its sharing")
    guardian: Flag = Field(False, description="true when a guardian agreed for children in the photo; anything "
                                              "else, or nothing, is false")
    template: Text = Field(None, description="The published photo template's slug; the first one when left out "
                                             "or empty")
    props: Poses = Field(default_factory=list, description="The props placed on the photo, as a JSON list of "
                                                           "poses (at most the template's max_props); none when "
                                                           "left out or empty")
    prop_layer_box: BoxText = Field(None, description="x,y,w,h of prop_layer in photo pixels (read only with "
                                                      "prop_layer)")
    background_gallery: Text = Field(None, description="The published gallery the background shows")
    prop_layer_behind_box: BoxText = Field(None, description="x,y,w,h of prop_layer_behind in photo pixels (read "
                                                             "only with prop_layer_behind)")

    _refused: dict[str, ApiError] = PrivateAttr(default_factory=dict)

    @classmethod
    def read(cls, data: Mapping[str, str]) -> KioskPhotoForm:
        """Read a booth's text fields. A refused consent is raised at once, as the booth's first check; any other
        field in error takes its default and is refused by `check` when the view comes to it, so a form wrong in
        several ways is refused for what the booth checks first (the photo, the template, then the props...)."""
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            errors = exc.errors(include_url=False, include_input=False)
        refused: dict[str, ApiError] = {}
        for error in errors:
            refused.setdefault(str(error["loc"][0]), cls._refusal(error))
        if "consent" in refused:
            raise refused["consent"]
        form = cls.model_validate({name: value for name, value in data.items() if name not in refused})
        form._refused = refused
        return form

    @classmethod
    def _refusal(cls, error: ErrorDetails) -> ApiError:
        where = pointer(error["loc"])
        cause = error.get("ctx", {}).get("error")
        if isinstance(cause, Refused):
            cause.error.pointer = where
            return cause.error
        return Unprocessable(message(error), code=cls.error_codes.get(str(error["loc"][0]), "invalid_field"),
                             pointer=where)

    def check(self, field: str) -> None:
        """Refuse the form for `field` when its value was refused at reading."""
        if field in self._refused:
            raise self._refused[field]


MODELS = (KioskPhotoForm, KioskPhotoCreated, KioskTemplate, KioskProp, KioskBackdrop, KioskConfig, SharedPhotoStatus)
