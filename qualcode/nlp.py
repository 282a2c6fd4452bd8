"""The language layer: sentence spans, lemmas and folding, on a blank spaCy pipeline.

No trained pipeline is used (none can be downloaded): the pipeline is spaCy's
tokenizer plus two components of ours, a rule sentencizer that knows Norwegian
abbreviations and times, and a lookup lemmatizer.

The lemmas come from qualcode.lemmas (no spaCy there, so a search query is lemmatised
without loading it); the lemma choice is measured in its docstring.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy
import spacy
from spacy.attrs import IDX, IS_PUNCT, IS_SPACE, LENGTH, SENT_START
from spacy.language import Language
from spacy.symbols import ORTH
from spacy.tokens import Doc, Token

from qualcode.folding import fold  # noqa: F401  (re-exported: older callers import it here)
from qualcode.lemmas import _LANG_ALIASES, WORD_PART, lemmatize_word
from qualcode.model import QualcodeError
from qualcode.nlp_chunks import nlp_pieces

# Abbreviations after which a sentence never ends (they introduce what follows).
_NEVER_FINAL = {
    "f.eks.", "feks.", "bl.a.", "ca.", "kl.", "dvs.", "nr.", "evt.", "pga.", "jf.", "jfr.",
    "dr.", "hhv.", "mht.", "iht.", "ifm.", "ift.", "vs.", "st.", "tlf.", "ang.", "avd.",
    "inkl.", "ekskl.", "prof.", "e.g.", "i.e.", "mr.", "mrs.", "ms.", "no.", "vol.",
    "meld.", "st.meld.", "hht.", "jmf.", "mtp.", "bl.", "pkt.",
}  # fmt: skip
# Abbreviations that may close a sentence ("... osv. Så gikk vi"): final before a capital.
_MAYBE_FINAL = {"osv.", "m.m.", "o.l.", "mv.", "m.fl.", "e.l.", "etc.", "o.a.", "stk."}
_CLOSERS = {'"', "»", "'", ")", "]", "”", "’", "›"}


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


def sentence_starts(doc: Doc) -> list[int]:
    """Per token: 1 where a sentence starts, -1 where none does (SENT_START's values).

    Decided from punctuation, abbreviations and blank lines, without writing to the Doc.
    """
    starts = [-1] * len(doc)
    start_next = True
    pending_close = False  # a final token was seen; closers may still follow
    for token in doc:
        if token.is_space:
            if start_next and token.i == 0:
                starts[0] = 1
            if token.text.count("\n") >= 2:
                start_next = True  # a paragraph break always ends the sentence
                pending_close = False
            elif pending_close:
                start_next, pending_close = True, False
            continue
        if pending_close and token.text in _CLOSERS and not token.nbor(-1).whitespace_:
            continue  # the quote or bracket belongs to the sentence it closes
        if pending_close:
            start_next, pending_close = True, False
        if start_next or token.i == 0:
            starts[token.i] = 1
        start_next = False
        if _is_final(token):
            pending_close = True
    return starts


@Language.component("qualcode_sentencizer")
def qualcode_sentencizer(doc: Doc) -> Doc:
    """Sets every token's sentence start in one array write.

    Setting ``token.is_sent_start`` one token at a time makes spaCy scan the whole Doc
    (``Doc.has_annotation``) on each set: quadratic in the length of a turn, so a long
    interview without speaker labels took seconds.
    """
    if len(doc):
        # spaCy's stubs want its own Ints2d; a uint64 column is what it reads
        column: Any = numpy.asarray(sentence_starts(doc), dtype=numpy.int64).astype(numpy.uint64)
        doc.from_array([SENT_START], column.reshape(-1, 1))
    return doc


# ------------------------------------------------------------------------------ lemmas


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
    tokenizer: Any = nlp.tokenizer  # spaCy types it as a plain callable
    for abbr in _NEVER_FINAL | _MAYBE_FINAL:
        for form in {abbr, abbr.capitalize(), abbr.upper()}:
            tokenizer.add_special_case(form, [{ORTH: form}])
    nlp.add_pipe("qualcode_sentencizer")
    nlp.add_pipe("qualcode_lemmatizer")
    return nlp


# Columns read from a Doc in one call: far cheaper than a Token object per word.
_COLUMNS = [IDX, LENGTH, IS_SPACE, IS_PUNCT, SENT_START]


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
    """``(start, end, lemma)`` of every word, lemmatised here (not by the component).

    A word is a run of letters and digits: a token's stuck-on punctuation is left out
    ("B." in "plan B." is "B"), and a hyphenated or dashed compound is its parts
    ("e-melding" is "e" and "melding"), so a search for "melding" finds it. Queries are
    split the same way (see :func:`qualcode.lemmas.word_parts`).
    """
    text = doc.text
    out: list[tuple[int, int, str]] = []
    for idx, length, is_space, is_punct, _ in doc.to_array(_COLUMNS).tolist() if len(doc) else []:
        if is_space or is_punct:
            continue
        token = text[idx : idx + length]
        for m in WORD_PART.finditer(token):
            start = idx + offset + m.start()
            out.append((start, start + m.end() - m.start(), lemmatize_word(m.group(), lang)))
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
        # a very long stretch in pieces cut at boundaries: spaCy has a length limit
        return [
            span
            for at, part in nlp_pieces(piece, start)
            if part.strip()
            for span in _spans_of(nlp(part), at)
        ]


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
