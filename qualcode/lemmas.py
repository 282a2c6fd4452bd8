"""Lemmas of single words, without spaCy: lookup tables, simplemma and the chain between them.

Nothing here imports spaCy, so lemmatising a search query does not pay for loading it;
qualcode.nlp's pipeline lemmatises with the same :func:`lemmatize_word`.

Lemma choice for Norwegian, measured by benchmarks/lemma_choice.py on five lists of forms
with their dictionary lemmas: GOLD (85, mostly nouns, used to tune the tables), HELD_OUT
(40), DEMO (the demo study's 300 most frequent word types, verbs, adjectives and function
words included), DEMO_HELD_OUT (the next 158 types, annotated before any lemmatizer ran on
them and measured once, after the chain below was settled) and REPORTED (18 forms a
reviewer found wrong). Share right, GOLD / HELD_OUT / DEMO / DEMO_HELD_OUT / REPORTED:
  table      spacy-lookups-data nb tables + noun tail of compounds: 95.3 / 97.5 / 90.3 /
             91.1 / 5.6 %, 0.7 µs a word. Noun readings outrank everything ("kjenner",
             "medisiner" stay as they are; "liten" -> lit, "alene" -> al, "går" -> går).
  simplemma  lemmatize(w, "nb"): 98.8 / 97.5 / 97.0 / 95.6 / 100 %, 0.5 µs a word; misses
             unknown compounds ("palliasjonsteamet" -> palliasjonsteame), "går", "si".
  previous   the table first, simplemma for unknown words: 100 / 97.5 / 91.3 / 91.8 / 5.6 %.
  reviewer's fix to it (simplemma when the table leaves a word unchanged):
             100 / 100 / 95.7 / 92.4 / 61.1 %.
  chosen     core verbs (infinitive and present, from grammar), then simplemma for words in
             its dictionary, then the tables, then a compound's tail (a noun of the tables
             or simplemma's noun lemma), then simplemma's guess when it only changes the
             ending: 100 / 100 / 98.7 / 96.8 / 100 %, 3.8 µs a word uncached (each distinct
             word is lemmatised once per process). "dø", "planlegge" and "fange" joined the
             core verbs after a review ("dør" in this field is the verb). Still wrong: forms
             whose reading needs context ("bruk", "forløpet", "strukturer", "intervjuet" read
             as verbs) and a few simplemma errors ("sykepleier" -> sykepleie, "videre" ->
             vid); lemma search therefore also takes each query word as a lemma itself.
The tables load lazily, only for words simplemma does not know (~120 MB resident). Other
languages use their spacy-lookups-data lookup table if it has one (English), else simplemma.
"""

from __future__ import annotations

import functools
import gzip
import json
import os
import pickle
import re
import sys
import unicodedata
from pathlib import Path

# Aliases for codes spaCy does not know by that name.
_LANG_ALIASES = {"no": "nb", "nob": "nb", "nor": "nb", "eng": "en"}
_COMPOUNDING = {"nb", "nn", "da", "sv", "de", "nl"}  # closed compounds: suffix fallback helps
_MIN_SUFFIX = 4  # shorter known suffixes give false compound splits


def _lookups_dir() -> Path | None:
    try:
        import spacy_lookups_data
    except ImportError:  # the lemma falls back to simplemma or the lower-cased word
        return None
    return Path(spacy_lookups_data.__file__).parent / "data"


def _load_json_gz(path: Path) -> dict:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return json.load(fh)


# Frequent verbs of interview speech: their infinitive and present tense are read as the verb
# before anything else looks at them. Both sources misread a few: spacy-lookups-data files
# "går" under a verb "gåre" and "men" under "mene"; simplemma reads "si" as the possessive
# ("boka si") and leaves "går" as it is.
_CORE_VERBS = {
    "være", "ha", "bli", "få", "gå", "si", "se", "komme", "ta", "gjøre", "kunne", "skulle",
    "ville", "måtte", "burde", "ligge", "legge", "stå", "sitte", "tro", "vite", "tenke",
    "synes", "gi", "finne", "bruke", "snakke", "ringe", "følge", "møte", "føle", "jobbe",
    "mene", "trenge", "hjelpe", "vise", "prøve", "ønske", "savne", "lage", "lure", "dele",
    "dø", "planlegge", "fange",
}  # fmt: skip
# Present tenses that are not the infinitive + r (Bokmål grammar, not looked up).
_IRREGULAR_PRESENT = {
    "være": "er", "ha": "har", "kunne": "kan", "skulle": "skal", "ville": "vil", "måtte": "må",
    "burde": "bør", "vite": "vet", "gjøre": "gjør", "si": "sier", "synes": "synes",
}  # fmt: skip
_CORE_FORMS = {
    form: verb for verb in _CORE_VERBS for form in (verb, _IRREGULAR_PRESENT.get(verb, verb + "r"))
}
_SIMPLEMMA_FIRST = {"nb"}  # where simplemma's dictionary measured better than the tables

