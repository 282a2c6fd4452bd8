"""What a user gets: the demo study's exports, opened in LibreOffice and rendered.

    python scripts/render_exports.py            # refresh the pictures in docs/
    python scripts/render_exports.py --keep DIR # and keep the exports and PDFs in DIR

Exports the demo study (a copy, in a temporary folder) as Word and Excel files, converts
each to PDF with LibreOffice (``soffice --headless``) and the first page of each to a PNG
(``pdftoppm``, poppler). ``tests/test_visual_check.py`` uses the same steps.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"

# (file name, export arguments): the exports the README shows
EXPORTS: list[tuple[str, list[str]]] = [
    ("rapport.docx", ["summaries", "--detail", "questions", "--heading-level", "2"]),
    ("matrise.docx", ["matrix"]),
    ("tabell1.docx", ["comparison"]),
    ("samsvar.docx", ["agreement", "--coders", "anna", "bjorn", "--unit", "sentence"]),
    ("matrise.xlsx", ["matrix"]),
    ("tabell1.xlsx", ["comparison"]),
]


def tools() -> tuple[str | None, str | None, str | None]:
    """soffice, pdftoppm and pdftotext where installed."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    return soffice, shutil.which("pdftoppm"), shutil.which("pdftotext")


def export_demo(folder: Path) -> list[Path]:
    """The demo study copied into ``folder`` and every export of EXPORTS written there."""
    from qualcode.cli import main

    shutil.copytree(ROOT / "transcripts", folder / "transcripts")
    shutil.copy(ROOT / "interview_guide.yaml", folder)
    runner = CliRunner()
    out = []
    for name, args in EXPORTS:
        target = folder / name
        result = runner.invoke(
            main, ["--project", str(folder), "export", *args, "--out", str(target)]
        )
        if result.exit_code != 0:
            raise RuntimeError(f"export {name} failed: {result.output}")
        out.append(target)
    return out


def to_pdf(soffice: str, files: list[Path], outdir: Path) -> list[Path]:
    """Each file converted to PDF by LibreOffice, as a user opening it would see it printed
    (``matrise.docx`` to ``matrise.docx.pdf``: a workbook may share a document's stem)."""
    outdir.mkdir(parents=True, exist_ok=True)
    out = []
    for suffix in sorted({f.suffix for f in files}):
        group = [f for f in files if f.suffix == suffix]
        target = outdir / suffix.lstrip(".")
        # a private profile: no clash with a LibreOffice the user has open
        with tempfile.TemporaryDirectory() as profile:
            subprocess.run(
                [
                    soffice,
                    f"-env:UserInstallation=file://{profile}",
                    "--headless",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    str(target),
                    *map(str, group),
                ],
                check=True,
                capture_output=True,
                timeout=300,
            )
        for f in group:
            pdf = outdir / f"{f.name}.pdf"
            (target / f"{f.stem}.pdf").replace(pdf)
            out.append(pdf)
    by_name = {p.name: p for p in out}
    return [by_name[f"{f.name}.pdf"] for f in files]


def to_png(pdftoppm: str, pdf: Path, target: Path, page: int = 1, dpi: int = 70) -> Path:
    """One page of a PDF as a PNG at ``target``."""
    stem = target.with_suffix("")
    subprocess.run(
        [
            pdftoppm,
            "-png",
            "-r",
            str(dpi),
            "-f",
            str(page),
            "-l",
            str(page),
            "-singlefile",
            str(pdf),
            str(stem),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return target


def main(argv: list[str]) -> int:
    soffice, pdftoppm, _ = tools()
    if not soffice or not pdftoppm:
        print("needs LibreOffice (soffice) and poppler (pdftoppm)", file=sys.stderr)
        return 1
    keep = Path(argv[argv.index("--keep") + 1]) if "--keep" in argv else None
    with tempfile.TemporaryDirectory() as tmp:
        folder = keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        files = export_demo(folder)
        pdfs = to_pdf(soffice, files, folder / "pdf")
        DOCS.mkdir(exist_ok=True)
        for pdf, source in zip(pdfs, files, strict=True):
            png = DOCS / f"export-{source.stem}-{source.suffix.lstrip('.')}.png"
            to_png(pdftoppm, pdf, png)
            print(png.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
