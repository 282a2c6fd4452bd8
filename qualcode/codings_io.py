"""Codings to and from CSV/JSON files: all-or-nothing import, tidy export."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qualcode.bounds import MAX_TABLE_BYTES, read_bounded
from qualcode.coding import locate_quote, make_coding, quote_count
from qualcode.csv_safe import unescape_cell
from qualcode.i18n import N_, ui, ui_n, ui_percent
from qualcode.importers.encoding import decode
from qualcode.json_text import load_json
from qualcode.model import Code, Coding, QualcodeError, check_name
from qualcode.refi.model import slugify
from qualcode.store import Store

# "code" is the id (what an import reads back); "code_name" the name beside it.
EXPORT_COLUMNS = [
    "transcript",
    "case",
    "coder",
    "code",
    "code_name",
    "start",
    "end",
    "quote",
    "memo",
]


@dataclass
class CodingsImport:
    codings: list[Coding] = field(default_factory=list)
    new_codes: list[Code] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # fuzzy matches and the like
    problems: list[str] = field(default_factory=list)
    already_present: list[str] = field(default_factory=list)  # rows skipped: coded already
    new_coders: list[str] = field(default_factory=list)  # coders the project does not have yet
    whole_file: bool = False  # the problem is the file (no codings, no columns), not its rows


# the file's kind said in the message: a summaries file refused does not speak of codings
_NOT_A_TABLE = {
    "codings": N_("a codings file must be .csv or .json"),
    "summaries": N_("a summaries file must be .csv or .json"),
    "": N_("must be a .csv or a .json file"),
}


def read_table(
    path: str | Path, what: str = "codings"
) -> tuple[list[str], list[tuple[int, dict[str, Any]]]]:
    """(column names, rows) of a CSV or JSON file, each row with the line (CSV) or item
    number (JSON) it came from. ``what`` names the file's content in messages."""
    path = Path(path)
    text = decode(read_bounded(path, MAX_TABLE_BYTES, N_("a table (CSV or JSON)")), str(path))
    if path.suffix.lower() == ".json":
        data = load_json(text, str(path))
        if isinstance(data, dict):
            data = data.get(what, data.get("rows"))
        if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
            raise QualcodeError(ui("expected a list of objects, one per row"), str(path))
        columns = list(dict.fromkeys(str(k) for r in data for k in r))
        return columns, [(i + 1, r) for i, r in enumerate(data)]
    if path.suffix.lower() != ".csv":
        raise QualcodeError(ui(_NOT_A_TABLE.get(what, _NOT_A_TABLE[""])), str(path))
    # qualcode's own CSV exports open with a "# Kodinger: …" line saying whose codings
    # they hold; such lines before the header are notes, not data (line numbers still count)
    skipped = 0
    while text.startswith("#"):
        text = text.split("\n", 1)[1] if "\n" in text else ""
        skipped += 1
    sample = text[:4096]
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    # only the delimiter is guessed: the quote is always '"' (Excel's, and ours), since the
    # sniffer takes the ' that marks an escaped formula cell for a quote character
    reader = csv.DictReader(io.StringIO(text), dialect=csv.excel, delimiter=delimiter)
    try:
        return _csv_rows(reader, skipped)
    except csv.Error as err:  # e.g. a cell over the csv module's 128 KB field limit
        raise QualcodeError(
            ui(
                "cannot be read as CSV ({error}); a cell may be far too long, or a quote unclosed"
            ).format(error=err),
            str(path),
            reader.line_num or None,
        ) from None


def _csv_rows(
    reader: csv.DictReader[str], skipped: int = 0
) -> tuple[list[str], list[tuple[int, dict[str, Any]]]]:
    """(column names, rows with their line in the file; ``skipped`` note lines came first)."""
    columns = [(k or "").strip().lower() for k in reader.fieldnames or []]
    rows = []
    for row in reader:
        extra = row.pop(None, None)  # cells beyond the header: a stray delimiter in a value
        # a cell a spreadsheet would run was exported with a leading ' (csv_safe): taken off
        cells = {
            (k or "").strip().lower(): unescape_cell((v or "").strip()) for k, v in row.items()
        }
        if extra:
            cells["_extra"] = ", ".join(str(x) for x in extra)
        rows.append((reader.line_num + skipped, cells))
    return columns, rows


def read_rows(path: str | Path, what: str = "codings") -> list[tuple[int, dict[str, Any]]]:
    """The rows of ``read_table``, without the column names."""
    return read_table(path, what)[1]


def slug(name: str) -> str:
    """An ASCII id from a code name: ``Pårørendes rolle`` -> ``parorendes-rolle``."""
    return slugify(name)


def find_code(codes: list[Code], key: str) -> Code | None:
    """A code by id or by name, case-insensitive."""
    key = key.strip().casefold()
    for code in codes:
        if code.id.casefold() == key or code.name.casefold() == key:
            return code
    return None


