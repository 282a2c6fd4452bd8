"""The language layer: sentence spans, lemmas and folding, on a blank spaCy pipeline.

No trained pipeline is used (none can be downloaded): the pipeline is spaCy's
tokenizer plus two components of ours, a rule sentencizer that knows Norwegian
abbreviations and times, and a lookup lemmatizer.

Lemma choice, measured by benchmarks/lemma_choice.py (85 Norwegian interview forms
used while tuning the table's POS priorities, plus 40 held-out forms; 2 cores):
  table     spacy-lookups-data nb tables (lookup + POS exc lexicon, nouns over verbs
            but frequent verbs kept), genitive -s, longest known noun suffix for
            compounds: tuned set 100 %, held-out 97.5 %, load 2.0 s, 0.3 µs/word
  simplemma lemmatize(w, lang="nb"): 98.8 %, held-out 97.5 %, load 0.5 s, 1.4 µs/word
            (misses compounds: palliasjonsteamet -> palliasjonsteame)
  combined  table, then simplemma for words the table and suffix rule do not know:
            same accuracy as the table.
Norwegian uses the combined chain (table first, simplemma as the fallback); the
tables load lazily, only when lemmas are asked for (~120 MB resident). Other
languages use their spacy-lookups-data lookup table if it has one (English),
else simplemma.
"""

from __future__ import annotations

import functools
import gzip
import json
import os
import pickle
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import spacy
from spacy.attrs import IDX, IS_PUNCT, IS_SPACE, LENGTH, SENT_START
from spacy.language import Language
from spacy.symbols import ORTH
from spacy.tokens import Doc, Token

from qualcode.folding import fold  # noqa: F401  (re-exported: older callers import it here)
from qualcode.model import QualcodeError

# Aliases for codes spaCy does not know by that name.
_LANG_ALIASES = {"no": "nb", "nob": "nb", "nor": "nb", "eng": "en"}

# Abbreviations after which a sentence never ends (they introduce what follows).
_NEVER_FINAL = {
    "f.eks.", "feks.", "bl.a.", "ca.", "kl.", "dvs.", "nr.", "evt.", "pga.", "jf.", "jfr.",
    "dr.", "hhv.", "mht.", "iht.", "ifm.", "ift.", "vs.", "st.", "tlf.", "ang.", "avd.",
    "inkl.", "ekskl.", "prof.", "e.g.", "i.e.", "mr.", "mrs.", "ms.", "no.", "vol.",
}  # fmt: skip
# Abbreviations that may close a sentence ("... osv. Så gikk vi"): final before a capital.
_MAYBE_FINAL = {"osv.", "m.m.", "o.l.", "mv.", "m.fl.", "e.l.", "etc.", "o.a.", "stk."}
_CLOSERS = {'"', "»", "'", ")", "]", "”", "’", "›"}
_COMPOUNDING = {"nb", "nn", "da", "sv", "de", "nl"}  # closed compounds: suffix fallback helps
_MIN_SUFFIX = 4  # shorter known suffixes give false compound splits


# --------------------------------------------------------------------------- sentences


def _is_final(token: Token) -> bool:
    """Whether a sentence may end after ``token`` (closing quotes are handled apart)."""
    text = token.text
    if text[-1] not in ".!?…":  # nearly every token: decide before looking further
        return False
    low = text.lower()
    nxt = token.nbor() if token.i + 1 < len(token.doc) else None
    next_upper = nxt is None or nxt.is_space or nxt.text[:1].isupper() or not nxt.text[:1].isalnum()
    if low in _NEVER_FINAL:
        return False
    if set(text) <= set(".!?…"):
        # An ellipsis inside a sentence ("vi ... eh ... ringte") goes on in lower case.
        if ("…" in text or text.startswith("..")) and nxt is not None and nxt.is_lower:
            return False
        return True
    if len(text) > 1 and text.endswith("."):
        # "14.00.", "2019.", "1." and abbreviations such as "osv.": final before a capital.
        return next_upper and (nxt is None or not nxt.is_lower)
    return False


@Language.component("qualcode_sentencizer")
def qualcode_sentencizer(doc: Doc) -> Doc:
    """Sets ``is_sent_start`` on every token from punctuation, abbreviations and blank lines."""
    start_next = True
    pending_close = False  # a final token was seen; closers may still follow
    for token in doc:
        if token.is_space:
            token.is_sent_start = start_next and token.i == 0
            if token.text.count("\n") >= 2:
                start_next = True  # a paragraph break always ends the sentence
                pending_close = False
            elif pending_close:
                start_next, pending_close = True, False
            continue
        if pending_close and token.text in _CLOSERS and not token.nbor(-1).whitespace_:
            token.is_sent_start = False
            continue  # the quote or bracket belongs to the sentence it closes
        if pending_close:
            start_next, pending_close = True, False
        token.is_sent_start = start_next or token.i == 0
        start_next = False
        if _is_final(token):
            pending_close = True
    return doc


