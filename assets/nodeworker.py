"""Talk to one node process that runs the validator and gltfpack for the length of an ingest."""

from __future__ import annotations

import itertools
import json
import subprocess
import threading
from concurrent.futures import Future
from pathlib import Path
from typing import Any

from assets.errors import AssetError
from assets.nodetools import node_binary, node_modules

_SCRIPT = Path(__file__).resolve().parent / "js" / "worker.mjs"


class NodeWorker:
    """A node child process answering JSON-line requests; use as a context manager."""

    def __init__(self) -> None:
        self._proc = subprocess.Popen(
            [node_binary(), str(_SCRIPT)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={"NODE_PATH": str(node_modules()), "PATH": "/usr/bin:/bin:/usr/local/bin"},
        )
        self._ids = itertools.count(1)
        self._pending: dict[int, Future[Any]] = {}
        self._lock = threading.Lock()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self._proc.stdout is not None
        for line in self._proc.stdout:
            answer = json.loads(line)
            with self._lock:
                future = self._pending.pop(int(answer["id"]))
            if "error" in answer:
                future.set_exception(AssetError(f"node tool failed: {answer['error'][-400:]}"))
            else:
                future.set_result(answer["result"])
        stderr = self._proc.stderr.read() if self._proc.stderr else ""
        with self._lock:
            pending, self._pending = self._pending, {}
        for future in pending.values():
            future.set_exception(AssetError(f"node worker exited: {stderr.strip()[-400:]}"))

    def call(self, op: str, **fields: Any) -> Future[Any]:
        """Send one request and return a future for its result."""
        future: Future[Any] = Future()
        with self._lock:
            request_id = next(self._ids)
            self._pending[request_id] = future
            assert self._proc.stdin is not None
            try:
                self._proc.stdin.write(json.dumps({"id": request_id, "op": op, **fields}) + "\n")
                self._proc.stdin.flush()
            except (BrokenPipeError, OSError) as exc:
                self._pending.pop(request_id, None)
                raise AssetError(f"node worker is gone: {exc}") from None
        return future

    def close(self) -> None:
        """Let the process finish and reap it."""
        if self._proc.stdin:
            self._proc.stdin.close()
        try:
            self._proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
        self._reader.join(timeout=5)
        for stream in (self._proc.stdout, self._proc.stderr):
            if stream:
                stream.close()

    def __enter__(self) -> NodeWorker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
