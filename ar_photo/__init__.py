"""AR photo booth: photo normalisation, composition with templates and props, QR codes.

A library: it takes bytes, paths and images and returns plain data or raises `ar_photo.errors.PhotoError`.
"""