# ------------------------------------------------------------------------------ lemmas


def _lookups_dir() -> Path | None:
    try:
        import spacy_lookups_data
    except ImportError:  # the lemma falls back to simplemma or the lower-cased word
        return None
    return Path(spacy_lookups_data.__file__).parent / "data"


def _load_json_gz(path: Path) -> dict:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return json.load(fh)


# Verbs whose forms outrank a noun reading of the same spelling ("var" is "være", not pus).
_CORE_VERBS = {
    "være", "ha", "bli", "få", "gå", "si", "se", "komme", "ta", "gjøre", "kunne", "skulle",
    "ville", "måtte", "burde", "ligge", "legge", "stå", "sitte", "tro", "vite", "tenke",
    "synes", "gi", "finne", "bruke", "snakke", "ringe", "følge", "møte", "føle", "jobbe",
    "mene", "trenge", "hjelpe", "vise", "prøve", "ønske", "savne", "lage", "lure",
}  # fmt: skip


_TABLES_FORMAT = 1  # bump when _build_tables changes what it builds


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
    """(all forms, noun forms): lower-cased form -> lemma from spacy-lookups-data."""
    base = _lookups_dir()
    table: dict[str, str] = {}
    nouns: dict[str, str] = {}
    if base is None:
        return table, nouns
    lookup_path = base / f"{lang}_lemma_lookup.json.gz"
    if lookup_path.exists():
        lookup = _load_json_gz(lookup_path)
        for form, lemma in lookup.items():
            low = form.lower()
            if form == low or low not in lookup:  # lower-case entry's lemma first
                table[low] = str(lemma).lower()
    exc_path = base / f"{lang}_lemma_exc.json.gz"
    if lang == "nb" and exc_path.exists():  # POS-split full-form lexicon
        exc = _load_json_gz(exc_path)
        # Later tables win over the small function-word lookup: nouns over verbs, as
        # interview topics are mostly nouns ("leger" is doctors, not "legere");
        # frequent verbs are put back after.
        for pos in ("adv", "adj", "verb", "noun"):
            for form, lemmas in exc.get(pos, {}).items():
                if lemmas and " " not in form:
                    low = form.lower()
                    # Interned lemmas and shared keys keep the tables near 100 MB.
                    lemma = sys.intern(lemmas[0].lower())
                    table[low] = lemma
                    if pos == "noun":
                        nouns[low] = lemma
        if lookup_path.exists():  # pronouns and function words: "dem" is "de", not "demme"
            for form, lemma in _load_json_gz(lookup_path).items():
                if form == form.lower():
                    table[form] = str(lemma).lower()
        for form, lemmas in exc.get("verb", {}).items():
            if lemmas and lemmas[0].lower() in _CORE_VERBS:
                table[form.lower()] = lemmas[0].lower()
    return table, nouns or table


def _lemma_table(lang: str) -> dict[str, str]:
    return _tables(lang)[0]


def _table_exact(word: str, lang: str, nouns_only: bool = False) -> str | None:
    table = _tables(lang)[1 if nouns_only else 0]
    if word in table:
        return table[word]
    if lang == "nb" and len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        stem = table.get(word[:-1])  # genitive: "pårørendes", "kommunens"
        if stem is not None:
            return stem
    return None


def _table_suffix(word: str, lang: str) -> str | None:
    """Compound fallback: replace the longest known noun suffix by its lemma.

    Only nouns: the head of a Norwegian compound is nearly always one, and verb
    suffixes mislead ("palliasjonsteamet" would end in the verb "steame").
    """
    if not word.isalpha():
        return None
    for i in range(2, len(word) - _MIN_SUFFIX + 1):
        lemma = _table_exact(word[i:], lang, nouns_only=True)
        if lemma is not None:
            return word[:i] + lemma
    return None


def _simplemma(word: str, lang: str) -> str | None:
    try:
        import simplemma
    except ImportError:
        return None
    try:
        if not simplemma.is_known(word, lang=lang):
            lemma = simplemma.lemmatize(word, lang=lang)
            return lemma.lower() if lemma.lower() != word else None
        return simplemma.lemmatize(word, lang=lang).lower()
    except (ValueError, KeyError):  # a language simplemma does not have
        return None


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
    """Table, then compound suffix (Germanic languages), then simplemma, then the word."""
    has_table = bool(_lemma_table(lang))
    lemma = _table_exact(low, lang) if has_table else None
    if lemma is None and has_table and lang in _COMPOUNDING:
        lemma = _table_suffix(low, lang)
    return lemma or _simplemma(low, lang) or low


