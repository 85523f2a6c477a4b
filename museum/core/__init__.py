"""The small core every feature stands on.

Configuration, the database, the error hierarchy, file storage, the job queue, HTTP caching, rate limiting and
languages.
"""
