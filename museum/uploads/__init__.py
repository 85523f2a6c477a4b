"""Files curators upload: models into the asset pipeline, pictures, audio and captions.

Also the file store's checks (`museum check`) and serving content-hashed files.
"""
