"""Measure the library against its references and write the table to benchmarks/README.md.

    python benchmarks/run.py                      # every size: 1k, 10k, 100k and 1M rows
    python benchmarks/run.py --sizes 1k 10k       # a subset
    python benchmarks/run.py --runs 3 --keep WORK # more runs per pair; keep the packages
    python benchmarks/run.py --skip build fmt     # leave measurements out
    python benchmarks/run.py --shapes few-sources # validate only the second shape

``irr validate`` is measured on every shape of ``generate.py`` (``--shapes``); the other
measurements on the default shape.

Every measurement is a whole process (Python start-up included) with its peak memory
(PSS, summed over the processes it starts), paired with its reference in the same run: the two commands alternate, and the
median of each is reported. Packages come from ``generate.py`` (deterministic from the
seed). The figures describe the machine they ran on; the tests never assert them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from generate import SHAPES, Generated, Injected

from india_russia_relations.io.files import write_atomic
from india_russia_relations.schema.models import TABLES

HERE = Path(__file__).resolve().parent
SIZES = {"1k": 1_000, "10k": 10_000, "100k": 100_000, "1M": 1_000_000}
RUNS = {"1k": 5, "10k": 5, "100k": 3, "1M": 1}
IMPORT_RUNS = 30
LOADER_RUNS = 5
"""At least this many runs per loader pair at every size: each takes a second or less, and
one run of a fraction of a second is mostly noise on a shared machine."""
LOADED_TABLES = ("events", "citations")
BIN = Path(sys.executable).parent


@dataclass
class Run:
    """One finished process: wall and CPU seconds, peak memory, exit code, output."""

    wall: float
    cpu: float
    peak_mib: float
    code: int
    stdout: str


@dataclass
class Pair:
    """A command and its reference, measured alternately in the same run."""

    name: str
    size: str
    rows: int
    subject: str
    reference: str
    runs: int
    subject_wall: float = 0.0
    reference_wall: float = 0.0
    subject_cpu: float = 0.0
    reference_cpu: float = 0.0
    subject_peak_mib: float = 0.0
    reference_peak_mib: float = 0.0
    subject_call: float | None = None
    """For the loaders: the seconds of the call alone, as the child measured it."""
    reference_call: float | None = None
    target: str = ""
    met: bool | None = None
    notes: list[str] = field(default_factory=list)
    shape: str = "default"
    """The shape of the generated package (``generate.SHAPES``)."""

    @property
    def ratio(self) -> float:
        return self.subject_wall / self.reference_wall


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    # Measure what users get: bytecode cached on first import, as an installed package has.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


# A small process starts each measured one: Linux counts the memory a process had when it
# was forked towards its peak, so forking from this large harness would inflate every peak.
# The launcher also samples the memory (PSS) of the process and every process it starts,
# summed, since a measured command may run two processes at once (ru_maxrss is the largest
# one's alone, and counts the pages it shares with the other).
_LAUNCHER = """
import json, os, subprocess, sys, threading, time
PAGE = os.sysconf("SC_PAGE_SIZE")
def tree(pid):
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            kids = [int(k) for k in f.read().split()]
    except OSError:
        kids = []
    return [pid] + [p for k in kids for p in tree(k)]
def resident(pid):
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * PAGE
    except (OSError, IndexError, ValueError):
        return 0
def proportional(pid):
    # A page shared by a process and its fork counts half in each, so the sum over the tree
    # is the memory the tree holds; resident sizes would count the shared pages twice.
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resident(pid)
peak = 0
done = threading.Event()
def sample():
    # Reading PSS walks the page tables, which costs the measured processes time on two
    # cores: it is read at most every 0.25 s, and at once when resident memory passes the
    # highest it has been, where the peak is.
    global peak
    highest = last = 0
    while not done.wait(0.02):
        pids = tree(process.pid)
        rss = sum(resident(p) for p in pids)
        now = time.perf_counter()
        if rss > highest or now - last >= 0.25:
            peak = max(peak, sum(proportional(p) for p in pids))
            last = now
        highest = max(highest, rss * 1.02)
start = time.perf_counter()
process = subprocess.Popen(sys.argv[2:], cwd=sys.argv[1] or None, stdout=subprocess.PIPE,
                           stderr=subprocess.DEVNULL)
