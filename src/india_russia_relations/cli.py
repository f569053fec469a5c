"""The ``irr`` command: validate, format, build and summarize the data package."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from .errors import DataError, IrrError
from .load import package_dir
from .problems import Problem, to_json
from .schema.descriptor import DESCRIPTOR

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def find_checkout(start: Path | None = None) -> Path | None:
    """The repository root above ``start`` (a folder with pyproject.toml and datapackage/)."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "pyproject.toml").is_file() and (folder / "datapackage" / "data").is_dir():
            return folder
    return None


def _display(path: Path) -> str:
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return str(path) if relative.startswith("..") else relative


def _print_problems(problems: Sequence[Problem], fmt: str) -> None:
    if fmt == "json":
        print(to_json(list(problems)))
    elif fmt == "github":
        for problem in problems:
            print(problem.as_github())
    else:
        for problem in problems:
            print(problem)


def _summary(problems: Sequence[Problem]) -> str:
    files = len({p.file for p in problems})
    noun = "problem" if len(problems) == 1 else "problems"
    return f"{len(problems)} {noun} in {files} file{'s' if files != 1 else ''}"


def _resolve(path: str | None, command: str) -> tuple[Path, str] | None:
    """The package directory to read and how to show it: PATH, this checkout's, or the installed."""
    if path is not None:
        given = Path(path)
        root = given.parent if given.name == DESCRIPTOR else given
        if not (root / DESCRIPTOR).is_file() and not (root / "data").is_dir():
            print(
                f"irr {command}: no data package at {path} (expected {DESCRIPTOR})", file=sys.stderr
            )
            return None
        return root, str(root)
    checkout = find_checkout()
    if checkout is not None:
        root = checkout / "datapackage"
    else:
        try:
            root = package_dir()
        except DataError as err:
            print(f"irr {command}: {err}", file=sys.stderr)
            return None
    return root, _display(root)


def _cmd_validate(args: argparse.Namespace) -> int:
    from .checks.validate import validate

    resolved = _resolve(args.path, "validate")
    if resolved is None:
        return EXIT_USAGE
    root, display = resolved
    report = validate(root, display=display)
    _print_problems(report.problems, args.format)
    if args.format != "json":  # JSON output stays one parseable document
        if report.problems:
            print(f"invalid: {_summary(report.problems)}")
        else:
            rows = sum(len(r) for r in report.tables.values())
            print(
                f"valid: {display}: {rows} rows in {len(report.tables)} tables, "
                "every quote found in its source"
            )
    return EXIT_INVALID if report.problems else EXIT_OK


def _checkout_or_exit(command: str) -> Path | None:
    checkout = find_checkout()
    if checkout is None:
        print(
            f"irr {command}: run this inside a checkout of the repository "
            f"(no pyproject.toml with datapackage/ above {Path.cwd()})",
            file=sys.stderr,
        )
    return checkout


def _cmd_fmt(args: argparse.Namespace) -> int:
    from .publish.fmt import format_package

    checkout = _checkout_or_exit("fmt")
    if checkout is None:
        return EXIT_USAGE
    package = checkout / "datapackage"
    result = format_package(package, _display(package), check=args.check)
    _print_problems(result.problems, "text")
    for diff in result.diffs:
        print(diff, end="")
    verb = "would reformat" if args.check else "reformatted"
    for path in result.changed:
        print(f"{verb} {_display(path)}")
    if result.problems:
        print(f"irr fmt: {_summary(result.problems)} must be fixed by hand first")
        return EXIT_INVALID
    if args.check and result.changed:
        return EXIT_INVALID
    if not result.changed:
        print("all data files are canonical")
    return EXIT_OK


def _cmd_build(args: argparse.Namespace) -> int:
    from .publish.build import stale, write

    checkout = _checkout_or_exit("build")
    if checkout is None:
        return EXIT_USAGE
    try:
        if args.check:
            diffs = stale(checkout)
            for diff in diffs:
                print(diff, end="")
            if diffs:
                print(
                    f"irr build --check: {len(diffs)} generated file(s) are stale; run `irr build`"
                )
                return EXIT_INVALID
            print("generated files are up to date")
            return EXIT_OK
        for path in write(checkout):
            print(f"wrote {_display(path)}")
    except (DataError, OSError) as err:
        print(f"irr build: {err}; run `irr fmt` and `irr validate` first", file=sys.stderr)
        return EXIT_INVALID
    return EXIT_OK


def _cmd_stats(args: argparse.Namespace) -> int:
    from .reports.stats import compute, markdown

    def report(root: Path) -> tuple[object, str]:
        stats = compute(root)
        return stats.as_dict(), markdown(stats)

    return _report(args, report)


def _cmd_conflicts(args: argparse.Namespace) -> int:
    from .reports.conflicts import find, text

    def report(root: Path) -> tuple[object, str]:
        conflicts = find(root)
        return [c.as_dict() for c in conflicts], text(conflicts)

    return _report(args, report)