def plan_codings_import(
    store: Store, rows: list[tuple[int, dict[str, Any]]], source: str, create_codes: bool = False
) -> CodingsImport:
    """Check every row and build the codings; nothing is written here.

    A row that repeats a coding already in the project, or an earlier row of the file (same
    transcript, span, code and coder), is skipped and listed in ``already_present``, so
    importing a file twice does not double its codings.
    """
    plan = CodingsImport()
    missing_columns = _missing_columns(rows, source)
    if missing_columns:
        plan.problems.append(missing_columns)
        plan.whole_file = True
        return plan
    codes = store.codes.all()
    coders = {name.casefold(): name for name in store.coders.all()}
    known_transcripts = set(store.transcripts.ids())
    texts: dict[str, Any] = {}
    seen = {_key(c) for c in store.codings.all()}
    for line, row in rows:
        where = ui("{source}, row at line {line}").format(source=source, line=line)
        tid = str(row.get("transcript", "")).strip()
        coder = str(row.get("coder", "")).strip()
        code_key = str(row.get("code", "")).strip()
        missing = [
            k for k, v in (("transcript", tid), ("coder", coder), ("code", code_key)) if not v
        ]
        if missing:
            plan.problems.append(
                ui("{where}: missing {columns}").format(where=where, columns=", ".join(missing))
            )
            continue
        if tid not in known_transcripts:
            plan.problems.append(
                ui('{where}: unknown transcript "{id}"').format(where=where, id=tid)
            )
            continue
        if not _coder_known(coder, coders, where, plan):
            continue
        code = find_code(codes + plan.new_codes, code_key)
        if code is None:
            if not create_codes:
                plan.problems.append(
                    ui('{where}: unknown code "{code}" (use --create-codes to add it)').format(
                        where=where, code=code_key
                    )
                )
                continue
            code = _new_code(row, code_key, codes + plan.new_codes, where, plan)
            if code is None:
                continue
            plan.new_codes.append(code)
        if tid not in texts:
            texts[tid] = store.transcripts.get(tid)
        transcript = texts[tid]
        span = _row_span(row, transcript.text, where, plan)
        if span is None:
            continue
        try:
            coding = make_coding(
                transcript, span[0], span[1], code.id, coder, str(row.get("memo", "") or "")
            )
        except QualcodeError as err:
            plan.problems.append(_at(where, err.message))
            continue
        if _key(coding) in seen:
            plan.already_present.append(where)
            continue
        seen.add(_key(coding))
        plan.codings.append(coding)
    return plan


def _coder_known(coder: str, coders: dict[str, str], where: str, plan: CodingsImport) -> bool:
    """Refuse a coder spelt like another but for letter case: "Eva" and "eva" would count
    as two coders, splitting one person's codings and skewing agreement."""
    try:
        check_name(coder, N_("the coder name"))
    except QualcodeError as err:
        plan.problems.append(_at(where, err.message))
        return False
    spelt = coders.get(coder.casefold())
    if spelt is None:
        coders[coder.casefold()] = coder
        plan.new_coders.append(coder)
        return True
    if spelt == coder:
        return True
    if spelt in plan.new_coders:
        message = ui(
            '{where}: coder "{coder}" differs only in letter case from "{spelt}", '
            'a coder on an earlier row; write it "{spelt}" if it is the same person'
        )
    else:
        message = ui(
            '{where}: coder "{coder}" differs only in letter case from "{spelt}", '
            'a coder already here; write it "{spelt}" if it is the same person'
        )
    plan.problems.append(message.format(where=where, coder=coder, spelt=spelt))
    return False


def coder_problem(coder: str, coders: list[str]) -> str | None:
    """Why ``coder`` is not one of ``coders`` (exact spelling), or None when it is."""
    if coder in coders:
        return None
    near = [c for c in coders if c.casefold() == coder.casefold()]
    hint = ui('; did you mean "{name}"?').format(name=near[0]) if near else ""
    listed = ", ".join(sorted(coders)) or ui("none yet")
    return (
        ui('coder "{coder}" has no codings in this project (coders with codings: {listed})').format(
            coder=coder, listed=listed
        )
        + hint
    )


def _at(where: str, problem: str) -> str:
    return ui("{where}: {problem}").format(where=where, problem=problem)


def _key(c: Coding) -> tuple[str, int, int, str, str]:
    return (c.transcript, c.start, c.end, c.code, c.coder)


def _missing_columns(rows: list[tuple[int, dict[str, Any]]], source: str) -> str | None:
    """One message for a file without codings or without the needed columns, not one per row."""
    needed = ui("transcript, coder and code, and either start and end or quote")
    if not rows:
        return ui("{source}: holds no codings (expected columns: {needed})").format(
            source=source, needed=needed
        )
    found = {str(k) for _, row in rows for k in row if not str(k).startswith("_")}
    lacking = [c for c in ("transcript", "coder", "code") if c not in found]
    if not ({"start", "end"} <= found or "quote" in found):
        lacking.append(ui("start and end, or quote"))
    if not lacking:
        return None
    has = ", ".join(sorted(found)) or ui("none")
    return ui("{source}: no {columns} column (it has: {has}; expected: {needed})").format(
        source=source, columns=", ".join(lacking), has=has, needed=needed
    )


