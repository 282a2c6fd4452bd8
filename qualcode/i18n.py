"""Which language a text is in, its words (gettext catalogs) and its numbers.

Two languages meet in qualcode: the **documents** are in the interview guide's language
(``nb``, ``nn`` or ``en``: the report's), the **workspace and the command line** in the
user's (``QUALCODE_LANG``, else the OS locale, else English). Both take their words from
the same gettext catalogs in ``qualcode/locale`` (English message ids; ``nb`` and ``en``
complete, ``nn`` for the documents, falling back to ``nb``). The ``.po`` files are the
source; the ``.mo`` files beside them are compiled from them with Babel
(``pybabel compile -d qualcode/locale -D qualcode``) and shipped, and a test keeps the two
in step.
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "qualcode"
UI_LANGUAGES = ("nb", "en")  # complete catalogs: what the workspace can speak
DOC_LANGUAGES = ("nb", "nn", "en")  # what a document can be written in
# the language tag a Word document carries, so its spelling checker reads the right language
DOC_TAGS = {"nb": "nb-NO", "nn": "nn-NO", "en": "en-GB"}
# the languages a language falls back to, in order, for a message its catalog lacks
_FALLBACK = {"nn": ("nb",), "no": ("nb",)}

Translate = Callable[[str], str]


def base_language(tag: str) -> str:
    """``nb`` of ``nb-NO``, ``nb_NO.UTF-8`` or ``NB``; ``no`` (Norwegian) is read as ``nb``."""
    lang = tag.strip().replace("_", "-").split(".")[0].split("@")[0].split("-")[0].lower()
    return "nb" if lang == "no" else lang


def doc_language(guide_language: str | None) -> str:
    """The language a document is written in: the guide's, when qualcode can write it."""
    lang = base_language(guide_language or "nb")
    return lang if lang in DOC_LANGUAGES else "en"


def doc_tag(lang: str) -> str:
    """``nb-NO`` for ``nb``: the tag Word and LibreOffice check spelling by."""
    return DOC_TAGS.get(doc_language(lang), "en-GB")


@lru_cache(maxsize=8)
def _catalog(lang: str) -> gettext.NullTranslations:
    chain = [lang, *_FALLBACK.get(lang, ())]
    first: gettext.NullTranslations | None = None
    for name in chain:
        try:
            found = gettext.translation(DOMAIN, str(LOCALE_DIR), languages=[name])
        except OSError:  # no catalog for this language: English message ids stand
            continue
        if first is None:
            first = found
        else:
            first.add_fallback(found)
    return first or gettext.NullTranslations()


def translator(lang: str) -> Translate:
    """The ``_`` of ``lang``: an English message id to its text in that language."""
    return _catalog(base_language(lang)).gettext


def ntranslator(lang: str) -> Callable[[str, str, int], str]:
    """``ngettext`` of ``lang``: singular and plural ids, and the count choosing between them."""
    return _catalog(base_language(lang)).ngettext


def ui_language(environ: dict[str, str] | None = None) -> str:
    """The workspace's language: ``QUALCODE_LANG``, else the OS locale, else English.

    The OS locale is read as gettext does (``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``,
    ``LANG``: the first one set); a language without a complete catalog gives English.
    """
    env = os.environ if environ is None else environ
    for name in ("QUALCODE_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "").strip()
        if not value or value in ("C", "POSIX") or value.startswith("C."):
            continue
        for part in value.split(":"):  # LANGUAGE may list several, in order
            lang = base_language(part)
            if lang == "nn":
                lang = "nb"  # no complete Nynorsk catalog yet: Bokmål is the nearer one
            if lang in UI_LANGUAGES:
                return lang
        return "en"  # the first variable set decides, as for gettext
    return "en"


def decimal(value: float, digits: int, lang: str) -> str:
    """``0,743`` in Norwegian, ``0.743`` in English; never ``-0,000`` (a rounded zero has no
    sign); thousands grouped with a no-break space in Norwegian, a comma in English."""
    text = f"{value:,.{digits}f}"
    if text.lstrip("-").strip("0.,") == "":
        text = text.lstrip("-")
    if base_language(lang) in ("nb", "nn"):
        return text.replace(",", "\u00a0").replace(".", ",")
    return text


def percent(value: float, digits: int, lang: str) -> str:
    """A share (0..1) as a percentage: ``99,2 %`` in Norwegian, ``99.2%`` in English."""
    number = decimal(100 * value, digits, lang)
    return f"{number}\u00a0%" if base_language(lang) in ("nb", "nn") else f"{number}%"


def ui(message: str) -> str:
    """``message`` (an English message id) in the workspace's language. The language is
    read on every call, so a QUALCODE_LANG set before a screen is drawn applies to it."""
    return _catalog(ui_language()).gettext(message)


def ui_n(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for ``n``, in the workspace's language."""
    return _catalog(ui_language()).ngettext(singular, plural, n)


def ui_p(context: str, message: str) -> str:
    """``message`` in the workspace's language where the same English word needs two
    translations (``ui_p("column", "Code")`` is the noun "Kode", not the verb "Kod")."""
    return _catalog(ui_language()).pgettext(context, message)


def N_(message: str) -> str:  # noqa: N802 (gettext's own name for it)
    """Marks a message for the catalogs where it is defined (key bindings, tables of
    labels), to be translated with ``ui`` where it is shown."""
    return message


def ui_decimal(value: float, digits: int) -> str:
    """A number in the workspace language's form (``0,743`` in Norwegian)."""
    return decimal(value, digits, ui_language())


def ui_percent(value: float, digits: int = 1) -> str:
    return percent(value, digits, ui_language())
