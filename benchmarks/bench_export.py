"""Time `irr export` in every format, on the shipped package and on larger synthetic copies,
and report each output's size and the command's peak memory. Run: python benchmarks/bench_export.py

Timings are whole commands in fresh processes (Python start-up and validation included),
the median of several runs; they describe this machine only and are never asserted by the tests.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

from bench_validate import peak_memory_mib, synthetic, timed

from india_russia_relations.io.tables import read_table
from india_russia_relations.schema.models import TABLES

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--factors", type=int, nargs="*", default=[1, 10])
    args = parser.parse_args()
    irr = str(Path(sys.executable).parent / "irr")
    with tempfile.TemporaryDirectory() as tmp:
        for factor in args.factors:
            package = synthetic(Path(tmp) / f"x{factor}", factor)
            rows = sum(len(read_table(package, t)) for t in TABLES)
            for fmt, name in FORMATS.items():
                out = Path(tmp) / f"{fmt}-{factor}" / name
                command = [
                    irr,
                    "export",
                    "--format",
                    fmt,
                    str(out),
                    "--force",
                    "--package",
                    str(package),
                ]
                seconds, code = timed(command, args.runs)
                result = {
                    "factor": factor,
                    "rows": rows,
                    "format": fmt,
                    "seconds": round(seconds, 2),
                    "exit": code,
                    "bytes": size(out) if code == 0 else None,
                    "peak_mib": round(peak_memory_mib(command)),
                }
                print(json.dumps(result), flush=True)
                shutil.rmtree(out.parent, ignore_errors=True)


if __name__ == "__main__":
    main()