sampler = threading.Thread(target=sample, daemon=True)
sampler.start()
out = process.stdout.read()
_, status, usage = os.wait4(process.pid, 0)
wall = time.perf_counter() - start
done.set()
sampler.join()
print(json.dumps({"wall": wall, "cpu": usage.ru_utime + usage.ru_stime,
                  "peak_kib": peak // 1024 or usage.ru_maxrss,
                  "code": os.waitstatus_to_exitcode(status),
                  "stdout": out.decode("utf-8", "replace")}))
"""


def execute(command: Sequence[str], cwd: Path | None = None) -> Run:
    """Run ``command`` to its end and measure it: wall and CPU time (of every process it
    started too), and the peak of their resident memory together (Linux reports ru_maxrss
    in KiB)."""
    launcher = [sys.executable, "-c", _LAUNCHER, str(cwd or ""), *command]
    done = subprocess.run(launcher, env=_environment(), capture_output=True, check=True)
    result = json.loads(done.stdout)
    return Run(
        wall=result["wall"],
        cpu=result["cpu"],
        peak_mib=result["peak_kib"] / 1024,
        code=result["code"],
        stdout=result["stdout"],
    )


def pair(
    pair_: Pair,
    subject: Sequence[str],
    reference: Sequence[str],
    cwd: Path | None = None,
    warm_up: bool = False,
) -> tuple[list[Run], list[Run]]:
    """Measure ``subject`` and ``reference`` alternately ``pair_.runs`` times; fill ``pair_``."""
    if warm_up:
        execute(subject, cwd)
        execute(reference, cwd)
    ours: list[Run] = []
    theirs: list[Run] = []
    for _ in range(pair_.runs):
        ours.append(execute(subject, cwd))
        theirs.append(execute(reference, cwd))
    pair_.subject_wall = statistics.median(r.wall for r in ours)
    pair_.reference_wall = statistics.median(r.wall for r in theirs)
    pair_.subject_cpu = statistics.median(r.cpu for r in ours)
    pair_.reference_cpu = statistics.median(r.cpu for r in theirs)
    pair_.subject_peak_mib = max(r.peak_mib for r in ours)
    pair_.reference_peak_mib = max(r.peak_mib for r in theirs)
    print(
        f"{pair_.size:>5} {pair_.name:<28} {pair_.subject_wall:8.2f} s vs {pair_.reference_wall:8.2f} s"
        f"  ratio {pair_.ratio:5.2f}  peak {pair_.subject_peak_mib:6.0f} / {pair_.reference_peak_mib:6.0f} MiB",
        flush=True,
    )
    return ours, theirs


def _irr(*args: str) -> list[str]:
    return [str(BIN / "irr"), *args]


def _python(code: str) -> list[str]:
    return [sys.executable, "-c", code]


# -- the measurements ---------------------------------------------------------------------


def _validate_name(shape: str) -> str:
    return "validate" if shape == "default" else f"validate ({shape})"


def measure_validate(size: str, package: Generated, runs: int, shape: str = "default") -> Pair:
    rows = sum(package.rows.values())
    result = Pair(_validate_name(shape), size, rows, "irr validate", "frictionless validate", runs)
    result.shape = shape
    ours, theirs = pair(
        result,
        _irr("validate", str(package.datapackage)),
        [str(BIN / "frictionless"), "validate", str(package.datapackage / "datapackage.json")],
        warm_up=rows <= 100_000,
    )
    if any(r.code != 0 for r in ours):
        result.notes.append("irr validate did not find the clean package valid")
    if any(r.code != 0 for r in theirs):
        result.notes.append("frictionless validate did not find the clean package valid")
    return result


def check_findings(size: str, injected: Generated, shape: str = "default") -> dict[str, Any]:
    """Whether each report finds each injected error at its file and line."""
    irr_run = execute(_irr("validate", "--format", "json", str(injected.datapackage)))
    fl_run = execute(
        [
            str(BIN / "frictionless"),
            "validate",
            "--json",
            str(injected.datapackage / "datapackage.json"),
        ]
    )
    problems = json.loads(irr_run.stdout)
    report = json.loads(fl_run.stdout)
    fl_errors = [
        (task.get("name"), error.get("rowNumber"))
        for task in report.get("tasks", [])
        for error in task.get("errors", [])
    ]
    found: dict[str, Any] = {"size": size, "shape": shape, "irr": {}, "frictionless": {}}
    for error in injected.injected:
        found["irr"][error.kind] = any(
            p["file"].endswith(f"data/{error.table}.csv") and p["line"] == error.line
            for p in problems
        )
        found["frictionless"][error.kind] = (error.table, error.line) in fl_errors
    found["irr_problems"] = len(problems)
    found["frictionless_errors"] = len(fl_errors)
    found["irr_seconds"] = round(irr_run.wall, 2)
    found["frictionless_seconds"] = round(fl_run.wall, 2)
    print(
        f"{size:>5} {shape} findings irr {found['irr']} frictionless {found['frictionless']}",
        flush=True,
    )
    return found


def measure_fmt(size: str, package: Generated, runs: int) -> Pair:
    rows = sum(package.rows.values())
    result = Pair("fmt (nothing to do)", size, rows, "irr fmt", "irr validate", runs)
    ours, _ = pair(
        result, _irr("fmt"), _irr("validate", str(package.datapackage)), cwd=package.root
    )
    if not all("all data files are canonical" in r.stdout for r in ours):
        result.notes.append("irr fmt changed or refused files")
    return result


def _rewrote_generated(line: str) -> bool:
    """Whether a line of ``irr build`` says it wrote a file the generator wrote already."""
    written = line.removeprefix("wrote ").strip()
    return written == "datapackage/datapackage.json" or any(
        written == f"schemas/{table}.json" for table in TABLES
    )


def measure_build(size: str, package: Generated, runs: int) -> list[Pair]:
    """``irr build`` with nothing changed since the last build (what the build cache keeps
    is not computed again), and from scratch (``--no-cache``), each against validation."""
    rows = sum(package.rows.values())
    results = []
    for name, args, warm_up in (
        ("build (nothing changed)", ["build"], True),
        ("build (from scratch)", ["build", "--no-cache"], False),
    ):
        command = _irr(*args)
        result = Pair(name, size, rows, " ".join(["irr", *args]), "irr validate", runs)
        # The first build fills in the README's counts and writes CITATION.cff, and the
        # warm-up run fills the cache; every build compares what it would write.
        validate = _irr("validate", str(package.datapackage))
        ours, _ = pair(result, command, validate, cwd=package.root, warm_up=warm_up)
        if any(r.code != 0 for r in ours):
            result.notes.append("irr build failed")
        elif any(_rewrote_generated(line) for r in ours for line in r.stdout.splitlines()):
            result.notes.append("irr build rewrote the table schemas or the descriptor")
        results.append(result)
    return results


def measure_import(runs: int) -> list[Pair]:
    subject = _python("import india_russia_relations")
    bare = Pair(
        "import", "-", 0, "import india_russia_relations", "from pydantic import BaseModel", runs
    )
    pair(bare, subject, _python("from pydantic import BaseModel"), warm_up=True)
    one_model = Pair(
        "import",
        "-",
        0,
        "import india_russia_relations",
        "from pydantic import BaseModel + one model (defer_build)",
        runs,
    )
    pair(
        one_model,
        subject,
        _python(
            "from pydantic import BaseModel, ConfigDict\n"
            "class A(BaseModel):\n    model_config = ConfigDict(defer_build=True)\n    x: int"
        ),
    )
    return [bare, one_model]


_TIMED = (
    "import sys, time\n"
    "start = time.perf_counter()\n"
    "{setup}\n"
    "ready = time.perf_counter()\n"
    "result = {call}\n"
    "done = time.perf_counter()\n"
    "print(len(result), done - ready)\n"
)


def _timed(setup: str, call: str) -> list[str]:
    return _python(_TIMED.format(setup=setup, call=call))


def measure_loaders(size: str, package: Generated, runs: int) -> list[Pair]:
    results = []
    where = str(package.datapackage)
    for table in LOADED_TABLES:
        path = str(package.datapackage / "data" / f"{table}.csv")
        reference = _timed("import pyarrow.csv", f"pyarrow.csv.read_csv({path!r})")
        for name, setup, call in (
            (
                "records",
                "import india_russia_relations as irr",
                f"irr.records({table!r}, package={where!r})",
            ),
            (
                "load",
                "import india_russia_relations as irr, pandas, pyarrow",
                f"irr.load({table!r}, package={where!r})",
            ),
        ):
            result = Pair(
                f"{name}({table!r})",
                size,
                package.rows[table],
                f"irr.{name}",
                "pyarrow.csv.read_csv",
                runs,
            )
            ours, theirs = pair(result, _timed(setup, call), reference, warm_up=True)
            counts = {r.stdout.split()[0] for r in ours + theirs if r.code == 0}
            if len(counts) != 1 or any(r.code != 0 for r in ours + theirs):
                result.notes.append(f"row counts or exits differ: {sorted(counts)}")
            result.subject_call = statistics.median(float(r.stdout.split()[1]) for r in ours)
            result.reference_call = statistics.median(float(r.stdout.split()[1]) for r in theirs)
            results.append(result)
    return results


# -- the report ---------------------------------------------------------------------------


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.is_file():
        kib = int(meminfo.read_text().split()[1])
        memory = f"{kib / 1024 / 1024:.0f} GiB"
    return {
        "date": dt.date.today().isoformat(),
        "cpu": model or platform.processor(),
        "cores": os.cpu_count(),
        "memory": memory,
        "system": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "load_average": os.getloadavg() if hasattr(os, "getloadavg") else None,
        "versions": {
            name: _version(name)
            for name in (
                "india-russia-relations",
                "pydantic",
                "pydantic-core",
                "frictionless",
                "pyarrow",
                "pandas",
            )
        },
    }


def _evaluate(pairs: list[Pair], findings: list[dict[str, Any]]) -> None:
    """Mark the pairs the issue sets a target for, and whether this run meets it."""
    by_size = {(f["size"], f.get("shape", "default")): f for f in findings}
    for p in pairs:
        if p.name == _validate_name(p.shape) and p.size == "1M":
            p.target = "ratio ≤ 0.2, peak < 500 MiB, same findings"
            found = by_size.get(("1M", p.shape))
            same = (
                found is not None
                and all(found["irr"][k] for k in found["irr"])
                and all(found["frictionless"][k] <= found["irr"][k] for k in found["frictionless"])
            )
            p.met = p.ratio <= 0.2 and p.subject_peak_mib < 500 and same
        elif p.name.startswith("fmt") and p.size == "100k":
            p.target, p.met = "ratio ≤ 1.2", p.ratio <= 1.2
        elif p.name == "build (nothing changed)" and p.size == "100k":
            p.target, p.met = "ratio ≤ 0.5", p.ratio <= 0.5
        elif p.name == "import" and p.reference == "from pydantic import BaseModel":
            p.target, p.met = "ratio ≤ 1.2", p.ratio <= 1.2
        elif p.name.startswith("records") and p.size == "1M":
            p.target, p.met = "ratio ≤ 7", p.ratio <= 7
        elif p.name.startswith("load") and p.size == "1M":
            p.target, p.met = "ratio ≤ 3", p.ratio <= 3


def _row(p: Pair) -> str:
    met = "" if p.met is None else ("yes" if p.met else "**no**")
    call = ""
    if p.subject_call is not None and p.reference_call is not None:
        call = f" (call alone {p.subject_call:.2f} s / {p.reference_call:.2f} s = {p.subject_call / p.reference_call:.1f})"
    notes = f" {'; '.join(p.notes)}" if p.notes else ""
    return (
        f"| {p.name} | {p.size} | {f'{p.rows:,}' if p.rows else '-'} | `{p.subject}` vs `{p.reference}` "
        f"| {p.subject_wall:.2f} s | {p.reference_wall:.2f} s | {p.ratio:.2f}{call} "
        f"| {p.subject_cpu / p.reference_cpu:.2f} "
        f"| {p.subject_peak_mib:,.0f} / {p.reference_peak_mib:,.0f} MiB | {p.target} | {met}{notes} |"
    )


START = "<!-- benchmarks/run.py: generated, do not edit -->\n"
END = "<!-- end of benchmarks/run.py -->\n"


def with_section(readme: str, section: str) -> str:
    """``readme`` with this harness's section replaced (or put first), the rest kept."""
    start, end = readme.find(START), readme.find(END)
    body = START + section.rstrip("\n") + "\n" + END
    if start >= 0 and end > start:
        return readme[:start] + body + readme[end + len(END) :]
    title = "# Benchmarks\n"
    rest = readme.removeprefix(title).lstrip("\n")
    return title + "\n" + body + ("\n" + rest if rest else "")