@Language.component("qualcode_lemmatizer")
def qualcode_lemmatizer(doc: Doc) -> Doc:
    """Sets ``token.lemma_`` (lower-cased) from the lookup tables."""
    lang = doc.lang_
    for token in doc:
        if not token.is_space and not token.is_punct:
            token.lemma_ = lemmatize_word(token.text, lang)
    return doc


# ---------------------------------------------------------------------------- pipeline


def _norm_lang(lang: str) -> str:
    lang = (lang or "nb").strip().lower().replace("_", "-").split("-")[0]
    return _LANG_ALIASES.get(lang, lang)


@functools.cache
def get_nlp(lang: str) -> Language:
    """A blank pipeline for ``lang``: tokenizer, our sentencizer and our lemmatizer."""
    code = _norm_lang(lang)
    try:
        nlp = spacy.blank(code)
    except (ImportError, KeyError) as exc:
        raise QualcodeError(f"Language '{lang}' is not known to spaCy.") from exc
    # Keep abbreviations one token whatever their case ("Nr." at a sentence start).
    for abbr in _NEVER_FINAL | _MAYBE_FINAL:
        for form in {abbr, abbr.capitalize(), abbr.upper()}:
            nlp.tokenizer.add_special_case(form, [{ORTH: form}])
    nlp.add_pipe("qualcode_sentencizer")
    nlp.add_pipe("qualcode_lemmatizer")
    return nlp


# Columns read from a Doc in one call: far cheaper than a Token object per word.
_COLUMNS = [IDX, LENGTH, IS_SPACE, IS_PUNCT, SENT_START]
_WORDISH = re.compile(r"[^\W_]")  # a letter or digit somewhere in the token


def _spans_of(doc: Doc, offset: int) -> list[tuple[int, int]]:
    """Sentence spans, whitespace-stripped, shifted by ``offset``."""
    text = doc.text
    rows = doc.to_array(_COLUMNS).tolist() if len(doc) else []
    starts = [i for i, row in enumerate(rows) if i == 0 or row[4] == 1]
    spans: list[tuple[int, int]] = []
    for k, first in enumerate(starts):
        last = (starts[k + 1] if k + 1 < len(starts) else len(rows)) - 1
        a, b = rows[first][0], rows[last][0] + rows[last][1]
        body = text[a:b]
        stripped = body.strip()
        if stripped:
            begin = a + len(body) - len(body.lstrip()) + offset
            spans.append((begin, begin + len(stripped)))
    return spans


def _lemmas_of(doc: Doc, offset: int, lang: str) -> list[tuple[int, int, str]]:
    """``(start, end, lemma)`` of every word token, lemmatised here (not by the component)."""
    text = doc.text
    out: list[tuple[int, int, str]] = []
    for idx, length, is_space, is_punct, _ in doc.to_array(_COLUMNS).tolist() if len(doc) else []:
        if is_space or is_punct:
            continue
        word = text[idx:idx + length]
        if _WORDISH.search(word):
            out.append((idx + offset, idx + offset + length, lemmatize_word(word, lang)))
    return out


def sentence_spans(
    text: str, lang: str, start: int = 0, end: int | None = None
) -> list[tuple[int, int]]:
    """Sentences of ``text[start:end]`` as absolute, whitespace-stripped spans."""
    piece = text[start:end]
    if not piece.strip():
        return []
    nlp = get_nlp(lang)
    with nlp.select_pipes(enable=["qualcode_sentencizer"]):
        return _spans_of(nlp(piece), start)


def lemma_tokens(text: str, lang: str) -> list[tuple[int, int, str]]:
    """``(start, end, lemma)`` for every word token; lemmas lower-cased."""
    nlp = get_nlp(lang)
    with nlp.select_pipes(disable=["qualcode_lemmatizer"]):
        return _lemmas_of(nlp(text), 0, _norm_lang(lang))


@dataclass(frozen=True)
class Analysis:
    sentences: list[tuple[int, int]]
    lemmas: list[tuple[int, int, str]]


def analyse_texts(texts: Iterable[str], lang: str) -> Iterator[Analysis]:
    """Sentences and lemmas of many texts, streamed through ``nlp.pipe``.

    The lemmatizer component is skipped: lemmas are looked up while reading the Doc's
    columns, which saves writing each one into the Doc and reading it back.
    """
    code = _norm_lang(lang)
    nlp = get_nlp(lang)
    with nlp.select_pipes(disable=["qualcode_lemmatizer"]):
        for doc in nlp.pipe(texts, batch_size=256):
            yield Analysis(sentences=_spans_of(doc, 0), lemmas=_lemmas_of(doc, 0, code))


# ------------------------------------------------------------------------ small helpers

def stop_words(lang: str) -> set[str]:
    """spaCy's stop words for ``lang`` (a copy)."""
    return set(get_nlp(lang).Defaults.stop_words)
