"""Reading an import file, writing its report, and a progress bar for the terminal."""

import csv
import io
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

# Exit codes of the import commands.
EXIT_OK, EXIT_REJECTED, EXIT_UNREADABLE = 0, 1, 2


class FileError(Exception):
    """The file cannot be read as a whole: nothing is imported (exit code 2)."""

    def __init__(self, message, *, line="", column=""):
        super().__init__(message)
        self.message, self.line, self.column = message, line, column


@dataclass(frozen=True, slots=True)
class Problem:
    """One reason to reject a row: a row with several problems gives several report lines."""

    line: int | str
    key: str  # what identifies the row in the report besides its line (beneficiary number, status)
    column: str
    reason: str


@dataclass
class Table:
    """A decoded CSV file: its header (by column name: index) and its data rows with their line numbers."""

    columns: dict
    delimiter: str
    rows: list  # (line number, list of cells)

    def __len__(self):
        return len(self.rows)


def decode(data: bytes) -> str:
    """UTF-8 with or without BOM; anything else (a Latin-1 export, say) is refused with the line of the first error."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise FileError(
            _(
                "Le fichier n'est pas encodé en UTF-8 (premier caractère illisible ligne %(line)s) : "
                "enregistrez-le au format « CSV UTF-8 » puis recommencez."
            )
            % {"line": line},
            line=line,
        ) from error


def detect_delimiter(header: str) -> str:
    """``;`` or ``,``: whichever splits the header row into more columns (``;`` on a tie, the French default)."""
    return "," if header.count(",") > header.count(";") else ";"


def normalise_column(name: str) -> str:
    return name.strip().strip("\ufeff").lower()


def read_table(path, *, required, known) -> Table:
    """Read and decode the whole file (a path, or an open binary file such as an upload), check its header; raise
    FileError when it cannot be imported at all."""
    try:
        if hasattr(path, "read"):
            path.seek(0)
            data = path.read()
        else:
            data = Path(path).read_bytes()
    except OSError as error:
        raise FileError(_("Impossible de lire le fichier : %(error)s.") % {"error": error.strerror or error}) from error
    text = decode(data)
    first_line = text.split("\n", 1)[0]
    if not first_line.strip():
        raise FileError(_("Le fichier est vide ou sa première ligne (les noms de colonnes) est vide."), line=1)
    delimiter = detect_delimiter(first_line)
    # strict: an unbalanced quote is an error, not a field that silently swallows the following lines.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader)
        # Blank lines, and lines of empty cells (";;;;" as spreadsheets save them), are skipped.
        rows = [(reader.line_num, cells) for cells in reader if "".join(cells).strip()]
    except csv.Error as error:
        raise FileError(
            _("Le fichier n'est pas un CSV valide ligne %(line)s : %(error)s.")
            % {"line": reader.line_num, "error": error},
            line=reader.line_num,
        ) from error
    columns = {}
    for index, name in enumerate(header):
        name = normalise_column(name)
        if name in known and name not in columns:
            columns[name] = index
    missing = [name for name in required if name not in columns]
    if missing:
        raise FileError(
            _("Colonne(s) obligatoire(s) absente(s) de la première ligne : %(columns)s (séparateur lu : « %(sep)s »).")
            % {"columns": ", ".join(missing), "sep": delimiter},
            line=1,
            column=", ".join(missing),
        )
    return Table(columns=columns, delimiter=delimiter, rows=rows)


def check_report_path(path):
    """Refuse, before anything is imported, a report that could not be written afterwards."""
    if path and not Path(path).resolve().parent.is_dir():
        raise FileError(_("Le dossier du rapport « %(path)s » n'existe pas.") % {"path": Path(path).parent})


def write_report(path, header, problems):
    """The report: ``;``-separated UTF-8 with a BOM, so that a French spreadsheet opens it as it is."""
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        _write_problems(handle, header, problems)


def report_bytes(header, problems) -> bytes:
    """The same report as ``write_report``, in memory (to keep it beside an import run from the admin)."""
    buffer = io.StringIO()
    _write_problems(buffer, header, problems)
    return buffer.getvalue().encode("utf-8-sig")


def _write_problems(handle, header, problems):
    writer = csv.writer(handle, delimiter=";")
    writer.writerow(header)
    for problem in problems:
        writer.writerow([problem.line, problem.key, problem.column, problem.reason])


class Progress:
    """A one-line progress bar, drawn only on a terminal and at most ten times a second."""

    WIDTH = 30

    def __init__(self, stream, total, *, label=""):
        self.stream, self.total, self.label = stream, max(total, 1), label
        self.enabled = bool(getattr(stream, "isatty", lambda: False)())
        self.started = self.drawn_at = time.monotonic()

    @classmethod
    def for_stdout(cls, output, total, label=""):
        # Django's OutputWrapper hides the real stream's isatty behind __getattr__: ask the stream itself.
        stream = getattr(output, "_out", output) or sys.stdout
        return cls(stream, total, label=label)

    def update(self, done, *, force=False):
        if not self.enabled:
            return
        now = time.monotonic()
        if not force and now - self.drawn_at < 0.1:
            return
        self.drawn_at = now
        share = min(done / self.total, 1)
        filled = int(share * self.WIDTH)
        rate = done / (now - self.started) if now > self.started else 0
        bar = "#" * filled + "." * (self.WIDTH - filled)
        self.stream.write(f"\r{self.label} [{bar}] {share:4.0%} {done}/{self.total} ({rate:,.0f}/s)".replace(",", " "))
        self.stream.flush()

    def finish(self, done):
        if self.enabled:
            self.update(done, force=True)
            self.stream.write("\n")
            self.stream.flush()


def problem_lines(problems, *, limit=10):
    """Screen lines summing up the problems: a count per column, then the first few, one per line."""
    if not problems:
        return []
    counts = {}
    for problem in problems:
        counts[problem.column or "—"] = counts.get(problem.column or "—", 0) + 1
    lines = [
        _("Motifs par colonne : %(counts)s") % {"counts": ", ".join(f"{c} {n}" for c, n in sorted(counts.items()))}
    ]
    for problem in problems[:limit]:
        lines.append(_("  ligne %(line)s, %(column)s : %(reason)s") % vars_of(problem))
    if len(problems) > limit:
        lines.append(_("  … et %(count)s autre(s) motif(s).") % {"count": len(problems) - limit})
    return lines


def vars_of(problem):
    return {"line": problem.line, "column": problem.column or "—", "reason": problem.reason}