def _load(values: Sequence[float] | None) -> str:
    return ", ".join(f"{v:.2f}" for v in values) if values else "unknown"


def _linearity(pairs: list[Pair]) -> str:
    validated = {p.rows: p.subject_wall for p in pairs if p.name == "validate"}
    points = [(rows, seconds) for rows, seconds in sorted(validated.items()) if rows >= 10_000]
    if len(points) < 2:
        return ""
    per_row = [(rows, seconds / rows * 1e6) for rows, seconds in points]
    spread = max(u for _, u in per_row) / min(u for _, u in per_row) - 1
    text = ", ".join(f"{rows:,} rows: {us:.1f} µs" for rows, us in per_row)
    line = (
        f"`irr validate` time per row (whole process, start-up included): {text}; "
        f"the largest is {spread:.0%} above the smallest (target: within 20%)."
    )
    if 1_000 in validated:  # the cost of rows beyond the smallest package's fixed cost
        base = validated[1_000]
        more = [(rows, (seconds - base) / (rows - 1_000) * 1e6) for rows, seconds in points]
        extra = max(u for _, u in more) / min(u for _, u in more) - 1
        shown = ", ".join(f"{rows:,} rows: {us:.1f} µs" for rows, us in more)
        line += (
            f" Net of the 1k package's time ({base:.2f} s: start-up, imports, the descriptor),"
            f" per further row: {shown}; the largest is {extra:.0%} above the smallest."
        )
    return line


