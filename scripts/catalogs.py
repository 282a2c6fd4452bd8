"""Keep the gettext catalogs in step with the code: extract every ``_("…")`` and
``n_("…", "…", n)`` from qualcode/ (and the command line's help texts from its command tree), merge them into qualcode/locale/LANG/LC_MESSAGES/qualcode.po
(translations kept, new messages added empty; gone ones kept at the end as ``#~`` entries, a
translation memory a message that comes back takes its translation from), fill the English
catalog with the message ids themselves, and compile each .po to the .mo shipped beside it.

    python scripts/catalogs.py          # after changing or adding UI or document text
    python scripts/catalogs.py --check  # exit 1 when a catalog lacks a message (the test does)

Then translate the empty ``msgstr`` of nb (and nn, for documents) and run it again.
"""

from __future__ import annotations

import copy
import sys
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "qualcode"
LOCALE = PACKAGE / "locale"
KEYWORDS = {"_": None, "n_": (1, 2), "N_": None, "ui": None, "ui_n": (1, 2), "ui_p": ((1, "c"), 2)}
LANGUAGES = ("nb", "nn", "en")
FIXED = datetime(2026, 1, 1, tzinfo=UTC)


def template() -> Catalog:
    catalog = Catalog(project="qualcode", fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
        str(PACKAGE), method_map=[("**.py", "python")], keywords=KEYWORDS
    ):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    for where, text in command_line_help():
        if text not in catalog:
            catalog.add(text, None, [(f"cli: {where}", 0)])
    return catalog


def command_line_help() -> list[tuple[str, str]]:
    """The command line's help texts (docstrings and ``help=``), found by walking its command
    tree: click shows them translated (qualcode.cli.texts), so the catalogs need them."""
    sys.path.insert(0, str(ROOT))
    from qualcode.cli import main as cli
    from qualcode.cli.texts import help_texts

    return list(help_texts(cli))


def po_path(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / "qualcode.po"


def update(lang: str, pot: Catalog) -> Catalog:
    path = po_path(lang)
    if path.exists():
        with path.open("rb") as f:
            catalog = read_po(f, locale=lang)
    else:
        catalog = Catalog(locale=lang, project="qualcode", fuzzy=False)
    # messages no code uses now (e.g. text of a screen being rewritten) keep their translation
    # as obsolete entries, and a message that comes back takes it from there
    memory = {m.id: m.string for m in catalog.obsolete.values() if all(_strings(m.string))}
    catalog.update(copy.deepcopy(pot), no_fuzzy_matching=True)  # update adopts pot's messages
    for message in catalog:
        if message.id in memory and not all(_strings(message.string)):
            message.string = memory[message.id]
    for key, message in list(catalog.obsolete.items()):
        if not all(_strings(message.string)) or key in catalog:
            del catalog.obsolete[key]  # nothing worth remembering
    catalog.creation_date = FIXED  # no date that changes on every run (and conflicts)
    catalog.revision_date = FIXED
    for message in catalog:
        message.flags.discard("fuzzy")
        if lang == "en" and message.id:
            message.string = message.id  # English is the message ids themselves
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as f:
        write_po(f, catalog, width=100, omit_header=False, sort_output=True, include_lineno=False)
    with path.with_suffix(".mo").open("wb") as f:
        write_mo(f, catalog)
    return catalog


def _strings(value: str | tuple[str, ...] | None) -> tuple[str, ...]:
    return value if isinstance(value, tuple) else (value or "",)


def missing(catalog: Catalog) -> list[str]:
    out = []
    for message in catalog:
        if not message.id:
            continue
        if not all(_strings(message.string)):
            out.append(message.id if isinstance(message.id, str) else message.id[0])
    return out


def main() -> int:
    pot = template()
    status = 0
    for lang in LANGUAGES:
        catalog = update(lang, pot)
        gaps = missing(catalog)
        if gaps:
            print(f"{lang}: {len(gaps)} untranslated", *(f"  {g!r}" for g in gaps), sep="\n")
            status = 1 if lang in ("nb", "en") else status
    return status if "--check" in sys.argv else 0


if __name__ == "__main__":
    raise SystemExit(main())
