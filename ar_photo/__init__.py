"""AR photo booth: photo normalisation, composition with templates and props, QR codes.

A library: it takes bytes, paths and images and returns plain data or raises `ar_photo.errors.PhotoError`
(`PhotoRejected` carries `code`, `message` and the HTTP `status` to answer). Typical use by the service::

    from ar_photo.compose import compose
    from ar_photo.props import PropRenderer, parse_props
    from ar_photo.qr import qr_png, qr_svg
    from ar_photo.templates import default_templates

    template = default_templates()[0]                      # or PhotoTemplate.from_dict(stored_json)
    renderer = PropRenderer({"sha256-or-slug": "/path/to/model.glb"})   # one per process: it caches sprites
    result = compose(photo_bytes, template, parse_props(props_json, template.max_props),
                     {"zh": "医院历史博物馆", "en": "Hospital History Museum"}, date.today(), logo_image, renderer)
    result.full, result.phone, result.thumb                # JPEG bytes without metadata
    qr_png(share_url), qr_svg(share_url)
"""