def _new_code(
    row: dict[str, Any], name: str, codes: list[Code], where: str, plan: CodingsImport
) -> Code | None:
    """An inductive code for ``--create-codes``, under the row's ``parent`` (or ``theme``).

    A code without a parent would sit beside the guide's themes and count as one, so a
    parent is required.
    """
    parent_key = str(row.get("parent") or row.get("theme") or "").strip()
    if not parent_key:
        plan.problems.append(
            ui(
                '{where}: new code "{name}" needs a theme to go under; add a '
                '"parent" (or "theme") column naming it'
            ).format(where=where, name=name)
        )
        return None
    parent = find_code(codes, parent_key)
    if parent is None:
        plan.problems.append(
            ui(
                '{where}: new code "{name}" is to go under "{parent}", which is not in the codebook'
            ).format(where=where, name=name, parent=parent_key)
        )
        return None
    position = sum(1 for c in codes if c.parent == parent.id)
    return Code(
        id=_unique_id(slug(name), codes),
        name=name,
        parent=parent.id,
        origin="inductive",
        color=parent.color,
        position=position,
    )


def _row_span(
    row: dict[str, Any], text: str, where: str, plan: CodingsImport
) -> tuple[int, int] | None:
    start, end = row.get("start"), row.get("end")
    if start not in (None, "") and end not in (None, ""):
        span = (_whole(start), _whole(end))
        if span[0] is None or span[1] is None:
            plan.problems.append(
                ui("{where}: start and end must be whole numbers (not {start} and {end})").format(
                    where=where, start=repr(start), end=repr(end)
                )
            )
            return None
        return span[0], span[1]
    quote = str(row.get("quote", "") or "")
    if not quote.strip():
        plan.problems.append(
            ui("{where}: give either start and end, or a quote").format(where=where)
        )
        return None
    match = locate_quote(text, quote)
    if match is None:
        plan.problems.append(
            ui('{where}: quote not found in the transcript: "{quote}"').format(
                where=where, quote=quote[:60]
            )
        )
        return None
    if match.method == "fuzzy":
        plan.notes.append(
            ui('{where}: fuzzy match ({score}) for "{quote}"').format(
                where=where, score=ui_percent(match.score / 100, 0), quote=quote[:60]
            )
        )
    times = quote_count(text, quote)
    if times > 1:
        plan.notes.append(
            ui(
                '{where}: "{quote}" occurs {n} times; coded the first (at {at}); '
                "give start and end to code another"
            ).format(where=where, quote=quote[:60], n=times, at=match.start)
        )
    return match.start, match.end


def _whole(value: object) -> int | None:
    """A whole number from a cell: 12 or "12"; never 1.7, "1.7", true or "12abc"."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and re.fullmatch(r"\s*[+-]?\d{1,12}\s*", value):
        return int(value)
    return None


def _unique_id(base: str, codes: list[Code]) -> str:
    taken = {c.id for c in codes}
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def apply_codings_import(store: Store, plan: CodingsImport, actor: str) -> list[Coding]:
    """Write a checked plan in one transaction (codes first, then codings)."""
    if plan.problems:
        raise QualcodeError(_nothing_imported(len(plan.problems)))
    with store.transaction():
        for code in plan.new_codes:
            store.codes.upsert(code, actor)
        return store.codings.add_many(plan.codings, actor)


def _nothing_imported(bad: int) -> str:
    return ui_n("{n} bad row; nothing imported", "{n} bad rows; nothing imported", bad).format(
        n=bad
    )


def export_rows(store: Store, coder: str | None = None) -> list[dict[str, Any]]:
    """Every coding (or ``coder``'s) as a flat row: transcript, case, coder, code, start, end,
    quote, memo. A coder with no codings is refused: a mistyped name would give no rows."""
    if coder is not None:
        problem = coder_problem(coder, list(store.codings.per_coder()))
        if problem:
            raise QualcodeError(problem)
    cases = {t["id"]: t["case_name"] for t in store.transcripts.overview()}
    names = {c.id: c.name for c in store.codes.all()}
    return [
        {
            "transcript": c.transcript,
            "case": cases.get(c.transcript) or "",
            "coder": c.coder,
            "code": c.code,
            "code_name": names.get(c.code, c.code),
            "start": c.start,
            "end": c.end,
            "quote": c.quote,
            "memo": c.memo,
        }
        for c in store.codings.all(coder=coder)
    ]


def rows_to_csv(rows: list[dict[str, Any]], columns: list[str] = EXPORT_COLUMNS) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()