def write_readme(
    info: dict[str, Any],
    pairs: list[Pair],
    findings: list[dict[str, Any]],
    seconds: float,
    sizes: list[str],
) -> str:
    versions = ", ".join(f"{k} {v}" for k, v in info["versions"].items())
    load = info["load_average"]
    lines = [
        "`python benchmarks/run.py` measures everything in this section and rewrites it;",
        "`--sizes 1k 10k` runs a subset, `--runs N` sets the runs per pair (default: 5 at 1k",
        "and 10k, 3 at 100k, 1 at 1M; at least 5 for the loaders, 30 for the import),",
        "`--skip build fmt` leaves",
        "measurements out, `--shapes few-sources` picks the shapes that `irr validate` is",
        "measured on, `--keep DIR` keeps the generated",
        f"packages. This run ({', '.join(sizes)}) took {seconds / 60:.0f} min on the machine below.",
        "",
        "Packages are generated by `benchmarks/generate.py` from a seed (see its docstring):",
        "the real schema, realistic ids, partial dates, vocabularies, resolving keys and quotes",
        "found in generated source texts; rows count all tables together. Two shapes: `default`",
        "(one source per 5,000 rows, every quote distinct), on which everything is measured, and",
        "`few-sources` (`validate (few-sources)`: five sources of 13 to 20 KB, each cited about",
        "130,000 times at 1M rows, each distinct quote about 1,500 times, summaries two to three",
        "times longer), on which `irr validate` is. Every figure is a",
        "whole process (Python start-up included), paired with its reference in the same run",
        "(the two alternate), as the median of the runs, with the peak memory of the process and",
        "of any it starts, together (their proportional set sizes, so that pages a forked",
        "process shares with its parent count once; sampled every 20 ms; `irr validate` of a",
        "package with at least 8 MiB of citations looks quotes up in a second process, whose",
        "CPU time counts too). Bytecode is cached as in an installed package. The loaders also",
        "print the time of the call alone, measured inside the process. Nothing here is",
        "asserted by tests.",
        "",
        f"Measured on {info['date']}: {info['cpu']}, {info['cores']} cores, {info['memory']},",
        f"{info['system']}, Python {info['python']}; {versions}.",
        f"Load average (1, 5, 15 min) when the run began: {_load(load)}; when it ended:"
        f" {_load(info.get('load_average_end'))}. The machine was shared, so wall times carry noise; the",
        "CPU ratio (user + system seconds of each process) is less sensitive to it. Ratios are",
        "subject / reference: below 1 the subject is faster. Targets are the issue's.",
        "",
        "| measurement | size | rows | subject vs reference | subject | reference | ratio "
        "| CPU ratio | peak memory | target | met |",
        "| --- | --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | --- | --- |",
        *(_row(p) for p in pairs),
        "",
    ]
    linear = _linearity(pairs)
    if linear:
        lines += [linear, ""]
    if findings:
        lines += [
            "Injected errors (a dangling key, a bad date, a duplicate id and a dangling",
            "`citations.record_id`), found at their file and line:",
            "",
            "| size | shape | irr validate | frictionless validate |",
            "| --- | --- | --- | --- |",
        ]
        for f in findings:
            ours = ", ".join(f"{k} {'yes' if v else 'NO'}" for k, v in f["irr"].items())
            theirs = ", ".join(f"{k} {'yes' if v else 'no'}" for k, v in f["frictionless"].items())
            lines.append(f"| {f['size']} | {f.get('shape', 'default')} | {ours} | {theirs} |")
        lines += [
            "",
            "frictionless cannot see the dangling `record_id`: the standard has no foreign key",
            "into several tables.",
            "",
        ]
    return "\n".join(lines)


