"""The museum's 3D asset pipeline: curators' glTF uploads in, Khronos-valid per-device tiers and a poster out.

    from assets.pipeline import ingest, IngestLimits
    result = ingest(Path("upload.zip"), workdir)      # raises assets.errors.AssetRejected on bad input

Modules, in the order an upload meets them: `intake` (hostile-input checks; `limits`, `strictjson`, `gltfio`,
`imageformat`), `pack` (one self-contained GLB), `validator` and `nodeworker` (the Khronos validator and gltfpack
in node), `inspection` and `scene` (counts, bounds, posed geometry), `textures` and `tiers` (phone, desktop, vr),
`meshoptcodec` (decoded copies for validation), `poster` (CPU rasteriser), `problems` (warnings in plain words),
`pipeline` (all of it, in order).
"""
