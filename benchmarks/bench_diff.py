"""Time `irr diff` on the shipped package and on larger synthetic copies of it.

Run: python benchmarks/bench_diff.py [--runs N] [--factors 1 10 100]

Each case compares the package with a copy in which every tenth row of every table is
changed in one cell, every fiftieth removed and as many added, so that every code path
(added, removed, changed, word diffs) is exercised. Timings are whole commands in fresh
processes (Python start-up included), medians of several runs, on this machine only; the
tests never assert them.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _rows(path: Path) -> tuple[list[str], list[list[str]]]:
    header, *rows = list(csv.reader(io.StringIO(path.read_text("utf-8"), newline="")))
    return header, rows


def _write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([header, *rows])
    path.write_text(out.getvalue(), encoding="utf-8")


def scaled(target: Path, factor: int) -> Path:
    """The package with every row of every table repeated ``factor`` times under new keys."""
    shutil.copytree(REPO / "datapackage", target)
    for path in sorted((target / "data").glob("*.csv")):
        header, rows = _rows(path)
        copies = list(rows)
        for n in range(1, factor):
            copies += [[f"{row[0]}-copy{n}", *row[1:]] for row in rows]
        _write(path, header, copies)
    return target


def edited(source: Path, target: Path) -> Path:
    """A copy of ``source`` with a tenth of the rows changed, a fiftieth removed and added."""
    shutil.copytree(source, target)
    for path in sorted((target / "data").glob("*.csv")):
        header, rows = _rows(path)
        last = len(header) - 1
        out = []
        for number, original in enumerate(rows):
            if number % 50 == 1:
                continue
            row = list(original)
            if number % 10 == 0:
                row[last] = (row[last] + " Edited for the benchmark.").strip()
            out.append(row)
            if number % 50 == 2:
                out.append([f"{row[0]}-new", *row[1:]])
        _write(path, header, out)
    return target


def _time(args: list[str], runs: int) -> tuple[float, str]:
    times, out = [], ""
    for _ in range(runs):
        start = time.perf_counter()
        result = subprocess.run(args, capture_output=True, text=True, check=True)
        times.append(time.perf_counter() - start)
        out = result.stdout
    return statistics.median(times), out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--factors", type=int, nargs="+", default=[1, 10, 100])
    args = parser.parse_args()
    irr = [sys.executable, "-m", "india_russia_relations", "diff"]
    print("| package | rows | `irr diff empty` | `irr diff` edited copy | json | markdown |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    with tempfile.TemporaryDirectory() as temp:
        for factor in args.factors:
            old = scaled(Path(temp) / f"x{factor}", factor)
            new = edited(old, Path(temp) / f"x{factor}-edited")
            rows = sum(len(_rows(p)[1]) for p in (old / "data").glob("*.csv"))
            empty, _ = _time([*irr, "empty", str(old), "--summary"], args.runs)
            text, _ = _time([*irr, str(old), str(new)], args.runs)
            as_json, out = _time([*irr, str(old), str(new), "--format", "json"], args.runs)
            counts = json.loads(out)["counts"]
            md, _ = _time([*irr, str(old), str(new), "--format", "markdown"], args.runs)
            label = "shipped (×1)" if factor == 1 else f"×{factor}"
            print(
                f"| {label} | {rows:,} | {empty:.2f} s | {text:.2f} s | {as_json:.2f} s "
                f"| {md:.2f} s |  <!-- {counts} -->"
            )


if __name__ == "__main__":
    main()
