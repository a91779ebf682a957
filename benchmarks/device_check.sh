#!/usr/bin/env bash
# The accelerator check: `make parity`'s comparison, where statsmodels' fits land, then bundled notebooks
# run as a Kaggle GPU user runs them (a fresh folder, nothing installed, the embedded seqtut unpacked by its first cell,
# full mode, a Jupyter kernel). Writes what it saw under $OUT (default: build/device).
#
# Usage, on a machine with an accelerator, from the repository root, after `make bundle` here:
#     bash benchmarks/device_check.sh [NOTEBOOK.ipynb ...]  (default: 06_transformer_masking.ipynb)
# Needs python3 with torch, numpy, matplotlib, seaborn and nbclient + ipykernel (the Jupyter packages
# may come as wheels in .whl/: they are installed into /tmp/site first). The results are copied by
# hand into benchmarks/RESULTS.md's "On an accelerator" section, with the date and the machine.
set -u
OUT=${OUT:-build/device}
mkdir -p "$OUT"
if [ $# -eq 0 ]; then set -- 06_transformer_masking.ipynb; fi
WHEELS=${WHEELS:-.whl}
if ls "$WHEELS"/*.whl >/dev/null 2>&1; then
    python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade \
        --target /tmp/site "$WHEELS"/*.whl || exit 1
    export PYTHONPATH=/tmp/site
fi
export PYTHONUNBUFFERED=1
{
    date -u '+date %Y-%m-%d %H:%M UTC'
    echo "code $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
    nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null
    echo "cpu cores $(nproc)"
    python3 -c 'import platform, torch; print("python", platform.python_version(), "| torch", torch.__version__,
        "| cuda", torch.version.cuda, "| gpu", torch.cuda.get_device_name(0) if torch.cuda.is_available() else None)'
    [ "${SKIP_CALIB:-0}" = 1 ] || echo "calib $(python3 benchmarks/calib.py) s"
} 2>&1 | tee "$OUT/machine.txt"

# 1. make parity: every section's fast run on the CPU and on each accelerator (OMP_NUM_THREADS=1, as make sets).
if [ "${SKIP_PARITY:-0}" != 1 ]; then
start=$(date +%s.%N)
OMP_NUM_THREADS=1 PYTHONPATH=".:${PYTHONPATH:-}" python3 -m seqtut parity ${PARITY_SECTIONS:+--sections "$PARITY_SECTIONS"} 2>&1 | tee "$OUT/parity.txt"
echo "parity rc ${PIPESTATUS[0]} wall $(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}') s" | tee -a "$OUT/parity.txt"
fi

# 2. Where statsmodels' multiplicative Holt-Winters fits land on this machine (they differ by CPU: RESULTS.md).
PYTHONPATH=".:${PYTHONPATH:-}" python3 benchmarks/hw_diag.py 2>&1 | tee "$OUT/hw_diag.txt"

# 3. Each bundled notebook in its own empty folder where seqtut is not importable, as on Kaggle.
for NOTEBOOK in "$@"; do
work=$(mktemp -d)
cp "dist/$NOTEBOOK" "$work/"
(
    cd "$work" || exit 1
    start=$(date +%s.%N)
    python3 - "$NOTEBOOK" <<'PY'
import sys, time
import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

path = sys.argv[1]
notebook = nbformat.read(path, as_version=4)
client = NotebookClient(notebook, timeout=900, kernel_name="python3", allow_errors=False)
started = time.perf_counter()
try:
    client.execute()
    status = "ok"
except CellExecutionError as error:
    status = "error:\n" + "\n".join(line[:200] for line in str(error).splitlines()[-30:])
nbformat.write(notebook, "executed.ipynb")
print(f"notebook {path}: {status}; {time.perf_counter() - started:.1f} s in the kernel")
for cell in notebook.cells:
    for output in cell.get("outputs", []):
        text = output.get("text", "") if output.get("output_type") == "stream" else ""
        for line in text.splitlines():
            if any(key in line for key in ("device", "✓", "✗", "FAIL", "seqtut ", "exact match", "accuracy")):
                print("  |", line[:200])
PY
    echo "notebook wall $(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}') s"
) 2>&1 | tee "$OUT/notebook_${NOTEBOOK%.ipynb}.txt"
cp "$work/executed.ipynb" "$OUT/executed_$NOTEBOOK" 2>/dev/null
done
nvidia-smi --query-gpu=memory.used --format=csv,noheader 2>/dev/null | tee -a "$OUT/machine.txt"
