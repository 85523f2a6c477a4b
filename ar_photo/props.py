"""Props: a pose the kiosk sends, and the renderer that turns a catalogue model into a transparent image."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

from ar_photo.errors import PhotoRejected


@dataclass(frozen=True)
class PropPose:
    """A prop placed by a guest: `asset` (sha256 or slug), centre `x`, `y` as 0..1 of the photo,
    `scale` (1 spans about a third of the photo's shorter side), `rotation_deg` counter-clockwise in view."""

    asset: str
    x: float
    y: float
    scale: float = 1.0
    rotation_deg: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        """Return the pose as JSON-ready data."""
        return {
            "asset": self.asset,
            "x": self.x,
            "y": self.y,
            "scale": self.scale,
            "rotation_deg": self.rotation_deg,
        }

    @classmethod
    def from_dict(cls, data: Any) -> PropPose:
        """Build a pose from kiosk data, refusing anything out of range (422 PROP_POSE_INVALID)."""
        try:
            asset = data["asset"]
            values = [float(data[k]) for k in ("x", "y")]
            values += [float(data.get("scale", 1.0)), float(data.get("rotation_deg", 0.0))]
        except (KeyError, TypeError, ValueError) as exc:
            message = f"A prop pose needs asset, x and y: {exc!r}"
            raise PhotoRejected("PROP_POSE_INVALID", message, 422) from exc
        x, y, scale, rotation = values
        if not isinstance(asset, str) or not 0 < len(asset) <= 128:
            raise PhotoRejected("PROP_POSE_INVALID", "A prop's asset is a sha256 or slug string.", 422)
        if not all(math.isfinite(v) for v in values) or not (-0.5 <= x <= 1.5 and -0.5 <= y <= 1.5):
            raise PhotoRejected("PROP_POSE_INVALID", f"Prop position ({x}, {y}) is off the photo.", 422)
        if not 0.05 <= scale <= 5.0:
            raise PhotoRejected("PROP_POSE_INVALID", f"Prop scale {scale} is outside 0.05..5.", 422)
        return cls(asset, x, y, scale, rotation % 360.0)


def parse_props(raw: str | bytes | list[Any] | None, max_props: int = 32) -> list[PropPose]:
    """Parse the kiosk's `props` field (JSON list of poses) into PropPose values."""
    if raw is None or raw == "" or raw == b"":
        return []
    try:
        data = json.loads(raw) if isinstance(raw, str | bytes) else raw
    except ValueError as exc:
        raise PhotoRejected("PROPS_INVALID_JSON", f"The props field is not JSON: {exc}", 400) from exc
    if not isinstance(data, list):
        raise PhotoRejected("PROPS_INVALID_JSON", "The props field must be a JSON list of poses.", 400)
    if len(data) > max_props:
        raise PhotoRejected("PROPS_TOO_MANY", f"At most {max_props} props are accepted.", 422)
    return [PropPose.from_dict(item) for item in data]
