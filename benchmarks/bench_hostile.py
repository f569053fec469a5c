"""Measure `irr validate` on packages flooded with problems: blank lines, and rows that
each hold one problem.
Run: python benchmarks/bench_hostile.py [--sizes 10 100 1024] [--rows N] [--timeout S] [--memory MIB]

For each size (in MiB of appended newlines, so 10 MiB is 10,485,760 blank lines), the
shipped package is copied to a temporary directory, the newlines are appended to its
events.csv, and `irr validate` runs on the copy in a fresh process. With ``--rows N``
(default 1,000,000; 0 for none), three more copies get N rows appended, each with one
problem: a date that does not exist (events.csv), the id of the last row again
(events.csv) or a leader who is not in leaders.csv (visits.csv). It prints one row of a
Markdown table per package: the whole process's wall time (Python start-up included),
its peak resident memory (the largest of the processes it starts, as the kernel counts
it), how many lines it printed and the summary line it ended with. A run over
``--timeout`` seconds or ``--memory`` MiB is stopped and shown as such. Timings describe
this machine only; nothing here is asserted by the tests.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "datapackage"
MIB = 1024 * 1024

# Runs one command with a time and memory limit and reports, as JSON on its last line, the
# wall time, the peak RSS of the process and its children, the lines printed, the last one.
_MEASURE = r"""
import json, resource, subprocess, sys, time
command, timeout, memory = json.loads(sys.argv[1])
def limit():
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
start = time.perf_counter()
process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           preexec_fn=limit)
lines, last, tail, stopped = 0, b"", b"", False
while True:
    if time.perf_counter() - start > timeout:
        process.kill()
        stopped = True
        break
    chunk = process.stdout.read1(1 << 20)
    if not chunk:
        break
    lines += chunk.count(b"\n")
    tail = (tail + chunk)[-4096:]
process.wait()
seconds = time.perf_counter() - start
done = [line for line in tail.split(b"\n") if line]
last = done[-1].decode("utf-8", "replace") if done else ""
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
scale = 1 if sys.platform == "darwin" else 1024  # bytes on macOS, KiB elsewhere
print(json.dumps({"seconds": seconds, "peak": peak * scale, "lines": lines, "last": last,
                  "stopped": stopped, "code": process.returncode}))
"""


def _flooded(directory: Path, mib: int) -> Path:
    """A copy of the shipped package with ``mib`` MiB of newlines appended to events.csv."""
    package = directory / f"flood-{mib}"
    shutil.copytree(PACKAGE, package)
    block = b"\n" * MIB
    with (package / "data" / "events.csv").open("ab") as handle:
        for _ in range(mib):
            handle.write(block)
    return package


_ROW_FLOODS = {
    "bad dates": ("events", {"start": "1955-13"}, True),
    "duplicate ids": ("events", {}, False),
    "dangling keys": ("visits", {"leader_id": "nobody"}, True),
}


def _rows(directory: Path, flood: str, rows: int) -> Path:
    """A copy of the shipped package with ``rows`` copies of a table's last row appended,
    each changed by ``flood`` (with new ids, in order, where the flood keeps ids apart)."""
    table, change, new_ids = _ROW_FLOODS[flood]
    package = directory / flood.replace(" ", "-")
    shutil.copytree(PACKAGE, package)
    path = package / "data" / f"{table}.csv"
    head, *existing = list(csv.reader(io.StringIO(path.read_text("utf-8"), newline="")))
    last = dict(zip(head, existing[-1], strict=True), **change)
    with path.open("a", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        for n in range(rows):
            if new_ids:
                last["id"] = f"zzzz-{n:07d}"
            writer.writerow([last[name] for name in head])
    return package


def _row(label: str, count: str, found: dict[str, object], timeout: float) -> str:
    seconds = float(found["seconds"])  # type: ignore[arg-type]
    peak = int(found["peak"]) / MIB  # type: ignore[call-overload]
    last = str(found["last"])[:70].replace("|", "\\|")
    if found["stopped"]:
        last = f"stopped after {timeout:.0f} s"
    elif found["code"] not in (0, 1):
        last = f"exit {found['code']}: {last}"
    lines = int(found["lines"])  # type: ignore[call-overload]
    return f"| {label} | {count} | {seconds:.1f} s | {peak:,.0f} MiB | {lines:,} | {last} |"


def _measure(package: Path, timeout: float, memory: int) -> dict[str, object]:
    command = [sys.executable, "-m", "india_russia_relations", "validate", str(package)]
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, json.dumps([command, timeout, memory])],
        capture_output=True,
        check=True,
    )
    result: dict[str, object] = json.loads(done.stdout.decode().splitlines()[-1])
    return result


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__)
    options.add_argument("--sizes", nargs="*", type=int, default=[10, 100, 1024], metavar="MIB")
    options.add_argument("--rows", type=int, default=1_000_000, help="rows per row flood")
    options.add_argument("--timeout", type=float, default=600, help="seconds per run")
    options.add_argument("--memory", type=int, default=4096, help="MiB of address space per run")
    args = options.parse_args()
    print("| flood | lines or rows | wall time | peak memory | lines printed | ends with |")
    print("| --- | ---: | ---: | ---: | ---: | --- |")
    limits = (args.timeout, args.memory * MIB)
    for mib in args.sizes:
        with tempfile.TemporaryDirectory(prefix="irr-hostile-") as directory:
            found = _measure(_flooded(Path(directory), mib), *limits)
            label = f"{mib:,} MiB of newlines"
            print(_row(label, f"{mib * MIB:,}", found, args.timeout), flush=True)
    for flood in _ROW_FLOODS if args.rows else ():
        with tempfile.TemporaryDirectory(prefix="irr-hostile-") as directory:
            found = _measure(_rows(Path(directory), flood, args.rows), *limits)
            print(_row(flood, f"{args.rows:,}", found, args.timeout), flush=True)


if __name__ == "__main__":
    main()
