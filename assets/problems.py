"""Say what the validator's warnings mean in words a curator understands."""

from __future__ import annotations

from typing import Any

_PLAIN: dict[str, str] = {
    "NODE_SKINNED_MESH_NON_ROOT": "An animated character's mesh sits inside another object; moving that object "
    "will not move the character.",
    "NODE_SKINNED_MESH_LOCAL_TRANSFORMS": "An animated character's mesh has its own position or scale, which "
    "viewers ignore.",
    "MESH_PRIMITIVE_GENERATED_TANGENT_SPACE": "Some surfaces use a normal map without stored tangents; viewers "
    "compute them, and the bumps may shade slightly differently.",
    "IMAGE_UNRECOGNIZED_FORMAT": "A texture is in a format the checker cannot read; some viewers may not show it.",
    "VALUE_NOT_IN_LIST": "A value in the file is not one the glTF standard lists.",
    "UNUSED_OBJECT": "The file holds data that nothing uses; it only adds to the download.",
    "MESH_PRIMITIVE_TOO_FEW_TEXCOORDS": "A material asks for texture coordinates a mesh does not have.",
    "ACCESSOR_NON_UNIT": "Some normals or rotations are not of unit length; lighting may look wrong.",
    "MESH_PRIMITIVE_UNUSED_TEXCOORD": "A mesh carries texture coordinates no material uses.",
    "NON_OBJECT_EXTRAS": "Custom data in the file is not in the recommended form.",
    "IMAGE_NPOT_DIMENSIONS": "A texture's size is not a power of two; older devices may show it blurred.",
    "KTX2_TEXTURE_PASSED_THROUGH": "KTX2 textures were referenced without the KHR_texture_basisu extension; the "
    "packed file names the extension.",
}


def curator_problems(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return one plain-language problem per distinct warning code, with the first pointer it was seen at."""
    out: dict[str, dict[str, Any]] = {}
    for message in messages:
        if message.get("severity", 1) > 1:
            continue
        code = str(message.get("code", "UNKNOWN"))
        if code in out:
            out[code]["count"] += 1
            continue
        entry: dict[str, Any] = {
            "code": code,
            "message": _PLAIN.get(code, str(message.get("message", code))),
            "count": 1,
        }
        if message.get("pointer"):
            entry["pointer"] = message["pointer"]
        out[code] = entry
    return list(out.values())
