"""A deterministic synthetic corpus for the benchmarks and the safety tests.

N transcripts of about W words each, recombined from the demo study's own sentences
(so the language, names of services and sentence lengths are realistic), written as
``.md`` files with front matter, plus codings by two coders as a CSV. The same seed
always gives byte-identical files.
"""

from __future__ import annotations

import csv
import random
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.zipf import ZipfSentences, vocabulary
from qualcode.guide import load_guide
from qualcode.importers import parse_bytes
from qualcode.model import INFORMANT, Coding

REPO = Path(__file__).resolve().parent.parent
DEMO = REPO / "transcripts"
GUIDE = REPO / "interview_guide.yaml"
SIZES = ("stor", "mellomstor", "liten")
REGIONS = ("Nord", "Midt", "Vest", "Sør-Øst")
CODERS = ("koder-a", "koder-b")

_LABEL = re.compile(r"^(\[[0-9:]+\]\s*)?[^:\n]{1,40}:\s*", re.MULTILINE)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÆØÅ0-9\[])")


def demo_sentences(folder: Path = DEMO) -> list[str]:
    """Every sentence spoken in the demo transcripts (labels and front matter removed)."""
    out: list[str] = []
    for path in sorted(folder.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        if text.startswith("---"):
            text = text.split("\n---", 1)[1].split("\n", 1)[1]
        for para in text.split("\n\n"):
            para = _LABEL.sub("", para.strip(), count=1).replace("\n", " ").strip()
            if not para or para.startswith("#"):
                continue
            out.extend(s.strip() for s in _SENTENCE_END.split(para) if len(s.split()) >= 3)
    if not out:
        raise RuntimeError(f"no demo sentences found in {folder}")
    return out


def _stamp(seconds: int) -> str:
    return f"[{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}]"


def transcript_text(
    rng: random.Random,
    sentences: list[str],
    index: int,
    words: int,
    zipf: Callable[[random.Random], str] | None = None,
) -> str:
    """One interview of about ``words`` words: front matter, then alternating turns.

    With ``zipf``, every other sentence (on average) comes from it instead of the demo's.
    """
    size = SIZES[index % len(SIZES)]
    lines = [
        "---",
        f"case: Kommune {index + 1:04d}",
        f"size: {size}",
        f"region: {REGIONS[index % len(REGIONS)]}",
        "informants: [Kreftkoordinator]",
        "---",
        f"Syntetisk benchmark-intervju nr. {index + 1}.",
        "",
    ]
    count, clock, turn = 0, 4, 0
    while count < words:
        speaker = "Intervjuer" if turn % 2 == 0 else "Informant"
        # Interviewers ask briefly; informants talk at length, sometimes in paragraphs.
        n = rng.randint(1, 2) if turn % 2 == 0 else rng.randint(3, 12)
        body = [
            zipf(rng) if zipf is not None and rng.random() < 0.5 else rng.choice(sentences)
            for _ in range(n)
        ]
        if n > 6 and rng.random() < 0.5:
            cut = rng.randint(2, n - 2)
            para = " ".join(body[:cut]) + "\n\n" + " ".join(body[cut:])
        else:
            para = " ".join(body)
        lines.append(f"{_stamp(clock)} {speaker}: {para}")
        lines.append("")
        count += len(para.split())
        clock += 5 + len(para.split()) // 3
        turn += 1
    return "\n".join(lines)


def code_ids(guide_path: Path = GUIDE) -> list[str]:
    """The guide's themes and their codes."""
    return [c.id for c in load_guide(guide_path).codes()]


def informant_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Rough sentence spans inside one turn (enough to place realistic codings)."""
    spans, pos = [], start
    for m in _SENTENCE_END.finditer(text, start, end):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, end))
    return [(s, e) for s, e in spans if e - s > 10]


def make_codings(
    rng: random.Random, tid: str, text: str, spans: list[tuple[int, int]], n: int, codes: list[str]
) -> list[Coding]:
    """``n`` codings split between two coders who agree on about two-thirds of them."""
    out: list[Coding] = []
    for _ in range(n // 2):
        s, e = rng.choice(spans)
        code = rng.choice(codes)
        out.append(Coding(tid, s, e, code, CODERS[0], quote=text[s:e]))
        roll = rng.random()
        if roll < 0.67:  # agree: the same sentence and code
            b = (s, e, code)
        elif roll < 0.85:  # same passage, another code
            b = (s, e, rng.choice(codes))
        else:  # another passage
            s2, e2 = rng.choice(spans)
            b = (s2, e2, code)
        out.append(Coding(tid, b[0], b[1], b[2], CODERS[1], quote=text[b[0] : b[1]]))
    return out


@dataclass
class Corpus:
    root: Path  # a project folder: interview_guide.yaml, transcripts/, codings.csv
    files: list[Path] = field(default_factory=list)
    codings: list[Coding] = field(default_factory=list)
    words: int = 0

    @property
    def codings_csv(self) -> Path:
        return self.root / "codings.csv"


def zipf_sentences(sentences: list[str], seed: int) -> ZipfSentences:
    """Zipf-distributed sentences over an inflected vocabulary grown from the demo's words."""
    words = [w.lower() for s in sentences for w in re.findall(r"\w+", s)]
    return ZipfSentences(vocabulary(words, random.Random(seed)))


def build(
    root: Path,
    transcripts: int = 300,
    words: int = 8000,
    codings: int = 30_000,
    seed: int = 7,
    zipf: bool = False,
) -> Corpus:
    """Write the corpus into ``root`` (a fresh project folder) and return what was written.

    ``zipf``: half the sentences drawn from a Zipf vocabulary of ~50,000 Norwegian forms
    (benchmarks/zipf.py) rather than all from the demo study's 1,849 words.
    """
    rng = random.Random(seed)
    sentences = demo_sentences()
    extra = zipf_sentences(sentences, seed) if zipf else None
    codes = code_ids()
    folder = root / "transcripts"
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(GUIDE, root / "interview_guide.yaml")
    corpus = Corpus(root)
    per = [
        codings // transcripts + (1 if i < codings % transcripts else 0) for i in range(transcripts)
    ]
    for i in range(transcripts):
        data = transcript_text(rng, sentences, i, words, extra).encode("utf-8")
        path = folder / f"intervju-{i + 1:04d}.md"
        path.write_bytes(data)
        corpus.files.append(path)
        t = parse_bytes(data, str(path))  # offsets must be the importer's own
        corpus.words += t.words
        spans = [
            s
            for u in t.turns
            if u.role == INFORMANT
            for s in informant_sentences(t.text, u.start, u.end)
        ]
        corpus.codings.extend(make_codings(rng, t.id, t.text, spans, per[i], codes))
    with corpus.codings_csv.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["transcript", "coder", "code", "start", "end"])
        writer.writerows((c.transcript, c.coder, c.code, c.start, c.end) for c in corpus.codings)
    return corpus
