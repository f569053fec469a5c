"""Measure `irr validate` on a package whose events.csv ends with a flood of blank lines.
Run: python benchmarks/bench_hostile.py [--sizes 10 100 1024] [--timeout S] [--memory MIB]

For each size (in MiB of appended newlines, so 10 MiB is 10,485,760 blank lines), the
shipped package is copied to a temporary directory, the newlines are appended to its
events.csv, and `irr validate` runs on the copy in a fresh process. It prints one row of
a Markdown table per size: the whole process's wall time (Python start-up included), its
peak resident memory (the largest of the processes it starts, as the kernel counts it),
how many lines it printed and the summary line it ended with. A run over ``--timeout``
seconds or ``--memory`` MiB is stopped and shown as such. Timings describe this machine
only; nothing here is asserted by the tests.
"""

from __future__ import annotations

import argparse
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
    options.add_argument("--sizes", nargs="+", type=int, default=[10, 100, 1024], metavar="MIB")
    options.add_argument("--timeout", type=float, default=600, help="seconds per run")
    options.add_argument("--memory", type=int, default=4096, help="MiB of address space per run")
    args = options.parse_args()
    print(
        "| appended newlines | blank lines | wall time | peak memory | lines printed | ends with |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | --- |")
    for mib in args.sizes:
        with tempfile.TemporaryDirectory(prefix="irr-hostile-") as directory:
            package = _flooded(Path(directory), mib)
            found = _measure(package, args.timeout, args.memory * MIB)
            seconds = float(found["seconds"])  # type: ignore[arg-type]
            peak = int(found["peak"]) / MIB  # type: ignore[call-overload]
            last = str(found["last"])[:70].replace("|", "\\|")
            if found["stopped"]:
                last = f"stopped after {args.timeout:.0f} s"
            elif found["code"] not in (0, 1):
                last = f"exit {found['code']}: {last}"
            print(
                f"| {mib:,} MiB | {mib * MIB:,} | {seconds:.1f} s | {peak:,.0f} MiB "
                f"| {int(found['lines']):,} | {last} |",  # type: ignore[call-overload]
                flush=True,
            )


if __name__ == "__main__":
    main()
