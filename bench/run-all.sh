#!/usr/bin/env bash
# Run every benchmark (bench/*/run.py, each printing its figures beside its peer's) one after another.
# Each one's output is shown and kept in bench/out/<name>.txt; a failing benchmark does not stop the others,
# and the exit status says whether any failed.
set -uo pipefail
cd "$(dirname "$0")/.."
bash bench/setup.sh
mkdir -p bench/out
failed=()
for script in bench/*/run.py; do
  name=$(basename "$(dirname "$script")")
  echo "=== bench/$name ==="
  if ! .venv/bin/python "$script" 2>&1 | tee "bench/out/$name.txt"; then
    failed+=("$name")
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "failed: ${failed[*]}"
  exit 1
fi
echo "all benchmarks ran"
