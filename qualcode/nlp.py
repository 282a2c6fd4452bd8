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
from spacy.attrs import IDX, IS_LOWER, IS_PUNCT, IS_SPACE, LENGTH, SENT_START, SPACY
from spacy.language import Language
from spacy.symbols import ORTH
from spacy.tokens import Doc

from qualcode.folding import fold  # noqa: F401  (re-exported: older callers import it here)
from qualcode.i18n import ui
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


def _is_final(text: str, nxt: str | None, nxt_space: bool, nxt_lower: bool) -> bool:
    """Whether a sentence may end after the token ``text`` (closing quotes are handled apart);
    ``nxt`` is the next token's text (None at the end), with its IS_SPACE and IS_LOWER."""
    if text[-1] not in ".!?…":  # nearly every token: decide before looking further
        return False
    low = text.lower()
    next_upper = nxt is None or nxt_space or nxt[:1].isupper() or not nxt[:1].isalnum()
    if low in _NEVER_FINAL:
        return False
    if set(text) <= set(".!?…"):
        # An ellipsis inside a sentence ("vi ... eh ... ringte") goes on in lower case.
        if ("…" in text or text.startswith("..")) and nxt is not None and nxt_lower:
            return False
        return True
    if len(text) > 1 and text.endswith("."):
        # "14.00.", "2019.", "1." and abbreviations such as "osv.": final before a capital.
        return next_upper and (nxt is None or not nxt_lower)
    return False


# Columns read from a Doc in one call: far cheaper than a Token object per word (and than
# Doc.text, which joins a Token object per word; the callers have the text already).
_COLUMNS = [IDX, LENGTH, IS_SPACE, IS_PUNCT, SPACY, IS_LOWER]


@dataclass
class _Tokens:
    """A Doc's tokens as columns (lists, one per attribute) and their texts."""

    idx: list[int]
    length: list[int]
    space: list[int]  # IS_SPACE
    punct: list[int]  # IS_PUNCT
    after: list[int]  # SPACY: whitespace follows
    lower: list[int]  # IS_LOWER
    words: list[str]


def _tokens(doc: Doc, text: str) -> _Tokens:
    if not len(doc):
        return _Tokens([], [], [], [], [], [], [])
    # Column by column: a list per column, not a list per token (that cost more than
    # everything else read here).
    idx, length, space, punct, after, lower = doc.to_array(_COLUMNS).T.tolist()
    words = [text[i : i + n] for i, n in zip(idx, length, strict=True)]
    return _Tokens(idx, length, space, punct, after, lower, words)


def sentence_starts(doc: Doc, text: str | None = None, tokens: _Tokens | None = None) -> list[int]:
    """Per token: 1 where a sentence starts, -1 where none does (SENT_START's values).

    Decided from punctuation, abbreviations and blank lines, without writing to the Doc and
    without a Token object per word (``text`` is the Doc's text, ``tokens`` its columns).
    """
    if tokens is None:
        tokens = _tokens(doc, doc.text if text is None else text)
    words, space, after, lower = tokens.words, tokens.space, tokens.after, tokens.lower
    n = len(words)
    starts = [-1] * n
    start_next = True
    pending_close = False  # a final token was seen; closers may still follow
    for i, word in enumerate(words):
        if space[i]:
            if start_next and i == 0:
                starts[0] = 1
            if word.count("\n") >= 2:
                start_next = True  # a paragraph break always ends the sentence
                pending_close = False
            elif pending_close:
                start_next, pending_close = True, False
            continue
        if pending_close and word in _CLOSERS and not after[i - 1]:
            continue  # the quote or bracket belongs to the sentence it closes
        if pending_close:
            start_next, pending_close = True, False
        if start_next or i == 0:
            starts[i] = 1
        start_next = False
        if word[-1] in ".!?…":
            last = i + 1 == n
            nxt = None if last else words[i + 1]
            nxt_space, nxt_lower = (
                (False, False) if last else (bool(space[i + 1]), bool(lower[i + 1]))
            )
            if _is_final(word, nxt, nxt_space, nxt_lower):
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
        raise QualcodeError(
            ui("Language '{lang}' is not known to spaCy.").format(lang=lang)
        ) from exc
    # Keep abbreviations one token whatever their case ("Nr." at a sentence start).
    tokenizer: Any = nlp.tokenizer  # spaCy types it as a plain callable
    for abbr in _NEVER_FINAL | _MAYBE_FINAL:
        for form in {abbr, abbr.capitalize(), abbr.upper()}:
            tokenizer.add_special_case(form, [{ORTH: form}])
    nlp.add_pipe("qualcode_sentencizer")
    nlp.add_pipe("qualcode_lemmatizer")
    return nlp


