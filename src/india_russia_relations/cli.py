"""The ``irr`` command: validate, format, build and summarize the data package."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO, cast

from .errors import DataError, IrrError
from .load import package_dir
from .problems import Problem, inert, show, to_json, total
from .schema.columns import header
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
    """How many problems in how many files, those that a listed one sums up included."""
    files = len({p.file for p in problems})
    count = total(problems)
    noun = "problem" if count == 1 else "problems"
    return f"{count:,} {noun} in {files} file{'s' if files != 1 else ''}"


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
            rows = sum(report.rows.values())
            print(
                f"valid: {display}: {rows:,} rows in {len(report.rows)} tables, "
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
    result = format_package(package, _display(package), check=args.check)  # holds the lock
    _print_problems(result.problems, "text")
    for diff in result.diffs:
        print(diff, end="")
    verb = "would reformat" if args.check else "reformatted"
    for path in result.changed:
        print(f"{verb} {_display(path)}")
    if result.problems:
        files = len({p.file for p in result.problems})
        print(
            f"irr fmt: {_summary(result.problems)} must be fixed by hand first; "
            f"{'that file was' if files == 1 else 'those files were'} left untouched"
        )
    elif not result.changed:
        print("all data files are canonical")
    shown = set(result.problems)
    others = [p for p in result.remaining if p not in shown]
    if others:
        step = (
            "`irr build`, then `irr validate`"
            if result.changed and not args.check
            else "`irr validate`"
        )
        print(
            f"irr fmt: {_summary(others)} remain that irr fmt does not fix; run {step} to see them"
        )
    elif result.changed and not args.check:
        print("next: run `irr build`, then `irr validate`")
    if result.problems or (args.check and result.changed):
        return EXIT_INVALID
    return EXIT_OK


def _cmd_build(args: argparse.Namespace) -> int:
    from .io.lock import hold, package_lock

    checkout = _checkout_or_exit("build")
    if checkout is None:
        return EXIT_USAGE
    # A check waits for a writer too, as a reader, so that it never compares half of an
    # `irr add`; it runs unlocked where the lock cannot be taken (a read-only checkout).
    with hold(package_lock(checkout / "datapackage"), reading=args.check):
        return _build(args, checkout)


def _build(args: argparse.Namespace, checkout: Path) -> int:
    from .checks.checkout import CACHE_FOLDER, tracked_cache
    from .publish.build import stale, write

    try:
        if args.check:  # computes everything: the cache never decides (--no-cache is implied)
            tracked = tracked_cache(checkout, _display(checkout / CACHE_FOLDER))
            diffs = stale(checkout)
            for diff in diffs:
                print(diff, end="")
            for problem in tracked:
                print(problem)
            if diffs:
                print(
                    f"irr build --check: {len(diffs)} generated file(s) are stale; run `irr build`"
                )
            if diffs or tracked:
                return EXIT_INVALID
            print("generated files are up to date")
            return EXIT_OK
        for path in write(checkout, cached=not args.no_cache):
            print(f"wrote {_display(path)}")
    except DataError as err:
        print(f"irr build: {err}", file=sys.stderr)
        return EXIT_INVALID
    except OSError as err:
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
    written = export(
        resolved[0], args.format, Path(args.out), force=args.force, base_url=args.base_url
    )
    took = time.perf_counter() - started
    for path in written:
        print(f"wrote {_display(path)} ({_size(path)})")
    print(f"exported {resolved[1]} as {args.format} in {took:.1f} s")
    return EXIT_OK


def _cmd_plot(args: argparse.Namespace) -> int:
    from .io import outputs
    from .publish.build import project_version
    from .publish.export.typemap import read_descriptor
    from .publish.plot import FORMATS, timeline

    resolved = _resolve(args.package, "plot")
    if resolved is None:
        return EXIT_USAGE
    out = Path(args.out)
    outputs.check_file(out, args.force, example="timeline.svg")
    fmt = FORMATS.get(out.suffix.lower())
    if fmt is None:
        print(
            f"irr plot: {out}: the timeline is written as SVG or PNG; "
            f"name a file ending in {' or '.join(FORMATS)}",
            file=sys.stderr,
        )
        return EXIT_USAGE
    checkout = find_checkout()
    version = (
        project_version(checkout)
        if checkout is not None and args.package is None
        else str(read_descriptor(resolved[0]).get("version", ""))
    )
    with outputs.locked(out):
        outputs.check_file(out, args.force, example="timeline.svg")
        outputs.write_file(out, timeline(resolved[0], version, fmt=fmt))
    print(f"wrote {_display(out)} ({_size(out)})")
    return EXIT_OK


def _size(path: Path) -> str:
    size = sum(p.stat().st_size for p in path.rglob("*")) if path.is_dir() else path.stat().st_size
    return f"{size / 1024:.0f} KiB" if size >= 1024 else f"{size} bytes"


def _cmd_diff(args: argparse.Namespace) -> int:
    from contextlib import ExitStack

    from .publish import diffreport
    from .publish.diff import compare
    from .publish.revisions import resolve, working_tree
    from .publish.versions import Version, check_bump

    checkout = find_checkout()
    with ExitStack() as stack:
        old = resolve(args.old, checkout, stack)
        if args.new is None:
            try:
                installed = package_dir()
            except DataError:
                installed = Path()
            new = working_tree(checkout, installed)
        else:
            new = resolve(args.new, checkout, stack)
        diff = compare(old.snapshot, new.snapshot)
    versions = []
    for side, version in (("OLD", diff.old_version), ("NEW", diff.new_version)):
        try:
            versions.append(None if version is None else Version.parse(version))
        except ValueError as err:
            print(
                f"irr diff: {side} {diff.old if side == 'OLD' else diff.new}: {err}",
                file=sys.stderr,
            )
            return EXIT_INVALID
    check = check_bump(diff.bump, old.release, versions[0], versions[1])
    if args.format == "json":
        print(json.dumps(diffreport.as_json(diff, check), indent=2, ensure_ascii=False))
    elif args.format == "markdown":
        command = " ".join(["irr diff", args.old, *([args.new] if args.new else [])])
        print(diffreport.markdown(diff, check, command=command), end="")
    else:
        print(diffreport.text(diff, check, summary_only=args.summary), end="")
    if args.require_bump and not check.ok:
        print(f"irr diff --require-bump: {check.message()}", file=sys.stderr)
        return EXIT_INVALID
    return EXIT_OK


def _cmd_cite(args: argparse.Namespace) -> int:
    from .citation import cite

    print(cite(args.record_id, args.format), end="")
    return EXIT_OK


def _package_or_exit(args: argparse.Namespace) -> Path | None:
    resolved = _resolve(args.package, args.command)
    return None if resolved is None else resolved[0]


def _base_url(value: str) -> str:
    """``--base-url``: an absolute http(s) URL, or a usage error (exit 2) saying why not."""
    from .publish.annotations import unusable_base

    why = unusable_base(value)
    if why is not None:
        raise argparse.ArgumentTypeError(why)
    return value


def _cmd_site(args: argparse.Namespace) -> int:
    import time

    from .publish.site import build

    package = _package_or_exit(args)
    if package is None:
        return EXIT_USAGE
    checkout = find_checkout()
    timeline = checkout / "docs" / "timeline.svg" if checkout is not None else None
    started = time.perf_counter()
    built = build(
        package,
        Path(args.out),
        force=args.force,
        base_url=args.base_url,
        timeline=timeline if timeline is not None and timeline.is_file() else None,
    )
    took = time.perf_counter() - started
    print(
        f"wrote {_display(built.out)}: {built.pages} pages, {built.files} files, "
        f"{built.bytes / 1_000_000:.1f} MB in {took:.1f} s"
    )
    print(f"open {_display(built.out / 'index.html')} in a browser; it needs no server")
    return EXIT_OK


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


def _source_text(root: Path, source_id: str) -> tuple[str, str] | None:
    """The text of a source and how to show its path, or None (and a message) when there is none."""
    from .io.files import read_inside
    from .io.tables import read_table
    from .schema.models import Source

    sources: dict[str, Source] = {s.key()[0]: s for s in read_table(root, "sources")}  # type: ignore[misc]
    source = sources.get(source_id)
    if source is None:
        print(
            f"irr quote: {show(source_id)} is not a source; the sources are {', '.join(sorted(sources))}",
            file=sys.stderr,
        )
        return None
    relative = source.path
    data, why = read_inside(root, relative)
    if data is None:
        raise DataError(f"the text of source {source_id} cannot be used: {why}")
    try:
        return data.decode("utf-8"), _display(root / relative)
    except UnicodeDecodeError:
        raise DataError(f"{_display(root / relative)} is not UTF-8; run `irr validate`") from None


def _cmd_quote(args: argparse.Namespace) -> int:
    from .checks.provenance import normalize
    from .publish.quote import closest, count, occurrences

    if not normalize(args.words):
        print("irr quote: give the words to look for", file=sys.stderr)
        return EXIT_USAGE
    resolved = _resolve(None, "quote")
    if resolved is None:
        return EXIT_USAGE
    found = _source_text(resolved[0], args.source_id)
    if found is None:
        return EXIT_USAGE
    text, path = found
    # Without --all only the first is shown: the others are counted, not built.
    matches = count(text, args.words)
    if matches:
        for number, passage in enumerate(
            occurrences(text, args.words, None if args.all else 1), start=1
        ):
            more = ""
            if not args.all and matches > 1:
                more = f" (occurrence 1 of {matches}; --all lists every one)"
            elif matches > 1:
                more = f" (occurrence {number} of {matches})"
            print(f"{path}:{passage.lines()}: found{more}")
            print(f"quote: {passage.quote}")
            print(f"context: {passage.context}")
        return EXIT_OK
    passages = closest(text, args.words)
    if not text or text.isspace():
        why = "the text is empty"
    elif passages:
        why = "the closest passages:"
    else:
        why = "no passage of it shares a word with them"
    print(f"{show(normalize(args.words))} is not in {path} (only whitespace may differ); {why}")
    for passage in passages:
        print(f"{path}:{passage.lines()}: score {passage.score:.2f}")
        print(f"quote: {passage.quote}")
        print(f"context: {passage.context}")
    return EXIT_INVALID


def _cmd_add(args: argparse.Namespace) -> int:
    from .io.lock import hold, package_lock

    command = f"add {args.target}"
    checkout = _checkout_or_exit(command)
    if checkout is None:
        return EXIT_USAGE
    # What the change is planned from and what it writes are read and written under one
    # lock, so that a command run at the same time waits instead of losing this row.
    with hold(package_lock(checkout / "datapackage"), reading=args.dry_run):
        return _add(args, command, checkout)


def _add(args: argparse.Namespace, command: str, checkout: Path) -> int:
    from .publish.add import (
        BadArgumentsError,
        RefusedError,
        add_citation,
        add_record,
        add_source,
        apply,
        option_columns,
    )

    try:
        if args.target == "source":
            values = {c.name: getattr(args, f"set_{c.name}") for c in option_columns("sources")}
            change = add_source(checkout, Path(args.file), values)
        elif args.target == "citation":
            values = {c.name: getattr(args, f"set_{c.name}") for c in option_columns("citations")}
            change = add_citation(checkout, args.record_id, args.source_id, args.quote, values)
        else:
            change = add_record(checkout, args.target, args.set, getattr(args, "slug", None))
    except RefusedError as err:
        usage = isinstance(err, BadArgumentsError)
        print(
            f"irr {command}: {'bad arguments' if usage else 'refused'}; nothing written:",
            file=sys.stderr,
        )
        for reason in err.reasons:
            print(f"  {reason}", file=sys.stderr)
        return EXIT_USAGE if usage else EXIT_INVALID
    package = checkout / "datapackage"
    if args.dry_run:
        for would, _ in change.notes:
            print(would)
        for added in change.added:
            print(
                f"would add to {_display(package / 'data' / f'{added.table}.csv')}, line {added.line}:"
            )
            print(f"  {','.join(header(added.table))}")
            print(f"  {added.csv()}")
        print("nothing written (--dry-run)")
        return EXIT_OK
    written = apply(checkout, change)
    for _, done in change.notes:
        print(done)
    for added in change.added:
        print(f"added to {_display(package / 'data' / f'{added.table}.csv')}, line {added.line}:")
        print(f"  {added.csv()}")
    for path in written:
        print(f"wrote {_display(path)}")
    print(f"next: {change.next_step}")
    return EXIT_OK


def _cmd_template(args: argparse.Namespace) -> int:
    from .publish.add import template

    print(template(args.table), end="")
    return EXIT_OK


def _add_parsers(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``irr add source|citation|TABLE`` and ``irr template TABLE``, their options from the models."""
    from .publish.add import DEFAULTS, RECORD_TABLES, describe, id_rule, option, option_columns
    from .schema.models import MODELS

    add = commands.add_parser(
        "add", help="add a source, a citation or a record: checked, canonical, built"
    )
    targets = add.add_subparsers(dest="target", required=True, metavar="{source,citation,TABLE}")

    def options(sub: argparse.ArgumentParser, table: str, filled: dict[str, str]) -> None:
        """One option per column; required where the model requires it and nothing fills it."""
        defaults = {**DEFAULTS.get(table, {}), **filled}
        for column in option_columns(table):
            extra = f"; default: {defaults[column.name]}" if column.name in defaults else ""
            sub.add_argument(
                option(column.name),
                dest=f"set_{column.name}",
                metavar=column.name.upper(),
                choices=list(column.vocabulary) if column.vocabulary else None,
                required=column.required and column.name not in defaults,
                help=f"{column.description} ({describe(column)}{extra})",
            )
        sub.add_argument("--dry-run", action="store_true", help="show the rows, write nothing")
        sub.set_defaults(run=_cmd_add)

    source = targets.add_parser(
        "source", help="archive a text byte for byte as sources/ID.txt with its sources.csv row"
    )
    source.add_argument("file", metavar="FILE", help="the text, UTF-8, as received")
    options(source, "sources", {"original_filename": "FILE's name"})
    citation = targets.add_parser(
        "citation", help="cite a verbatim quote of a source for a record (the quote is checked)"
    )
    citation.add_argument("record_id", metavar="RECORD_ID")
    citation.add_argument("source_id", metavar="SOURCE_ID")
    citation.add_argument("quote", metavar="QUOTE", help="words of the source, verbatim")
    options(citation, "citations", {})
    for table in RECORD_TABLES:
        doc = (MODELS[table].__doc__ or table).splitlines()[0]
        fields = [c for c in option_columns(table) if c.name != "id"]
        sub = targets.add_parser(
            table,
            help=f"add a row: {doc[0].lower()}{doc[1:]}",
            description=f"Add a row to {table}.csv. "
            + (f"The id is {id_rule(table)}." if "id" in header(table) else "")
            + " Fields (--set FIELD=VALUE): "
            + "; ".join(
                f"{c.name}{'' if c.required else ' (optional)'}: {describe(c)}" for c in fields
            )
            + ". `irr template "
            + table
            + "` prints a command to fill in.",
        )
        sub.add_argument(
            "--set",
            action="append",
            default=[],
            metavar="FIELD=VALUE",
            help='a cell, in the CSV\'s own form (lists: items separated by ";"); see `irr template`',
        )
        if "id" in header(table):
            sub.add_argument("--slug", help="the free part of the id (see `irr template`)")
        sub.add_argument("--dry-run", action="store_true", help="show the row, write nothing")
        sub.set_defaults(run=_cmd_add)
    template = commands.add_parser(
        "template", help="print an irr add command to fill in, with every field described"
    )
    template.add_argument("table", choices=RECORD_TABLES, metavar="TABLE")
    template.set_defaults(run=_cmd_template)


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
    build.add_argument(
        "--no-cache",
        action="store_true",
        help="compute everything, without reading or writing .irr-cache/ (--check always does)",
    )
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
        "export",
        help="write the package as SQLite, DuckDB, Parquet, JSON or xlsx, typed, "
        "or its citations as W3C Web Annotations",
    )
    export.add_argument("out", metavar="OUT", help="the file (a directory for parquet) to write")
    export.add_argument(
        "--format",
        required=True,
        choices=["sqlite", "duckdb", "parquet", "json", "xlsx", "annotations"],
    )
    export.add_argument(
        "--force",
        action="store_true",
        help="replace OUT if it exists (parquet: only the files irr wrote there, keeping the rest)",
    )
    export.add_argument(
        "--base-url",
        metavar="URL",
        type=_base_url,
        help="annotations: where the site is published (an http:// or https:// URL), for "
        "absolute links (default: relative)",
    )
    export.add_argument(
        "--package",
        metavar="PATH",
        help="package directory or its datapackage.json (default: this checkout's, else the installed one)",
    )
    export.set_defaults(run=_cmd_export)
    plot = commands.add_parser("plot", help="draw a picture of the data (extra: plot)")
    plot.add_argument("what", choices=["timeline"], help="the picture to draw")
    plot.add_argument("out", metavar="OUT", help="the file to write: NAME.svg or NAME.png")
    plot.add_argument("--force", action="store_true", help="replace OUT if it exists")
    plot.add_argument("--package", metavar="PATH", help="package directory or its datapackage.json")
    plot.set_defaults(run=_cmd_plot)

    quote = commands.add_parser(
        "quote", help="find words in a source text: the exact quote to paste, or the closest"
    )
    quote.add_argument("source_id", metavar="SOURCE_ID")
    quote.add_argument("words", metavar="WORDS", help="the words to find (whitespace may differ)")
    quote.add_argument("--all", action="store_true", help="list every occurrence, not the first")
    quote.set_defaults(run=_cmd_quote)
    _add_parsers(commands)
    site = commands.add_parser(
        "site",
        help="write a static site: a page per record and source, quotes marked (extra: site)",
    )
    site.add_argument("out", metavar="OUT", help="the directory to write")
    site.add_argument(
        "--force",
        action="store_true",
        help="replace the files of an earlier site in OUT (its .irr-manifest.json names them), "
        "keeping everything else (.git, CNAME, your files)",
    )
    site.add_argument(
        "--base-url",
        metavar="URL",
        type=_base_url,
        help="where the site is published (an http:// or https:// URL), for absolute links "
        "in its metadata",
    )
    site.add_argument("--package", metavar="PATH", help="package directory or its datapackage.json")
    site.set_defaults(run=_cmd_site)
    diff = commands.add_parser(
        "diff", help="records, schema and texts changed between two versions, and the bump"
    )
    diff.add_argument(
        "old", metavar="OLD", help="package directory, git revision (v0.1.0, main) or 'empty'"
    )
    diff.add_argument(
        "new", metavar="NEW", nargs="?", help="the same kinds (default: the working tree)"
    )
    diff.add_argument("--format", choices=["text", "markdown", "json"], default="text")
    diff.add_argument(
        "--summary", action="store_true", help="text: counts, schema and bump, no record lines"
    )
    diff.add_argument(
        "--require-bump",
        action="store_true",
        help="exit 1 when NEW's version is smaller than the change since the last release needs",
    )
    diff.set_defaults(run=_cmd_diff)
    cite = commands.add_parser(
        "cite", help="how to cite this version, and the sources behind a record"
    )
    cite.add_argument("record_id", metavar="RECORD_ID", nargs="?", help="a record's id")
    cite.add_argument("--format", choices=["text", "bibtex", "csl-json"], default="text")
    cite.set_defaults(run=_cmd_cite)
    return main


class _Inert:
    """A text stream that writes control characters escaped (``problems.inert``): whatever
    irr echoes, from a file or an argument, reaches the terminal as text, never as a command."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        return self._stream.write(inert(text))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``irr`` and return its exit code."""
    # Escape what the terminal cannot show (a lone surrogate in a file name) instead of failing.
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    streams = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = cast(TextIO, _Inert(sys.stdout)), cast(TextIO, _Inert(sys.stderr))
    try:
        return _main(argv)
    finally:
        sys.stdout, sys.stderr = streams


def _main(argv: Sequence[str] | None) -> int:
    args = parser().parse_args(argv)
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
