"""Time `irr site` on the shipped package and on synthetic ones (generate.py), and report
the pages, bytes and peak memory. Run: python benchmarks/bench_site.py [--rows 10000]

Each figure is a whole process (Python start-up included), measured by run.py's
``execute``, the median of several runs; it describes this machine only and is never
asserted by the tests.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
from pathlib import Path

from generate import generate
from run import BIN, execute

REPO = Path(__file__).resolve().parents[1]


def _size(root: Path) -> dict[str, object]:
    files = [p for p in root.rglob("*") if p.is_file()]
    largest = max((p for p in files if p.suffix == ".html"), key=lambda p: p.stat().st_size)
    return {
        "pages": sum(1 for p in files if p.suffix == ".html"),
        "files": len(files),
        "mb": round(sum(p.stat().st_size for p in files) / 1_000_000, 1),
        "largest_page": f"{largest.relative_to(root)} ({largest.stat().st_size // 1000} kB)",
    }


def measure(package: Path, rows: int | str, work: Path, runs: int) -> dict[str, object]:
    """The median wall time and peak memory of ``irr site`` over ``runs`` runs."""
    out = work / "site"
    command = [str(BIN / "irr"), "site", str(out), "--package", str(package), "--force"]
    done = [execute(command) for _ in range(runs)]
    assert all(r.code == 0 for r in done), done[-1].stdout
    return {
        "rows": rows,
        "irr_site_s": round(statistics.median(r.wall for r in done), 2),
        "peak_mib": round(max(r.peak_mib for r in done)),
        **_size(out),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--rows", type=int, nargs="*", default=[10_000])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        print(json.dumps(measure(REPO / "datapackage", "shipped", work, args.runs)), flush=True)
        for rows in args.rows:
            generated = generate(work / f"g{rows}", rows, 0, False)
            print(json.dumps(measure(generated.datapackage, rows, work, args.runs)), flush=True)


if __name__ == "__main__":
    main()
