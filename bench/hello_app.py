"""A hello-world Flask app under the museum's own production server: the peer of the catalogue benchmark."""

from __future__ import annotations

import sys

from flask import Flask

from museum.core.server import serve


def create_hello() -> Flask:
    """Return the smallest Flask app that answers JSON."""
    app = Flask(__name__)

    @app.get("/hello")
    def hello() -> dict[str, str]:
        return {"hello": "world"}

    return app


if __name__ == "__main__":
    port, workers, threads = (int(a) for a in sys.argv[1:4])
    serve(create_hello, "127.0.0.1", port, workers, threads, job_worker=False)
