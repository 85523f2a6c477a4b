# The two commands of the README: `make run` and `make test`.
.PHONY: setup run test lint bench

HOST ?= 127.0.0.1
PORT ?= 8000

setup:
	bash scripts/setup.sh

run: setup
	.venv/bin/museum init
	.venv/bin/museum demo
	.venv/bin/museum serve --host $(HOST) --port $(PORT)

test: setup
	.venv/bin/ruff check .
	.venv/bin/mypy
	.venv/bin/python -m pytest -n 2 --dist loadgroup

lint:
	.venv/bin/ruff check .
	.venv/bin/mypy

bench: setup
	bash bench/run-all.sh