_TABLES_FORMAT = 2  # bump when _build_tables changes what it builds


def _tables_cache_path(lang: str) -> Path | None:
    """Where the built tables are kept between runs (public data, never transcripts)."""
    try:
        from importlib.metadata import version

        data_version = version("spacy-lookups-data")
    except Exception:  # not installed: nothing worth caching
        return None
    root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "qualcode"
    return root / f"lemmas-{lang}-{data_version}-v{_TABLES_FORMAT}.pickle"


@functools.cache
def _tables(lang: str) -> tuple[dict[str, str], dict[str, str]]:
    """(all forms, noun forms), built once and then read from a cache file.

    Building them from spacy-lookups-data's JSON takes seconds; the pickle loads in
    well under one, which is the difference between a first lemma search that waits and
    one that does not.
    """
    path = _tables_cache_path(lang)
    if path is not None and path.exists():
        try:
            with path.open("rb") as fh:
                return pickle.load(fh)
        except Exception:  # a damaged or foreign cache file: rebuild it
            pass
    tables = _build_tables(lang)
    if path is not None and tables[0]:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            with tmp.open("wb") as fh:
                pickle.dump(tables, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)  # atomic: a reader never sees half a file
        except OSError:  # a read-only home: work without the cache
            pass
    return tables


def _build_tables(lang: str) -> tuple[dict[str, str], dict[str, str]]:
    """(all forms, noun forms): lower-cased form -> lemma from spacy-lookups-data.

    Lemmas holding a space ("mange" -> "mang en") are left out: a lemma is one word.
    """
    base = _lookups_dir()
    table: dict[str, str] = {}
    nouns: dict[str, str] = {}
    if base is None:
        return table, nouns
    lookup_path = base / f"{lang}_lemma_lookup.json.gz"
    lookup = _load_json_gz(lookup_path) if lookup_path.exists() else {}
    for form, lemma in lookup.items():
        low = form.lower()
        if (form == low or low not in lookup) and " " not in str(lemma):
            table[low] = str(lemma).lower()  # the lower-case entry's lemma first
    exc_path = base / f"{lang}_lemma_exc.json.gz"
    if lang == "nb" and exc_path.exists():  # POS-split full-form lexicon
        exc = _load_json_gz(exc_path)
        # Later tables win over the small function-word lookup: nouns over verbs, as
        # interview topics are mostly nouns ("leger" is doctors, not "legere").
        for pos in ("adv", "adj", "verb", "noun"):
            for form, lemmas in exc.get(pos, {}).items():
                if lemmas and " " not in form and " " not in lemmas[0]:
                    low = form.lower()
                    # Interned lemmas and shared keys keep the tables near 100 MB.
                    lemma = sys.intern(lemmas[0].lower())
                    table[low] = lemma
                    if pos == "noun":
                        nouns[low] = lemma
        for form, lemma in lookup.items():  # pronouns and function words: "dem" is "de"
            if form == form.lower() and " " not in str(lemma):
                table[form] = str(lemma).lower()
    return table, nouns or table


def _lemma_table(lang: str) -> dict[str, str]:
    return _tables(lang)[0]


def _table_exact(word: str, lang: str, nouns_only: bool = False) -> str | None:
    return _exact_in(_tables(lang)[1 if nouns_only else 0], word, lang)


def _exact_in(table: dict[str, str], word: str, lang: str) -> str | None:
    if word in table:
        return table[word]
    if lang == "nb" and len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        stem = table.get(word[:-1])  # genitive: "pårørendes", "kommunens"
        if stem is not None:
            return stem
    return None


def _simplemma(word: str, lang: str, known_only: bool = False) -> str | None:
    """simplemma's lemma of a word in its dictionary; else (unless ``known_only``) its guess.

    A guess is kept only when it changes the word's ending: its guesses for unknown
    compounds can cut off the head ("hjemmetid" -> "hjem").
    """
    if known_only and not _may_be_known(word, lang):
        return None
    try:
        import simplemma
    except ImportError:
        return None
    try:
        if simplemma.is_known(word, lang=lang):
            return simplemma.lemmatize(word, lang=lang).lower()
        if known_only:
            return None
        guess = simplemma.lemmatize(word, lang=lang).lower()
    except (ValueError, KeyError):  # a language simplemma does not have
        return None
    kept = len(os.path.commonprefix([word, guess]))
    return guess if guess != word and kept >= max(len(word), len(guess)) - 3 else None


@functools.cache
def _simplemma_keys(lang: str) -> dict[bytes, bytes] | None:
    """simplemma's dictionary for ``lang`` as it holds it (UTF-8 form -> lemma), or None
    where that is not a plain dict or simplemma folds the language's tokens first."""
    try:
        from simplemma.strategies.dictionaries.dictionary_factory import (
            DEFAULT_DICTIONARY_FACTORY,
        )
        from simplemma.utils import CANON_LANGS

        raw = getattr(DEFAULT_DICTIONARY_FACTORY.get_dictionary(lang), "_dict", None)
    except Exception:  # not installed, another version, a language it does not have
        return None
    return raw if isinstance(raw, dict) and lang not in CANON_LANGS else None


