"""Tests for the language layer (qualcode.nlp); single-word lemmas: test_lemmas.py."""

from __future__ import annotations

import socket

import pytest

from qualcode import lemmas, nlp
from qualcode.nlp import (
    analyse_texts,
    fold,
    get_nlp,
    lemma_tokens,
    lemmatize_word,
    sentence_spans,
    stop_words,
)


def texts(text: str, spans: list[tuple[int, int]]) -> list[str]:
    return [text[a:b] for a, b in spans]


def test_abbreviations_and_times_do_not_split() -> None:
    text = "Vi har bl.a. fastvakt. Møtet er kl. 14.00. Deretter ringer vi f.eks. fastlegen."
    spans = sentence_spans(text, "nb")
    first = text.index("Møtet")
    third = text.index("Deretter")
    assert spans == [(0, first - 1), (first, third - 1), (third, len(text))]


@pytest.mark.parametrize(
    "sentence",
    [
        "Det var ca. 20 stk. dvs. mange.",
        "Vi ringte Nr. 5, jf. loven, pga. smerter.",
        "Hun kom den 1. mai og gikk evt. hjem.",
        "Vi drøftet m.m. og o.l. på møtet.",
        "Det gjelder sykehjem osv. i hele kommunen.",
        "Han bor i 3. etasje.",
        "Det står i Meld. St. 24 om palliasjon.",
        "Vi fulgte St.meld. nr. 24 i hht. planen.",
    ],
)
def test_one_sentence(sentence: str) -> None:
    assert sentence_spans(sentence, "nb") == [(0, len(sentence))]


def test_year_and_osv_end_a_sentence_before_a_capital() -> None:
    text = "Det startet i 2019. Vi hadde møter osv. Så ble det bedre."
    assert texts(text, sentence_spans(text, "nb")) == [
        "Det startet i 2019.",
        "Vi hadde møter osv.",
        "Så ble det bedre.",
    ]


def test_paragraph_break_ends_a_sentence_and_quotes_stay() -> None:
    text = "Hun sa: «Nei.» Så gikk hun!\n\nEn linje uten punktum\n\n  Til slutt?  "
    assert texts(text, sentence_spans(text, "nb")) == [
        "Hun sa: «Nei.»",
        "Så gikk hun!",
        "En linje uten punktum",
        "Til slutt?",
    ]


def test_offsets_are_absolute_with_start_and_end() -> None:
    text = "Øystein: Pårørende får hjelp. Åse svarer kl. 09.15.\nI: Ja."
    start = text.index("Pårørende")
    end = text.index("\nI:")
    spans = sentence_spans(text, "nb", start, end)
    assert texts(text, spans) == ["Pårørende får hjelp.", "Åse svarer kl. 09.15."]
    assert all(start <= a < b <= end for a, b in spans)


def test_blank_text_has_no_sentences() -> None:
    assert sentence_spans("  \n\n ", "nb") == []


def test_lemmatize_word_is_re_exported() -> None:
    assert nlp.lemmatize_word is lemmas.lemmatize_word


def test_english_lemma() -> None:
    assert lemmatize_word("patients", "en") == "patient"
    assert [lemma for *_, lemma in lemma_tokens("The patients were here.", "en")] == [
        "the",
        "patient",
        "be",
        "here",
    ]


def test_lemma_tokens_offsets_and_pipeline_lemmas() -> None:
    text = "Pårørendes møte med fastlegene, ikke sant?"
    tokens = lemma_tokens(text, "nb")
    assert [text[a:b] for a, b, _ in tokens] == [
        "Pårørendes",
        "møte",
        "med",
        "fastlegene",
        "ikke",
        "sant",
    ]
    assert tokens[0][2] == "pårørende" and tokens[3][2] == "fastlege"
    assert [t.lemma_ for t in get_nlp("nb")("fastlegene")] == ["fastlege"]


def test_analyse_texts_matches_single_calls() -> None:
    docs = ["Vi har bl.a. fastvakt. Det hjelper.", "Sykepleierne kom kl. 14.00."]
    results = list(analyse_texts(docs, "nb"))
    assert len(results) == 2
    for doc, result in zip(docs, results, strict=True):
        assert result.sentences == sentence_spans(doc, "nb")
        assert result.lemmas == lemma_tokens(doc, "nb")


def test_fold() -> None:
    assert fold("Pårørende") == "parorende"
    assert fold("Ærlig Søknad Café") == "aerlig soknad cafe"


def test_stop_words() -> None:
    words = stop_words("nb")
    assert "og" in words and "fastlege" not in words
    assert "the" in stop_words("en")


def test_unknown_language_is_a_user_error() -> None:
    from qualcode.model import QualcodeError

    with pytest.raises(QualcodeError):
        get_nlp("zz-not-a-language")


def test_pipeline_builds_without_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError("network used")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    nlp.get_nlp.cache_clear()
    lemmas._tables.cache_clear()
    lemmas.lemmatize_word.cache_clear()
    pipe = get_nlp("da")
    doc = pipe("Patienterne kom. De gik hjem.")
    assert len(list(doc.sents)) == 2
    assert lemmatize_word("fastlegene", "nb") == "fastlege"