def _generate(out: Path, rows: int, seed: int, inject: bool, shape: str = "default") -> Generated:
    """Generate in a child process, so that this one stays small (see ``_LAUNCHER``)."""
    code = (
        "import json, sys; from dataclasses import asdict; from pathlib import Path\n"
        f"sys.path.insert(0, {str(HERE)!r}); from generate import generate\n"
        f"g = generate(Path({str(out)!r}), {rows}, {seed}, {inject}, {shape!r})\n"
        "print(json.dumps({'rows': g.rows, 'injected': [asdict(i) for i in g.injected]}))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, check=True)
    result = json.loads(done.stdout)
    return Generated(out, result["rows"], [Injected(**i) for i in result["injected"]])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", nargs="+", choices=list(SIZES), default=list(SIZES))
    parser.add_argument("--runs", type=int, help="runs per pair at every size")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--shapes",
        nargs="+",
        choices=SHAPES,
        default=list(SHAPES),
        help="the shapes irr validate is measured on (the rest: the default shape's only)",
    )
    parser.add_argument("--keep", type=Path, help="generate the packages here and keep them")
    parser.add_argument("--readme", type=Path, default=HERE / "README.md")
    parser.add_argument(
        "--skip",
        nargs="+",
        default=[],
        choices=["import", "validate", "fmt", "build", "loaders"],
        help="measurements to leave out",
    )
    parser.add_argument(
        "--report-only",
        action="store_true",
        help="rewrite the README section from benchmarks/results.json without measuring",
    )
    args = parser.parse_args(argv)
    if args.report_only:
        saved = json.loads((args.readme.parent / "results.json").read_text("utf-8"))
        fields = set(Pair.__dataclass_fields__)
        pairs_ = [Pair(**{k: v for k, v in p.items() if k in fields}) for p in saved["pairs"]]
        sizes = sorted({p.size for p in pairs_ if p.size in SIZES}, key=list(SIZES).index)
        old = args.readme.read_text("utf-8") if args.readme.is_file() else ""
        section = write_readme(saved["machine"], pairs_, saved["findings"], saved["seconds"], sizes)
        write_atomic(args.readme, with_section(old, section).encode("utf-8"))
        return 0
    began = time.perf_counter()
    info = machine()
    pairs: list[Pair] = []
    findings: list[dict[str, Any]] = []
    work = args.keep or Path(tempfile.mkdtemp(prefix="irr-bench-"))
    try:
        if "import" not in args.skip:
            pairs += measure_import(args.runs or IMPORT_RUNS)
        for size in args.sizes:
            runs = args.runs or RUNS[size]
            package = _generate(work / size, SIZES[size], args.seed, inject=False)
            for shape in args.shapes if "validate" not in args.skip else ():
                measured = package
                if shape != "default":
                    measured = _generate(
                        work / f"{size}-{shape}", SIZES[size], args.seed, False, shape
                    )
                pairs.append(measure_validate(size, measured, runs, shape))
                if measured is not package and args.keep is None:
                    shutil.rmtree(measured.root)
                injected = _generate(
                    work / f"{size}-{shape}-injected", SIZES[size], args.seed, True, shape
                )
                findings.append(check_findings(size, injected, shape))
                shutil.rmtree(injected.root)
            if "fmt" not in args.skip:
                pairs.append(measure_fmt(size, package, runs))
            if "build" not in args.skip:
                pairs += measure_build(size, package, runs)
            if "loaders" not in args.skip:
                pairs += measure_loaders(size, package, max(runs, LOADER_RUNS))
            if args.keep is None:
                shutil.rmtree(package.root)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    _evaluate(pairs, findings)
    seconds = time.perf_counter() - began
    info["load_average_end"] = os.getloadavg() if hasattr(os, "getloadavg") else None
    old = args.readme.read_text("utf-8") if args.readme.is_file() else ""
    section = write_readme(info, pairs, findings, seconds, args.sizes)
    write_atomic(args.readme, with_section(old, section).encode("utf-8"))
    results = {
        "machine": info,
        "seconds": round(seconds),
        "pairs": [asdict(p) | {"ratio": p.ratio} for p in pairs],
        "findings": findings,
    }
    write_atomic(
        args.readme.parent / "results.json",
        (json.dumps(results, indent=2, ensure_ascii=False) + "\n").encode("utf-8"),
    )
    print(f"wrote {args.readme} in {seconds:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