def _may_be_known(word: str, lang: str) -> bool:
    """False only where ``simplemma.is_known(word)`` is certainly False, in a dictionary
    lookup rather than its full call (~12 µs): the compound search asks about every tail
    of every unknown word. For a lower-case word of letters in NFC (no apostrophe, nothing
    to fold) is_known looks up the word and its capitalised form, and nothing else."""
    keys = _simplemma_keys(lang)
    if keys is None or not (word.isalpha() and word.islower()):
        return True
    if not unicodedata.is_normalized("NFC", word):
        return True
    return _in_keys(keys, word)


def _known_lemma(word: str, lang: str) -> str | None:
    """The lemma of a word either source knows for certain (no guessing, no compounds)."""
    if lang == "nb" and word in _CORE_FORMS:
        return _CORE_FORMS[word]
    if lang in _SIMPLEMMA_FIRST:
        lemma = _simplemma(word, lang, known_only=True)
        if lemma is not None:
            return lemma
    return _table_exact(word, lang) if _lemma_table(lang) else None


def _table_suffix(word: str, lang: str) -> str | None:
    """Compound fallback: the longest known tail of 4+ letters is lemmatised, the rest kept.

    Only noun readings: the head of a Norwegian compound is nearly always a noun, and verb
    readings mislead ("palliasjonsteamet" would end in the verb "steame"). A tail the tables
    know as a noun lemma stays as it is ("fastvakt", where simplemma says "vak"); otherwise,
    for nb, simplemma's lemma when that is a noun ("smertepumper": "pumpe", where the tables
    say "pump"), else the tables' noun reading.
    """
    if not word.isalpha():
        return None
    noun_forms = _tables(lang)[1]
    nouns = _noun_lemmas(lang) if lang in _SIMPLEMMA_FIRST else frozenset()
    keys = _simplemma_keys(lang) if nouns else None
    # Every tail of a lower-case word below U+0300 is in NFC with nothing to fold: whether
    # simplemma knows it is a look-up in its dictionary (see _may_be_known), done here
    # inline because this loop runs for every tail of every unknown word.
    plain = keys is not None and word.islower() and max(word) < "\u0300"
    genitive = lang == "nb"
    for i in range(2, len(word) - _MIN_SUFFIX + 1):
        tail = word[i:]
        # _exact_in, written out: this loop runs for every tail of every unknown word
        lemma = noun_forms.get(tail)
        if lemma is None and genitive and tail[-1] == "s" and tail[-2] != "s":
            lemma = noun_forms.get(tail[:-1])  # genitive: "pårørendes", "kommunens"
        if nouns and lemma != tail:
            if plain and keys is not None and not _in_keys(keys, tail):
                guess = None
            else:
                guess = _simplemma(tail, lang, known_only=True)
            lemma = guess if guess in nouns else lemma
        if lemma is not None:
            return word[:i] + lemma
    return None


def _in_keys(keys: dict[bytes, bytes], low: str) -> bool:
    """Whether simplemma's dictionary has the lower-case ``low`` or its capitalised form."""
    return low.encode() in keys or low.capitalize().encode() in keys


@functools.cache
def _noun_lemmas(lang: str) -> frozenset[str]:
    return frozenset(_tables(lang)[1].values())


# A word of the lemma index: letters and digits; hyphens, dashes and dots divide words.
WORD_PART = re.compile(r"[^\W_]+")


def word_parts(text: str) -> list[str]:
    """The words of ``text`` as the lemma index and lemma search see them."""
    return WORD_PART.findall(text)


@functools.lru_cache(maxsize=200_000)
def lemmatize_word(word: str, lang: str) -> str:
    """The lower-cased lemma of one word (the word itself, lower-cased, if unknown)."""
    lang = _LANG_ALIASES.get(lang, lang)
    low = word.lower()
    if not any(ch.isalpha() for ch in low):
        return low
    if "-" in low.strip("-"):  # "kreft-koordinatorene": the head is the last part
        head, _, last = low.rpartition("-")
        return f"{head}-{lemmatize_word(last, lang)}"
    return _lemma_chain(low, lang)


def _lemma_chain(low: str, lang: str) -> str:
    """Known forms (core verbs, simplemma's dictionary for nb, the tables), then the compound
    tail (Germanic languages), then simplemma's guess, then the word itself."""
    lemma = _known_lemma(low, lang)
    if lemma is None and lang in _COMPOUNDING and _lemma_table(lang):
        lemma = _table_suffix(low, lang)
    return lemma or _simplemma(low, lang) or low
