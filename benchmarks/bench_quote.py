"""Time `irr quote`'s matcher on the largest source text, and check where its suggestions land.
Run: python benchmarks/bench_quote.py [--runs N]

Every committed citation of the source becomes a query twice over, each time slightly
wrong, as a contributor types it: once with one word dropped from the middle, once with
straight apostrophes and quotes for curly ones and in lower case. For each query it times
the exact search (which misses) and the closest-passage search, and counts a hit when the
best passage overlaps the place the real quote comes from. It also times the whole command
(Python start-up included) in fresh processes. Timings describe this machine only; they
are never asserted by the tests.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
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


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__)
    options.add_argument("--runs", type=int, default=5, help="runs per timing (median)")
    runs = options.parse_args().runs
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


if __name__ == "__main__":
    main()
