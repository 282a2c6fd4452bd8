"""One language per file and per screen: the catalogs are complete and shipped compiled,
the language is chosen as documented, and numbers are written in the language's form."""

from __future__ import annotations

import gettext
import importlib.util
import sys
from pathlib import Path

import pytest

from qualcode import i18n
from tests.conftest import REPO

sys.path.insert(0, str(REPO / "scripts"))
catalogs = pytest.importorskip("catalogs", reason="needs Babel (the test extras)")


def test_every_message_is_in_the_norwegian_and_the_english_catalog():
    pot = catalogs.template()
    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in pot if m.id}
    assert len(ids) > 40  # the extraction found the workspace's words at least
    from babel.messages.pofile import read_po

    for lang in ("nb", "en"):
        with catalogs.po_path(lang).open("rb") as f:
            po = read_po(f, locale=lang)
        translated = {
            m.id if isinstance(m.id, str) else m.id[0]
            for m in po
            if m.id and all(catalogs._strings(m.string))
        }
        missing = sorted(ids - translated)
        assert not missing, f"{lang}: not translated (run scripts/catalogs.py): {missing}"


def test_the_shipped_mo_files_are_compiled_from_the_po_files():
    from babel.messages.pofile import read_po

    for lang in catalogs.LANGUAGES:
        path = catalogs.po_path(lang)
        with path.open("rb") as f:
            po = read_po(f, locale=lang)
        with path.with_suffix(".mo").open("rb") as f:
            mo = gettext.GNUTranslations(f)
        for message in po:
            if not message.id or not all(catalogs._strings(message.string)):
                continue
            if isinstance(message.id, tuple):
                assert mo.ngettext(message.id[0], message.id[1], 2) == message.string[1]
            elif message.context:  # the same English word, another translation (ui_p)
                assert mo.pgettext(message.context, message.id) == message.string, message.id
            else:
                assert mo.gettext(message.id) == message.string, message.id


def test_the_catalogs_are_package_data():
    spec = importlib.util.find_spec("qualcode")
    assert spec is not None and spec.origin is not None
    text = (REPO / "pyproject.toml").read_text("utf-8")
    assert "locale/*/LC_MESSAGES/*.mo" in text
    assert Path(i18n.LOCALE_DIR, "nb", "LC_MESSAGES", "qualcode.mo").is_file()


def test_documents_are_in_the_guides_language_with_a_fallback():
    assert i18n.translator("nb")("Codebook") == "Kodebok"
    assert i18n.translator("en")("Codebook") == "Codebook"
    # Nynorsk falls back to Bokmål for a word its catalog lacks, never to English
    assert i18n.translator("nn")("Codebook") == "Kodebok"
    assert i18n.doc_tag("nb") == "nb-NO" and i18n.doc_tag("nn") == "nn-NO"
    assert i18n.doc_tag("en") == "en-GB" and i18n.doc_tag("de") == "en-GB"
    assert i18n.doc_language("no") == "nb"


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"QUALCODE_LANG": "nb", "LANG": "en_GB.UTF-8"}, "nb"),
        ({"QUALCODE_LANG": "en", "LANG": "nb_NO.UTF-8"}, "en"),
        ({"LANG": "nb_NO.UTF-8"}, "nb"),
        ({"LC_MESSAGES": "no_NO.UTF-8", "LANG": "en_US.UTF-8"}, "nb"),
        ({"LC_ALL": "nn_NO.UTF-8"}, "nb"),  # Nynorsk readers get Bokmål, not English
        ({"LANG": "de_DE.UTF-8"}, "en"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({}, "en"),
    ],
)
def test_the_workspace_language_is_chosen_as_documented(environ, expected):
    assert i18n.ui_language(environ) == expected


@pytest.mark.parametrize(
    ("value", "digits", "lang", "expected"),
    [
        (0.7434, 3, "nb", "0,743"),
        (0.7434, 3, "en", "0.743"),
        (-0.0001, 3, "nb", "0,000"),  # never "-0,000"
        (-0.0001, 3, "en", "0.000"),
        (-0.25, 3, "nb", "-0,250"),
        (1234.5, 1, "nb", "1\u00a0234,5"),
        (1234.5, 1, "en", "1,234.5"),
    ],
)
def test_numbers_in_the_languages_form(value, digits, lang, expected):
    assert i18n.decimal(value, digits, lang) == expected


def test_percentages_in_the_languages_form():
    assert i18n.percent(0.992, 1, "nb") == "99,2\u00a0%"
    assert i18n.percent(0.992, 1, "en") == "99.2%"


def test_every_translation_keeps_the_placeholders_of_its_message():
    """A translation that drops or renames a {name} would fail when it is shown."""
    import re

    from babel.messages.pofile import read_po

    fields = re.compile(r"(?<!\{)\{([a-z_0-9]*)[^{}]*\}(?!\})")
    for lang in catalogs.LANGUAGES:
        with catalogs.po_path(lang).open("rb") as f:
            po = read_po(f, locale=lang)
        for m in po:
            if not m.id:
                continue
            ids = m.id if isinstance(m.id, tuple) else (m.id,)
            strings = m.string if isinstance(m.string, tuple) else (m.string,)
            for form, s in enumerate(strings):
                # the singular form keeps the singular's fields (click's "Did you mean
                # {possibility}?"), the plural forms the plural's
                wanted = set(fields.findall(ids[min(form, len(ids) - 1)]))
                if s and len(strings) > 1 and form == 0:
                    wanted |= set(fields.findall(ids[-1])) & set(fields.findall(s))
                if s:
                    assert set(fields.findall(s)) == wanted, (lang, ids[0], s)


def test_the_command_line_never_prints_minus_zero():
    from qualcode.agreement.verdicts import num

    assert num(-0.0004) == "0.000" and num(-0.2) == "-0.200" and num(0.9921, True) == "99.2%"