def _spans_of(tokens: _Tokens, text: str, starts: list[int], offset: int) -> list[tuple[int, int]]:
    """Sentence spans, whitespace-stripped, shifted by ``offset`` (``starts`` as
    :func:`sentence_starts` gives them)."""
    idx, length = tokens.idx, tokens.length
    firsts = [i for i, start in enumerate(starts) if i == 0 or start == 1]
    spans: list[tuple[int, int]] = []
    for k, first in enumerate(firsts):
        last = (firsts[k + 1] if k + 1 < len(firsts) else len(idx)) - 1
        a, b = idx[first], idx[last] + length[last]
        body = text[a:b]
        stripped = body.strip()
        if stripped:
            begin = a + len(body) - len(body.lstrip()) + offset
            spans.append((begin, begin + len(stripped)))
    return spans


def _lemmas_of(
    tokens: _Tokens, offset: int, lang: str, seen: dict[str, str] | None = None
) -> list[tuple[int, int, str]]:
    """``(start, end, lemma)`` of every word, lemmatised here (not by the component).

    A word is a run of letters and digits: a token's stuck-on punctuation is left out
    ("B." in "plan B." is "B"), and a hyphenated or dashed compound is its parts
    ("e-melding" is "e" and "melding"), so a search for "melding" finds it. Queries are
    split the same way (see :func:`qualcode.lemmas.word_parts`). ``seen`` keeps the lemma
    of each word form across calls (most words of a turn were seen in earlier turns).
    """
    seen = {} if seen is None else seen
    out: list[tuple[int, int, str]] = []
    columns = zip(tokens.words, tokens.idx, tokens.length, tokens.space, tokens.punct, strict=True)
    for token, idx, length, is_space, is_punct in columns:
        if is_space or is_punct:
            continue
        if token.isalnum():  # one word part, the whole token (\w is isalnum, or "_")
            lemma = seen.get(token)
            if lemma is None:
                lemma = seen[token] = lemmatize_word(token, lang)
            out.append((idx + offset, idx + offset + length, lemma))
            continue
        for m in WORD_PART.finditer(token):
            start = idx + offset + m.start()
            out.append((start, start + m.end() - m.start(), lemmatize_word(m.group(), lang)))
    return out


def _tokenizer_only(nlp: Language) -> Any:
    """The pipeline with neither component: sentences and lemmas are read from the columns
    here, with the text at hand, rather than written into each Doc and read back."""
    return nlp.select_pipes(disable=["qualcode_sentencizer", "qualcode_lemmatizer"])


def sentence_spans(
    text: str, lang: str, start: int = 0, end: int | None = None
) -> list[tuple[int, int]]:
    """Sentences of ``text[start:end]`` as absolute, whitespace-stripped spans."""
    piece = text[start:end]
    if not piece.strip():
        return []
    nlp = get_nlp(lang)
    spans: list[tuple[int, int]] = []
    with _tokenizer_only(nlp):
        # a very long stretch in pieces cut at boundaries: spaCy has a length limit
        for at, part in nlp_pieces(piece, start):
            if part.strip():
                doc = nlp(part)
                tokens = _tokens(doc, part)
                spans += _spans_of(tokens, part, sentence_starts(doc, part, tokens), at)
    return spans


def lemma_tokens(text: str, lang: str) -> list[tuple[int, int, str]]:
    """``(start, end, lemma)`` for every word token; lemmas lower-cased."""
    nlp = get_nlp(lang)
    with _tokenizer_only(nlp):
        return _lemmas_of(_tokens(nlp(text), text), 0, _norm_lang(lang))


@dataclass(frozen=True)
class Analysis:
    sentences: list[tuple[int, int]]
    lemmas: list[tuple[int, int, str]]


def analyse_texts(
    texts: Iterable[str], lang: str, offsets: Iterable[int] | None = None
) -> Iterator[Analysis]:
    """Sentences and lemmas of many texts, streamed through ``nlp.pipe`` (the tokenizer);
    spans shifted by each text's offset, where ``offsets`` gives them.

    Both are read from each Doc's columns with its text at hand: no Token object per word,
    no writing sentence starts and lemmas into the Doc to read them back.
    """
    code = _norm_lang(lang)
    nlp = get_nlp(lang)
    seen: dict[str, str] = {}
    texts = list(texts)
    shifts = list(offsets) if offsets is not None else [0] * len(texts)
    with _tokenizer_only(nlp):
        pairs = zip(texts, zip(texts, shifts, strict=True), strict=True)
        for doc, (text, at) in nlp.pipe(pairs, batch_size=256, as_tuples=True):
            tokens = _tokens(doc, text)
            starts = sentence_starts(doc, text, tokens)
            yield Analysis(
                sentences=_spans_of(tokens, text, starts, at),
                lemmas=_lemmas_of(tokens, at, code, seen),
            )


# ------------------------------------------------------------------------ small helpers


def stop_words(lang: str) -> set[str]:
    """spaCy's stop words for ``lang`` (a copy)."""
    return set(get_nlp(lang).Defaults.stop_words)
