"""Time `irr quote`'s matcher on the largest source text, and check where its suggestions land.
Run: python benchmarks/bench_quote.py [--runs N] [--matches-only]

Every committed citation of the source becomes a query twice over, each time slightly
wrong, as a contributor types it: once with one word dropped from the middle, once with
straight apostrophes and quotes for curly ones and in lower case. For each query it times
the exact search (which misses) and the closest-passage search, and counts a hit when the
best passage overlaps the place the real quote comes from. It also times the whole command
(Python start-up included) in fresh processes. Timings describe this machine only; they
are never asserted by the tests.

Then it runs the whole command, each time in a fresh process over a copy of the package
whose source text is replaced, on texts shaped to be hard: 5,000, 10,000 and 20,000
matches of the words sought in a 0.8 MB text, a common word matching about 360,000 times
in a 22 MB text, and a 300-word near miss (one word changed) in that 22 MB text, giving
its time and peak memory (the process's maximum resident set). ``--matches-only`` runs
this part alone.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from india_russia_relations.checks.provenance import spans
from india_russia_relations.io.tables import read_table
from india_russia_relations.publish.quote import closest, occurrences
from india_russia_relations.schema.models import Citation, Source

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "datapackage"


def _drop_a_word(quote: str) -> str:
    words = quote.split()
    return " ".join(words[: len(words) // 2] + words[len(words) // 2 + 1 :])


def _straight_lower(quote: str) -> str:
    return quote.translate(str.maketrans("’‘“”", "''\"\"")).lower()


def _seconds(call: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


PHRASE = "Indo-Soviet treaty"
"""The words sought in the texts of many matches."""
MATCH_TEXT_BYTES = 800_000
LARGE_TEXT_BYTES = 22_000_000
CASE_TIMEOUT = 300.0
"""Seconds after which a case is stopped and reported as such (``--timeout``)."""


def _archived_words() -> str:
    """Every archived text, one after another."""
    return "\n\n".join(p.read_text("utf-8") for p in sorted((PACKAGE / "sources").glob("*.txt")))


def _text_of_matches(matches: int) -> str:
    """A text of ``MATCH_TEXT_BYTES`` holding ``PHRASE`` ``matches`` times, between words of
    the archived texts."""
    words = _archived_words()
    gap = MATCH_TEXT_BYTES // matches - len(PHRASE) - 2
    filler = (words * (gap * matches // len(words) + 2)).encode("ascii", "ignore").decode()
    return "".join(f"{PHRASE} {filler[at * gap : (at + 1) * gap]}\n" for at in range(matches))


def _large_text() -> str:
    """The archived texts repeated to ``LARGE_TEXT_BYTES``."""
    words = _archived_words()
    return words * (LARGE_TEXT_BYTES // len(words.encode()) + 1)


def _near_miss() -> str:
    """300 words of an archived text with the middle one changed: found nowhere as written."""
    words = (PACKAGE / "sources" / "fdi-paper.txt").read_text("utf-8").split()[200:500]
    words[150] = "zqxwv"
    return " ".join(words)


def _run_quote(text: str, words: str, timeout: float) -> tuple[float, int, int] | None:
    """Seconds, peak resident memory (bytes) and exit code of ``irr quote`` for ``words`` in a
    package whose source ``fdi-paper`` is ``text``; None when it ran out of time."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        shutil.copytree(PACKAGE, root / "datapackage")
        shutil.copy(REPO / "pyproject.toml", root)
        (root / "datapackage" / "sources" / "fdi-paper.txt").write_text(text, "utf-8")
        command = [sys.executable, "-m", "india_russia_relations", "quote", "fdi-paper", words]
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=root, stdout=subprocess.DEVNULL)
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                took = time.perf_counter() - start
                process.returncode = os.waitstatus_to_exitcode(status)
                return took, usage.ru_maxrss * 1024, process.returncode
            if time.perf_counter() > deadline:
                process.kill()
                process.wait()
                return None
            time.sleep(0.02)


def matches_table(timeout: float = CASE_TIMEOUT) -> None:
    """The whole command on texts of many matches and on a near miss in a large text."""
    print()
    print("| case | text | matches | exit | time | peak memory |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    large = _large_text()
    cases = [
        *((f"{n:,} matches", _text_of_matches(n), PHRASE) for n in (5_000, 10_000, 20_000)),
        ("a common word", large, "the"),
        ("300-word near miss", large, _near_miss()),
    ]
    for name, text, words in cases:
        found = len(text.split(words)) - 1 if words != "the" else text.split().count("the")
        if name.endswith("near miss"):
            found = 0
        result = _run_quote(text, words, timeout)
        size = f"{len(text.encode()) / 1e6:.1f} MB"
        if result is None:
            print(f"| {name} | {size} | {found:,} | - | over {timeout:.0f} s (stopped) | - |")
            continue
        took, peak, code = result
        print(f"| {name} | {size} | {found:,} | {code} | {took:.2f} s | {peak / 2**20:.0f} MiB |")


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__)
    options.add_argument("--runs", type=int, default=5, help="runs per timing (median)")
    options.add_argument(
        "--matches-only", action="store_true", help="only the texts of many matches"
    )
    options.add_argument(
        "--timeout", type=float, default=CASE_TIMEOUT, help="seconds before a case is stopped"
    )
    parsed = options.parse_args()
    if parsed.matches_only:
        matches_table(parsed.timeout)
        return
    runs = parsed.runs
    sources: list[Source] = read_table(PACKAGE, "sources")  # type: ignore[assignment]
    largest = max(sources, key=lambda s: (PACKAGE / s.path).stat().st_size)
    text = (PACKAGE / largest.path).read_text("utf-8")
    citations: list[Citation] = read_table(PACKAGE, "citations")  # type: ignore[assignment]
    quotes = sorted({c.quote for c in citations if c.source_id == largest.id})
    print(
        f"source {largest.id}: {len(text.encode())} bytes, {len(text.split())} words; "
        f"{len(quotes)} distinct quotes, median of {runs} runs each"
    )
    print()
    print(
        "| query | queries | exact search | closest, median | closest, slowest | best passage at the quote |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for name, change in (
        ("one word dropped", _drop_a_word),
        ("straight quotes, lower case", _straight_lower),
    ):
        queries = [(change(q), spans(q, text)) for q in quotes if len(q.split()) > 2]
        queries = [(query, places) for query, places in queries if not spans(query, text)]
        exact = [_seconds(lambda q=query: occurrences(text, q), runs) for query, _ in queries]
        near = [_seconds(lambda q=query: closest(text, q), runs) for query, _ in queries]
        hits = 0
        for query, places in queries:
            best = closest(text, query)[0]
            hits += any(best.start < end and start < best.end for start, end in places)
        print(
            f"| {name} | {len(queries)} | {statistics.median(exact) * 1000:.2f} ms "
            f"| {statistics.median(near) * 1000:.1f} ms | {max(near) * 1000:.1f} ms "
            f"| {hits} of {len(queries)} |"
        )
    query = _drop_a_word(max(quotes, key=len))
    command = [sys.executable, "-m", "india_russia_relations", "quote", largest.id, query]
    whole = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, cwd=REPO, capture_output=True, check=False)
        whole.append(time.perf_counter() - start)
    print()
    print(
        f"whole command, the longest quote ({len(query)} characters) with a word dropped: "
        f"{statistics.median(whole):.2f} s"
    )
    matches_table(parsed.timeout)


if __name__ == "__main__":
    main()
