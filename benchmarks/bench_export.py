"""Time `irr export` in every format, on the shipped package and on synthetic ones
(generate.py), and report each output's size and the command's peak memory.
Run: python benchmarks/bench_export.py [--runs N] [--rows 10000 ...]

Timings are whole commands in fresh processes (Python start-up and validation included),
measured by run.py's ``execute``, the median of several runs; they describe this machine
only and are never asserted by the tests.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import tempfile
from pathlib import Path

from generate import generate
from run import BIN, execute

from india_russia_relations.io.tables import read_table
from india_russia_relations.schema.models import TABLES

REPO = Path(__file__).resolve().parents[1]

FORMATS = {
    "sqlite": "out.db",
    "duckdb": "out.duckdb",
    "parquet": "out",
    "json": "out.json",
    "xlsx": "out.xlsx",
}


def size(path: Path) -> int:
    """Bytes of a file, or of every file of a directory (the SQLite metadata file included)."""
    if path.is_dir():
        return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    extra = path.with_suffix(".metadata.json")
    return path.stat().st_size + (extra.stat().st_size if extra.exists() else 0)


def measure(package: Path, label: int | str, work: Path, runs: int) -> None:
    """Print one JSON line per format: the median wall time, the output's size, the peak memory."""
    rows = sum(len(read_table(package, t)) for t in TABLES)
    for fmt, name in FORMATS.items():
        out = work / f"{fmt}-{label}" / name
        command = [str(BIN / "irr"), "export", "--format", fmt, str(out), "--force"]
        done = [execute([*command, "--package", str(package)]) for _ in range(runs)]
        ok = all(r.code == 0 for r in done)
        result = {
            "package": label,
            "rows": rows,
            "format": fmt,
            "seconds": round(statistics.median(r.wall for r in done), 2),
            "exit": max(r.code for r in done),
            "bytes": size(out) if ok else None,
            "peak_mib": round(max(r.peak_mib for r in done)),
        }
        print(json.dumps(result), flush=True)
        shutil.rmtree(out.parent, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--rows", type=int, nargs="*", default=[10_000])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        measure(REPO / "datapackage", "shipped", work, args.runs)
        for rows in args.rows:
            generated = generate(work / f"g{rows}", rows, 0, False)
            measure(generated.datapackage, rows, work, args.runs)


if __name__ == "__main__":
    main()