def _cmd_export(args: argparse.Namespace) -> int:
    from .publish.export import export

    resolved = _resolve(args.package, "export")
    if resolved is None:
        return EXIT_USAGE
    started = time.perf_counter()
    written = export(resolved[0], args.format, Path(args.out), force=args.force)
    took = time.perf_counter() - started
    for path in written:
        print(f"wrote {_display(path)} ({_size(path)})")
    print(f"exported {resolved[1]} as {args.format} in {took:.1f} s")
    return EXIT_OK


def _cmd_plot(args: argparse.Namespace) -> int:
    from .io.files import write_atomic
    from .publish.build import project_version
    from .publish.export.typemap import read_descriptor
    from .publish.plot import timeline_svg

    resolved = _resolve(args.package, "plot")
    if resolved is None:
        return EXIT_USAGE
    out = Path(args.out)
    if (out.exists() or out.is_symlink()) and not args.force:
        print(f"irr plot: {out} exists; pass --force to replace it", file=sys.stderr)
        return EXIT_INVALID
    checkout = find_checkout()
    version = (
        project_version(checkout)
        if checkout is not None and args.package is None
        else str(read_descriptor(resolved[0]).get("version", ""))
    )
    svg = timeline_svg(resolved[0], version)
    out.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(out, svg.encode("utf-8"))
    print(f"wrote {_display(out)} ({_size(out)})")
    return EXIT_OK


def _size(path: Path) -> str:
    size = sum(p.stat().st_size for p in path.rglob("*")) if path.is_dir() else path.stat().st_size
    return f"{size / 1024:.0f} KiB" if size >= 1024 else f"{size} bytes"


def _report(args: argparse.Namespace, make: Callable[[Path], tuple[object, str]]) -> int:
    """Print a read-only report on the package as text or JSON."""
    resolved = _resolve(args.path, args.command)
    if resolved is None:
        return EXIT_USAGE
    as_json, as_text = make(resolved[0])
    if args.format == "json":
        print(json.dumps(as_json, indent=2, ensure_ascii=False))
    else:
        print(as_text, end="")
    return EXIT_OK


def parser() -> argparse.ArgumentParser:
    """The command-line interface."""
    from . import __version__

    main = argparse.ArgumentParser(
        prog="irr", description="Validate, format and build the India–Russia relations dataset."
    )
    main.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = main.add_subparsers(dest="command", required=True)
    validate = commands.add_parser("validate", help="check a data package and list every problem")
    validate.add_argument(
        "path",
        nargs="?",
        help="package directory or its datapackage.json (default: this checkout's, else the installed one)",
    )
    validate.add_argument("--format", choices=["text", "json", "github"], default="text")
    validate.set_defaults(run=_cmd_validate)
    fmt = commands.add_parser("fmt", help="rewrite data files in canonical form")
    fmt.add_argument("--check", action="store_true", help="only report what would change")
    fmt.set_defaults(run=_cmd_fmt)
    build = commands.add_parser("build", help="regenerate schemas/ and datapackage.json")
    build.add_argument("--check", action="store_true", help="fail when generated files are stale")
    build.set_defaults(run=_cmd_build)
    for name, run, summary in (
        ("stats", _cmd_stats, "count records per table, decade and source"),
        ("conflicts", _cmd_conflicts, "list every record a source contradicts"),
    ):
        sub = commands.add_parser(name, help=summary)
        sub.add_argument("path", nargs="?", help="package directory or its datapackage.json")
        sub.add_argument("--format", choices=["text", "json"], default="text")
        sub.set_defaults(run=run)
    export = commands.add_parser(
        "export", help="write the package as SQLite, DuckDB, Parquet, JSON or xlsx, typed"
    )
    export.add_argument("out", metavar="OUT", help="the file (a directory for parquet) to write")
    export.add_argument(
        "--format", required=True, choices=["sqlite", "duckdb", "parquet", "json", "xlsx"]
    )
    export.add_argument("--force", action="store_true", help="replace OUT if it exists")
    export.add_argument(
        "--package",
        metavar="PATH",
        help="package directory or its datapackage.json (default: this checkout's, else the installed one)",
    )
    export.set_defaults(run=_cmd_export)
    plot = commands.add_parser("plot", help="draw a picture of the data (extra: plot)")
    plot.add_argument("what", choices=["timeline"], help="the picture to draw")
    plot.add_argument("out", metavar="OUT", help="the SVG file to write")
    plot.add_argument("--force", action="store_true", help="replace OUT if it exists")
    plot.add_argument("--package", metavar="PATH", help="package directory or its datapackage.json")
    plot.set_defaults(run=_cmd_plot)
    return main


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``irr`` and return its exit code."""
    args = parser().parse_args(argv)
    # Escape what the terminal cannot show (a lone surrogate in a file name) instead of failing.
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    try:
        return int(args.run(args))
    except BrokenPipeError:  # the reader stopped (`irr validate | head`): stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_INVALID
    except KeyboardInterrupt:
        return 130
    except IrrError as err:
        print(f"irr {args.command}: {err}", file=sys.stderr)
        return EXIT_INVALID
    except Exception as err:  # a bug: still no traceback for the user, but a report to file
        print(
            f"irr {args.command}: internal error {type(err).__name__}: {err}. "
            "This is a bug in irr; please report it with the command you ran.",
            file=sys.stderr,
        )
        return EXIT_INVALID


if __name__ == "__main__":
    sys.exit(main())
