"""Mutation testing of the date parser, the CSV reader and the key checks: what the tests kill.
Run: pip install -e ".[dev,mutation]" && python benchmarks/mutation.py [--max-children N]
[--release] [PATTERN...]

mutmut (configured in pyproject.toml, ``[tool.mutmut]``) makes each small change to the
modules it mutates (an operator swapped, a comparison flipped, a constant or string changed,
an argument dropped, a return replaced), runs the tests that reach the changed function and
records whether one of them fails. This script runs it from a clean ``mutants/`` with
hypothesis derandomized (the same examples every run, no deadlines, which mutated code would
miss) over the functions in ``SCOPE`` (or the mutant name patterns given), and prints, per
module and per function, how many mutants were killed. A mutant that makes the tests hang
counts as killed: mutmut's timeout stops it, as the per-test timeout would fail it.
``--results`` prints the table of the last run without running again; ``--survivors`` adds
each survivor's diff.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from collections import Counter, defaultdict
from fnmatch import fnmatch
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
_TABLES = "india_russia_relations.checks.tables."
SCOPE = (
    "india_russia_relations.schema.dates.*",
    "india_russia_relations.io.csvfile.*",
    # The key checks: ids across tables, references, duplicates, order, citations. The
    # header's checks and the wording of long lists are left out.
    _TABLES + "xǁKeysǁ*",
    _TABLES + "x_check_table__*",
    _TABLES + "xǁ_CitationCheckǁ*",
    _TABLES + "x__check_citation__*",
    _TABLES + "x__first_table__*",
)
_EXPORT = "india_russia_relations.publish.export.typemap."
RELEASE_SCOPE = (
    # What decides a release: the bump, the versions, the quote index, the export's number
    # types and the support the exports add. Of typemap.py, the number and cell functions;
    # the table and view definitions are what test_export.py checks by building exports.
    "india_russia_relations.publish.versions.*",
    _EXPORT + "x_number__*",
    _EXPORT + "x_integer_bits__*",
    _EXPORT + "x_decimal_type__*",
    _EXPORT + "x_cell__*",
    _EXPORT + "x_rows__*",
    _EXPORT + "x_is_computed__*",
    "india_russia_relations.reports.support.*",
    "india_russia_relations.checks.provenance.*",
    "india_russia_relations.publish.diff.*",
)
KILLED = {"killed", "timeout", "segfault", "caught by type check"}
_NAME = re.compile(r"^(?P<module>[\w.]+?)\.x(?:ǁ(?P<cls>\w+)ǁ|_)(?P<function>\w+?)__mutmut_\d+$")


def _mutmut(*args: str) -> str:
    # mutmut finds its configuration, and writes mutants/, in the working directory.
    done = subprocess.run(
        [sys.executable, "-m", "mutmut", *args],
        cwd=REPO,
        env={**os.environ, "HYPOTHESIS_PROFILE": "mutation"},
        text=True,
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        sys.exit(f"mutmut {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def results(scope: list[str]) -> dict[str, str]:
    """The name and status in the last run of every mutant that ``scope`` matches."""
    found = {}
    for line in _mutmut("results", "--all", "true").splitlines():
        name, sep, status = line.strip().rpartition(": ")
        if sep and "__mutmut_" in name and any(fnmatch(name, p) for p in scope):
            found[name] = status
    return found


def _where(name: str) -> tuple[str, str]:
    match = _NAME.match(name)
    if match is None:
        return name, "?"
    function = match["function"]
    if match["cls"]:
        function = f"{match['cls']}.{function}"
    return match["module"].removeprefix("india_russia_relations."), function


def _score(statuses: Counter[str]) -> str:
    total = sum(statuses.values())
    killed = sum(n for s, n in statuses.items() if s in KILLED)
    return f"{killed} / {total} ({100 * killed / total:.1f}%)" if total else "-"


def table(found: dict[str, str], by_function: bool) -> str:
    """Mutants killed per module (and per function), as a Markdown table."""
    modules: dict[str, Counter[str]] = defaultdict(Counter)
    functions: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for name, status in found.items():
        module, function = _where(name)
        modules[module][status] += 1
        functions[module, function][status] += 1
    lines = ["| module | killed | survived | no test reaches it |", "| --- | ---: | ---: | ---: |"]
    for module in sorted(modules):
        counts = modules[module]
        lines.append(
            f"| `{module}` | {_score(counts)} | {counts['survived']} | {counts['no tests']} |"
        )
        if by_function:
            for (owner, function), each in sorted(functions.items()):
                if owner == module:
                    lines.append(
                        f"| `{function}` | {_score(each)} | {each['survived']} | {each['no tests']} |"
                    )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-children", type=int, default=2, help="mutants tested at once")
    parser.add_argument(
        "--release", action="store_true", help="the release path's modules instead of SCOPE"
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep mutants/ (the results of earlier runs)"
    )
    parser.add_argument("--results", action="store_true", help="only print the last run's table")
    parser.add_argument("--functions", action="store_true", help="a row for every function")
    parser.add_argument("--survivors", action="store_true", help="show each survivor's diff")
    parser.add_argument(
        "patterns", nargs="*", help="mutant names (fnmatch) to run instead of SCOPE"
    )
    args = parser.parse_args()
    scope = args.patterns or list(RELEASE_SCOPE if args.release else SCOPE)
    if not args.results:
        if not args.keep:
            shutil.rmtree(REPO / "mutants", ignore_errors=True)
        _mutmut("run", "--max-children", str(args.max_children), *scope)
    found = results(scope)
    if not found:
        sys.exit("no mutants found: run without --results first")
    print(table(found, args.functions))
    survivors = sorted(n for n, s in found.items() if s not in KILLED)
    print(f"\n{len(survivors)} not killed:")
    for name in survivors:
        print(f"  {name}: {found[name]}")
        if args.survivors:
            print(_mutmut("show", name))
    return 0


if __name__ == "__main__":
    sys.exit(main())
