"""Reading and writing the canonical CSV form, streaming, with every row's physical line number.

Canonical: UTF-8 without BOM, LF line endings, a header row, comma delimiter, RFC 4180
minimal quoting and a final newline. The reader reports each departure from that form as
a located problem and keeps reading; it never raises on bad bytes. It reads a file in
chunks and keeps only the row being parsed, so its memory does not grow with the file, and
it costs time linear in the input whatever the bytes (a broken row is re-read at most once).
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from ..problems import Problem, Problems

BOM = b"\xef\xbb\xbf"
FIELD_LIMIT = 131_072
"""The longest cell the reader accepts, in characters (csv's default limit, far above any
column's maximum). Set for each read, since other libraries change csv's global limit."""
MAX_LINE = 4 * 1024 * 1024
"""The longest physical line of a CSV file that is read, in bytes; a longer one is reported."""


def canonical_row(cells: Sequence[str]) -> str:
    """One row in canonical form, newline included: what ``csv.writer`` writes for it.

    Built by joining the cells, which is several times faster than csv's writer; a row of one
    cell, or one holding a CR, goes through the writer, whose rules for those differ across
    Python versions.
    """
    if len(cells) != 1:
        row = ",".join(
            [
                f'"{cell.replace(chr(34), chr(34) * 2)}"'
                if '"' in cell or "," in cell or "\n" in cell
                else cell
                for cell in cells
            ]
        )
        if "\r" not in row:
            return row + "\n"
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(cells)
    return buffer.getvalue()


def write_rows(header: Sequence[str], rows: Iterable[Sequence[str]]) -> bytes:
    """A whole canonical CSV file."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


class Lines:
    """Decodes byte chunks into numbered text lines, reporting problems of encoding and line ends.

    ``fixer`` is the command that rewrites the file (``irr build`` for the descriptor). The
    SHA-256 and size of every byte read are kept, so a file is read once for all its checks.
    With ``max_line``, a longer line is reported and skipped, so memory stays bounded.
    ``read_runs`` gives each run of blank lines at once, so a flood of them costs no
    object per line.
    """

    def __init__(
        self,
        file: str,
        problems: list[Problem],
        fixer: str = "irr fmt",
        max_line: int | None = None,
    ) -> None:
        self.file = file
        self.problems = problems
        self.fixer = fixer
        self.max_line = max_line
        self.count = 0
        """Physical lines read so far."""
        self.size = 0
        self.hash = hashlib.sha256()
        self._cr_first = 0
        self._cr_count = 0
        self._lone_cr = False

    def read(self, chunks: Iterable[bytes]) -> Iterator[tuple[int, str]]:
        """Yield ``(line number, text)`` for each physical line, its ``\\n`` included."""
        return self._read(chunks, runs=False)  # type: ignore[return-value]

    def read_runs(self, chunks: Iterable[bytes]) -> Iterator[tuple[int, str | int]]:
        """As ``read``, but a run of blank lines (nothing but ``\\n``) is one item: the
        line number of its first line and, for text, how many lines it has."""
        return self._read(chunks, runs=True)

    def _read(self, chunks: Iterable[bytes], runs: bool) -> Iterator[tuple[int, str | int]]:
        first = True
        for block in self._blocks(chunks):
            if first:
                first = False
                if block.startswith(BOM):
                    self._problem(
                        1, f"starts with a byte order mark (BOM); run `{self.fixer}`", True
                    )
                    block = block[len(BOM) :]  # noqa: PLW2901
            yield from self._decode(block, runs)
        self._finish()

    def _blocks(self, chunks: Iterable[bytes]) -> Iterator[bytes]:
        """The bytes in runs of whole lines, each run ending with a newline."""
        pieces: list[bytes] = []  # the start of a line that has not ended yet
        held = 0
        overlong = False  # skipping the rest of a line over max_line
        limit = self.max_line
        for chunk in _sized(chunks):
            self.size += len(chunk)
            self.hash.update(chunk)
            cut = chunk.rfind(b"\n") + 1
            if cut:
                end = chunk.find(b"\n")  # of the line that began in an earlier chunk
                if overlong or (limit is not None and held + end > limit):
                    self._skip_overlong()
                    overlong = False
                    block = chunk[end + 1 : cut]
                else:
                    block = b"".join([*pieces, chunk[:cut]]) if pieces else chunk[:cut]
                tail = chunk[cut:]
                pieces, held = ([tail], len(tail)) if tail else ([], 0)
                if block:
                    yield block
            elif not overlong:
                pieces.append(chunk)
                held += len(chunk)
            if limit is not None and held > limit:
                overlong, pieces, held = True, [], 0
        if overlong:
            self._skip_overlong()
        elif pieces:
            yield b"".join([*pieces, b"\n"])
        if overlong or pieces:
            self._problem(self.count, f"has no final newline; run `{self.fixer}`", True)

    def _skip_overlong(self) -> None:
        self.count += 1
        self._problem(
            self.count,
            f"is longer than {self.max_line:,} bytes, far longer than any row can be; "
            "it is skipped: put each row on one line of its own",
        )

    def _decode(self, block: bytes, runs: bool = False) -> Iterator[tuple[int, str | int]]:
        """Every line of ``block``, which ends with a newline; with ``runs``, each run of
        blank lines as one item, their number."""
        try:
            text = block.decode("utf-8")
        except UnicodeDecodeError:
            text = ""
        if text and "\r" in text and "\x00" not in text:
            text = self._crlf(text)
        if text and "\x00" not in text and "\r" not in text:
            if runs and (text[0] == "\n" or "\n\n" in text):
                yield from self._runs(text)
                return
            yield from self._split(text)
            return
        for raw in block.split(b"\n")[:-1]:
            self.count += 1
            yield self.count, self._line(raw, self.count)

    def _crlf(self, text: str) -> str:
        """``text`` with each CRLF line ending made LF and counted, as ``_line`` would, when
        no CR stands alone; otherwise ``text`` as it is, to be read line by line."""
        endings = text.count("\r\n")
        if endings != text.count("\r"):
            return text
        first = self.count + 1 + text.count("\n", 0, text.find("\r"))
        self._cr_first = self._cr_first or first
        self._cr_count += endings
        return text.replace("\r\n", "\n")

    def _runs(self, text: str) -> Iterator[tuple[int, str | int]]:
        """The lines of ``text`` (plain lines ending with a newline), each run of blank lines
        as one item: found by searching the text, not line by line."""
        at, end = 0, len(text)
        while at < end:
            if text[at] == "\n":
                found = _NOT_NEWLINE.search(text, at)
                stop = found.start() if found else end
                yield self.count + 1, stop - at
                self.count += stop - at
            else:
                blank = text.find("\n\n", at)
                stop = end if blank < 0 else blank + 1
                yield from self._split(text[at:stop])
            at = stop

    def _split(self, text: str) -> Iterator[tuple[int, str]]:
        """The lines of ``text``, plain lines that end with a newline."""
        lines = text.splitlines(keepends=True)
        if len(lines) != text.count("\n"):
            # str.splitlines also splits on \x0b, \x1c, \u2028 ...: only LF ends a line here.
            lines = [line + "\n" for line in text.split("\n")[:-1]]
        start = self.count + 1
        self.count += len(lines)
        yield from zip(range(start, start + len(lines)), lines, strict=True)

    def _line(self, raw: bytes, number: int) -> str:
        """One line that is not plain UTF-8 text: report each bad byte, NUL and CR in it."""
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as err:
            self._problem(
                number,
                f"byte 0x{raw[err.start]:02x} at column {err.start + 1} is not UTF-8; "
                "save the file as UTF-8",
            )
            line = raw.decode("utf-8", errors="replace")
        if "\x00" in line:
            self._problem(number, "contains a NUL byte; remove it")
            line = line.replace("\x00", "")
        if "\r" in line:
            self._cr_first = self._cr_first or number
            self._cr_count += 1
            line = line.removesuffix("\r")
            self._lone_cr = self._lone_cr or "\r" in line
            # Keep physical line numbers: a lone CR is not a line break here.
            line = line.replace("\r", " ")
        return line + "\n"

    def _problem(self, line: int, message: str, fixable: bool = False) -> None:
        fixable = fixable and self.fixer == "irr fmt"
        self.problems.append(Problem(self.file, line, None, message, fixable))

    def _finish(self) -> None:
        if not self._cr_count:
            return
        more = f" (and {self._cr_count - 1:,} more lines)" if self._cr_count > 1 else ""
        if self._lone_cr:
            message = f"has a CR line ending or a CR inside a line{more}; use LF (\\n) only"
        else:
            message = f"has a CRLF line ending{more}; use LF (\\n) only: run `{self.fixer}`"
        self._problem(self._cr_first, message, not self._lone_cr)


@dataclass
class Reader:
    """Streams a CSV file's rows with their first physical line, reporting problems of form.

    Iterate ``rows()`` to the end before reading ``problems``: problems of the file's end
    (final newline, line endings) are known only then.
    """

    file: str
    problems: Problems = field(default_factory=Problems)
    broken: list[tuple[int, str]] = field(default_factory=list)
    """Rows that are not valid CSV: their line and first cell, as best it can be read."""
    header: list[str] | None = None
    lines: Lines = field(init=False)

    def __post_init__(self) -> None:
        self.lines = Lines(self.file, self.problems, max_line=MAX_LINE)

    def rows(self, chunks: Iterable[bytes]) -> Iterator[tuple[int, list[str]]]:
        """Read the header row into ``header`` now; return an iterator over the data rows."""
        records = self._records(self.lines.read_runs(chunks))
        first = next(records, None)
        if first is None:
            if self.lines.size == 0:
                self._problem(1, "is empty; it needs at least the header row")
            else:
                self._problem(1, "has no header row")
            return iter(())
        self.header = first[1]
        return records

    def _records(self, lines: Iterator[tuple[int, str | int]]) -> Iterator[tuple[int, list[str]]]:
        pending: list[tuple[int, str]] = []  # the lines of the row being parsed
        # Lines to read again after a broken row, or the rest of a run of blank lines.
        replay: deque[tuple[int, str | int]] = deque()

        def feed() -> Iterator[str]:
            while True:
                if replay:
                    line, text = replay.popleft()
                else:
                    found = next(lines, None)
                    if found is None:
                        return
                    line, text = found
                if isinstance(text, int):  # a run of blank lines
                    if not pending:  # between rows: each line is a blank row
                        self.problems.repeated(Problem(self.file, line, None, _BLANK), text)
                        continue
                    if text > 1:  # inside a quoted cell: the first line is read into it
                        replay.appendleft((line + 1, text - 1))
                    text = "\n"
                pending.append((line, text))
                yield text

        yield from self._parse(feed, pending, replay)

    def _parse(
        self,
        feed: Callable[[], Iterator[str]],
        pending: list[tuple[int, str]],
        replay: deque[tuple[int, str | int]],
    ) -> Iterator[tuple[int, list[str]]]:
        source = feed()
        reader = csv.reader(source, strict=True)
        while True:
            # csv's limit is global and other libraries raise it (frictionless on import, to
            # 2**31): hold it at FIELD_LIMIT while a row is parsed, so memory stays bounded.
            limit = csv.field_size_limit(FIELD_LIMIT)
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as err:
                again = self._broken(pending, str(err))
                pending.clear()
                if again:
                    # Read the lines the broken row swallowed again, so no following row is lost;
                    # a new feed, since a row broken by the end of the file has ended the old one.
                    replay.extendleft(reversed(again))
                    source = feed()
                    reader = csv.reader(source, strict=True)
                continue
            finally:
                csv.field_size_limit(limit)
            start = pending[0][0]
            if not cells:
                self._problem(start, _BLANK)
            else:
                raw = pending[0][1] if len(pending) == 1 else "".join(t for _, t in pending)
                if '"' in raw and raw != canonical_row(cells):
                    self._quoting(raw, cells, start)
                yield start, cells
            pending.clear()

    def _broken(self, pending: list[tuple[int, str]], error: str) -> list[tuple[int, str]]:
        """Report a row that is not valid CSV; return the lines after its first to read again."""
        start, first_line = pending[0]
        opened = first_line.count('"') % 2 == 1
        if "unexpected end of data" in error or (opened and len(pending) > 1):
            message = "has an unclosed quote: the quoted cell that starts on this line never ends"
        elif "field larger than field limit" in error:
            message = (
                f"has a cell longer than {FIELD_LIMIT:,} characters, far over any column's "
                "maximum length (see schemas/); shorten it"
            )
        else:
            message = f"is not valid CSV ({error}); quote the cell and double any quote inside"
        self._problem(start, message)
        self.broken.append((start, first_line.split(",", 1)[0].strip('"\n')))
        return pending[1:]

    def _quoting(self, raw: str, cells: list[str], line: int) -> None:
        if _stray_quote(raw, cells):
            self._problem(
                line, 'has a stray quote: a cell holding " must be quoted and the " doubled'
            )
        else:
            message = "is not in canonical CSV form (RFC 4180 minimal quoting); run `irr fmt`"
            self.problems.append(Problem(self.file, line, None, message, fixable=True))

    def _problem(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.file, line, None, message))


