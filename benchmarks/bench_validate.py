"""Time `irr validate` against `frictionless validate`, on the shipped package and on larger
synthetic copies of it, and report peak memory. Run: python benchmarks/bench_validate.py

Timings are whole commands in fresh processes (Python start-up included), the median of
several runs; they describe this machine only and are never asserted by the tests.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from india_russia_relations.io.csvfile import write_rows
from india_russia_relations.io.tables import read_table
from india_russia_relations.publish.build import descriptor, project_version
from india_russia_relations.schema.columns import header, to_cells
from india_russia_relations.schema.descriptor import dump_json
from india_russia_relations.schema.models import MODELS, TABLES, Record

REPO = Path(__file__).resolve().parents[1]


def synthetic(target: Path, factor: int) -> Path:
    """A valid copy of the package with every cited record (and its citations) ``factor`` times."""
    shutil.copytree(REPO / "datapackage", target)
    rows: dict[str, list[Record]] = {t: read_table(target, t) for t in TABLES}
    copies: dict[str, list[Record]] = {t: list(rows[t]) for t in TABLES}
    cited = {t for t in TABLES if MODELS[t].cited}
    for n in range(1, factor):
        suffix = f"-copy{n}"
        for table in cited:
            for record in rows[table]:
                copies[table].append(record.model_copy(update={"id": record.key()[0] + suffix}))
        for citation in rows["citations"]:
            copies["citations"].append(
                citation.model_copy(
                    update={
                        "id": citation.key()[0] + suffix,
                        "record_id": citation.record_id + suffix,  # type: ignore[attr-defined]
                    }
                )
            )
    for table in TABLES:
        ordered = sorted(copies[table], key=lambda r: r.key())
        (target / "data" / f"{table}.csv").write_bytes(
            write_rows(header(table), (to_cells(r) for r in ordered))
        )
    (target / "datapackage.json").write_text(
        dump_json(descriptor(target, project_version(REPO))), encoding="utf-8"
    )
    return target


def timed(command: list[str], runs: int) -> tuple[float, int]:
    """Median wall time in seconds, and the exit code, of ``command`` over ``runs`` runs."""
    times = []
    code = 0
    for _ in range(runs):
        start = time.perf_counter()
        code = subprocess.run(command, capture_output=True, check=False).returncode
        times.append(time.perf_counter() - start)
    return statistics.median(times), code


_PEAK = (
    "import resource, subprocess, sys; subprocess.run(sys.argv[1:], capture_output=True); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


def peak_memory_mib(command: list[str]) -> float:
    """Peak resident memory of ``command`` alone, in MiB (Linux reports ru_maxrss in KiB)."""
    out = subprocess.run(
        [sys.executable, "-c", _PEAK, *command], capture_output=True, text=True, check=False
    )
    return int(out.stdout) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--factors", type=int, nargs="*", default=[1, 10, 100])
    args = parser.parse_args()
    bin_dir = Path(sys.executable).parent
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for factor in args.factors:
            package = synthetic(Path(tmp) / f"x{factor}", factor)
            rows = sum(len(read_table(package, t)) for t in TABLES)
            irr = [str(bin_dir / "irr"), "validate", str(package)]
            fl = [str(bin_dir / "frictionless"), "validate", str(package / "datapackage.json")]
            irr_time, irr_code = timed(irr, args.runs)
            fl_time, fl_code = timed(fl, args.runs)
            results.append(
                {
                    "factor": factor,
                    "rows": rows,
                    "irr_validate_s": round(irr_time, 3),
                    "irr_exit": irr_code,
                    "frictionless_validate_s": round(fl_time, 3),
                    "frictionless_exit": fl_code,
                    "irr_peak_mib": round(peak_memory_mib(irr)),
                    "frictionless_peak_mib": round(peak_memory_mib(fl)),
                }
            )
            print(json.dumps(results[-1]), flush=True)


if __name__ == "__main__":
    main()
