# The two commands of the README: `make run` and `make test`.
.PHONY: setup run test test-fast lint bench

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
	npm run --silent typecheck
	.venv/bin/python -m pytest -n 2 --dist loadgroup

# The edit loop: lint, types and every test that needs no browser and is not marked slow.
test-fast: setup
	.venv/bin/ruff check .
	.venv/bin/mypy
	npm run --silent typecheck
	.venv/bin/python -m pytest -n 2 --dist loadgroup -m "not slow and not browser"

lint:
	.venv/bin/ruff check .
	.venv/bin/mypy
	npm run --silent typecheck

bench: setup
	bash bench/run-all.sh