def _stray_quote(raw: str, cells: list[str]) -> bool:
    """Whether a cell that holds a quote is unquoted in ``raw``, the row the cells were read from.

    A quoted cell there is its text with each quote doubled, between quotes (a strict reader
    accepts nothing else); a needless pair of quotes around another cell is no stray quote.
    """
    at = 0
    for cell in cells:
        if raw.startswith('"', at):
            at += len(cell) + cell.count('"') + 3  # the quotes, the doubled ones and the comma
        elif '"' in cell:
            return True
        else:
            at += len(cell) + 1
    return False


@dataclass
class RawTable:
    """A CSV file split into its header and rows, each row with its first physical line."""

    header: list[str] | None
    rows: list[tuple[int, list[str]]]
    problems: list[Problem] = field(default_factory=list)
    broken: list[tuple[int, str]] = field(default_factory=list)
    """Rows that are not valid CSV: their line and first cell, as best it can be read."""


CHUNK = 1024 * 1024
"""How many bytes are read at a time."""
_NOT_NEWLINE = re.compile("[^\n]")
_BLANK = "is a blank row; remove it"


def _sized(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """The same bytes in pieces of at most ``CHUNK``, whatever the sizes given."""
    for chunk in chunks:
        if len(chunk) <= CHUNK:
            if chunk:
                yield chunk
            continue
        view = memoryview(chunk)
        for at in range(0, len(chunk), CHUNK):
            yield bytes(view[at : at + CHUNK])


def read(data: bytes, file: str) -> RawTable:
    """Split CSV bytes into header and rows, reporting every problem of form and encoding."""
    reader = Reader(file)
    rows = list(reader.rows([data]))
    return RawTable(reader.header, rows, reader.problems, reader.broken)


def decode(data: bytes, file: str, problems: list[Problem], fixer: str = "irr fmt") -> str:
    """Decode CSV or JSON bytes, reporting each undecodable line, NUL, CR and BOM.

    ``fixer`` is the command that rewrites the file (``irr build`` for the descriptor).
    """
    return "".join(text for _, text in Lines(file, problems, fixer).read([data]))
