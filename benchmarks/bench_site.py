"""Time `irr site` on the shipped package and on larger synthetic copies of it, and report
the pages, bytes and peak memory. Run: python benchmarks/bench_site.py

Timings are whole commands in fresh processes (Python start-up included), the median of
several runs; they describe this machine only and are never asserted by the tests.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

from bench_validate import peak_memory_mib, synthetic, timed


def _size(root: Path) -> tuple[int, int, int]:
    files = [p for p in root.rglob("*") if p.is_file()]
    pages = sum(1 for p in files if p.suffix == ".html")
    return pages, len(files), sum(p.stat().st_size for p in files)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--factors", type=int, nargs="*", default=[1, 10])
    args = parser.parse_args()
    irr = str(Path(sys.executable).parent / "irr")
    with tempfile.TemporaryDirectory() as tmp:
        for factor in args.factors:
            package = synthetic(Path(tmp) / f"x{factor}", factor)
            out = Path(tmp) / f"site{factor}"
            command = [irr, "site", str(out), "--package", str(package), "--force"]
            seconds, code = timed(command, args.runs)
            pages, files, size = _size(out)
            largest = max((p for p in out.rglob("*.html")), key=lambda p: p.stat().st_size)
            biggest = f"{largest.relative_to(out)} ({largest.stat().st_size // 1000} kB)"
            result = {
                "factor": factor,
                "irr_site_s": round(seconds, 2),
                "exit": code,
                "pages": pages,
                "files": files,
                "mb": round(size / 1_000_000, 1),
                "largest_page": biggest,
                "peak_mib": round(peak_memory_mib(command)),
            }
            shutil.rmtree(out, ignore_errors=True)
            print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
