"""Run QualCoder's own REFI-QDA import and export headless: an outside test tool for
qualcode's exchange, not part of qualcode (no qualcode code uses it; it needs PyQt6).

QualCoder (LGPL-3, github.com/ccbogel/QualCoder) is used unchanged from its source tree
(``QC_SRC``, the folder holding ``qualcoder/``): this script only stubs its dialogs and message
boxes and gives ``RefiImport``/``RefiExport`` a minimal ``app``; the project database is made
with the CREATE TABLE statements read from QualCoder's own ``new_project``. Set up once, in a
venv of its own:

    python -m venv qc-venv && qc-venv/bin/pip install PyQt6 Pillow pymupdf
    QC_SRC=/path/to/QualCoder/src qc-venv/bin/python tools/qualcoder_peer.py import demo.qdpx
    QC_SRC=... qc-venv/bin/python tools/qualcoder_peer.py export out.qdpx

``import`` prints (and with ``--json OUT`` writes) whether QualCoder's import finished, its
error if not, the folder it left behind, and what landed in its tables: codings, memos, cases,
case links, attributes, journals. ``export`` builds a small QualCoder project with cases and
file attributes (the data entered as QualCoder's dialogs store it) and writes QualCoder's own
.qdpx of it: how tests/fixtures/refi/qualcoder-4.0-cases.qdpx was made.
"""

from __future__ import annotations

import ast
import builtins
import gettext
import json
import os
import sqlite3
import sys
import tempfile
import traceback
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
QC_SRC = Path(os.environ.get("QC_SRC", "QualCoder/src"))
sys.path.insert(0, str(QC_SRC))
builtins._ = gettext.gettext  # type: ignore[attr-defined]

from PyQt6 import QtWidgets  # noqa: E402

QT_APP = QtWidgets.QApplication([])

from qualcoder import refi  # noqa: E402


class _Quiet:
    """Stands in for QualCoder's message boxes and the line-ending dialog."""

    def __init__(self, *args, **kwargs):
        self.args = args
        self.ui = self
        self.radioButton_maxqda = self

    def exec(self):
        MESSAGES.append(" | ".join(str(a) for a in self.args[1:3]))
        return 1

    def isChecked(self):
        return False


MESSAGES: list[str] = []
refi.Message = _Quiet
refi.RefiLineEndings = _Quiet


class TextLog:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def append(self, text: str) -> None:
        self.lines.append(str(text))


def qualcoder_schema() -> list[str]:
    """The CREATE TABLE statements of QualCoder's new-project function, read from its source."""
    tree = ast.parse((QC_SRC / "qualcoder" / "__main__.py").read_text(encoding="utf-8"))
    for fn in ast.walk(tree):
        if isinstance(fn, ast.FunctionDef) and fn.name == "new_project":
            out = []
            for call in ast.walk(fn):
                if (
                    isinstance(call, ast.Call)
                    and getattr(call.func, "attr", "") == "execute"
                    and call.args
                    and isinstance(call.args[0], ast.Constant)
                    and str(call.args[0].value).startswith("CREATE TABLE")
                ):
                    out.append(call.args[0].value)
            return out
    raise SystemExit("QualCoder's new_project not found")


class FakeApp:
    version = "QualCoder 4.0 Beta"

    def __init__(self, folder: Path, coder: str = "default") -> None:
        self.project_path = str(folder)
        self.project_name = folder.name
        for sub in ("images", "audio", "video", "documents"):
            (folder / sub).mkdir(parents=True, exist_ok=True)
        self.conn = sqlite3.connect(folder / "data.qda")
        for ddl in qualcoder_schema():
            self.conn.execute(ddl)
        self.conn.execute(
            "CREATE TABLE coder_names (name TEXT UNIQUE NOT NULL, visibility INTEGER NOT NULL DEFAULT 1)"
        )
        self.conn.execute(
            "INSERT INTO project VALUES('v17','2026-01-05 10:00:00','',?,0,0,?,'',null,null,null)",
            (self.version, coder),
        )
        self.conn.commit()
        self.settings = {
            "directory": str(folder.parent),
            "codername": coder,
            "ai_enable": "False",
            "fontsize": 10,
            "font": "sans",
        }
        self.ai_models: list = []

    def write_config_ini(self, settings, ai_models) -> None:
        pass

    def get_annotations(self) -> list[dict]:
        rows = self.conn.execute(
            "select anid, fid, pos0, pos1, memo, owner, date from annotation"
        ).fetchall()
        keys = "anid", "fid", "pos0", "pos1", "memo", "owner", "date"
        return [dict(zip(keys, r, strict=True)) for r in rows]


def counts(conn: sqlite3.Connection) -> dict:
    one = lambda sql: conn.execute(sql).fetchone()[0]  # noqa: E731
    return {
        "sources": one("select count(*) from source"),
        "codes": one("select count(*) from code_name"),
        "categories": one("select count(*) from code_cat"),
        "codings": one("select count(*) from code_text"),
        "codings_with_memo": one("select count(*) from code_text where ifnull(memo,'')<>''"),
        "coders": sorted(r[0] for r in conn.execute("select distinct owner from code_text")),
        "cases": one("select count(*) from cases"),
        "cases_with_memo": one("select count(*) from cases where ifnull(memo,'')<>''"),
        "case_text": one("select count(*) from case_text"),
        "cases_linked": one("select count(distinct caseid) from case_text"),
        "sources_linked": one("select count(distinct fid) from case_text"),
        "attribute_types": one("select count(*) from attribute_type"),
        "case_attributes": one("select count(*) from attribute where attr_type='case'"),
        "case_attributes_with_value": one(
            "select count(*) from attribute where attr_type='case' and ifnull(value,'')<>''"
        ),
        "file_attributes": one("select count(*) from attribute where attr_type='file'"),
        "journals": one("select count(*) from journal"),
        "annotations": one("select count(*) from annotation"),
        "source_memos": one("select count(*) from source where ifnull(memo,'')<>''"),
        "code_memos": one("select count(*) from code_name where ifnull(memo,'')<>''"),
        "project_memo": one("select ifnull(memo,'') from project"),
    }


def run_import(path: Path, out_json: Path | None) -> int:
    work = Path(tempfile.mkdtemp(prefix="qc-import-"))
    # RefiImport unzips next to the file; work on a copy so leftovers are visible and ours.
    copy = work / path.name
    copy.write_bytes(path.read_bytes())
    app = FakeApp(work / "project.qda")
    QtWidgets.QFileDialog.getOpenFileName = staticmethod(lambda *a, **k: (str(copy), "x"))  # type: ignore[method-assign]
    log = TextLog()
    result: dict = {"file": str(path)}
    try:
        refi.RefiImport(app, log, "qdpx")
        result["finished"] = True
    except Exception as exc:  # the point is to see QualCoder's own failure
        result["finished"] = False
        result["error"] = f"{type(exc).__name__}: {exc}"
        result["traceback"] = traceback.format_exc().splitlines()[-6:]
    result["left_behind"] = [p.name for p in work.iterdir() if p.name.endswith("_temporary")]
    result["counts"] = counts(app.conn)
    result["log"] = log.lines
    result["messages"] = MESSAGES
    text = json.dumps(result, ensure_ascii=False, indent=1)
    if out_json:
        out_json.write_text(text, encoding="utf-8")
    print(text)
    return 0 if result["finished"] else 1


def build_small_project(app: FakeApp) -> None:
    """A small QualCoder project, entered as QualCoder's own dialogs store it."""
    c = app.conn
    when = "2026-01-05 10:00:00"
    texts = {
        "intervju-a.txt": "Intervjuer: Hvordan gikk det?\nInformant: Det gikk fint, takk.\n"
        "Informant: Pårørende fikk hjelp hjemme. 🙂 Vi ønsket mer tid.\n",
        "intervju-b.txt": "Intervjuer: Hva savnet dere?\nInformant: Vi savnet nattevakt og "
        "en fast lege.\nInformant: Hjemmetjenesten var god.\n",
        "notat-c.txt": "Feltnotat uten case: møte med kreftkoordinator.\n",
    }
    fid = {}
    for name, text in texts.items():
        cur = c.execute(
            "insert into source(name,fulltext,mediapath,memo,owner,date) values(?,?,?,?,?,?)",
            (name, text, None, f"Memo til {name}", "anna", when),
        )
        fid[name] = cur.lastrowid
        (Path(app.project_path) / "documents" / name).write_text(text, encoding="utf-8")
    cat = c.execute(
        "insert into code_cat(name,owner,date,memo,supercatid) values('Tjenester','anna',?,'Kategori-memo',null)",
        (when,),
    ).lastrowid
    cid = {}
    for name, color, memo, catid in (
        ("hjelp hjemme", "#F781F3", "Hjelp i hjemmet", cat),
        ("savn", "#81DAF5", "", cat),
        ("tid", "#F3F781", "Om tid", None),
    ):
        cid[name] = c.execute(
            "insert into code_name(name,memo,catid,owner,date,color,supercid) values(?,?,?,?,?,?,null)",
            (name, memo, catid, "anna", when, color),
        ).lastrowid

    def code(source: str, code_name: str, phrase: str, owner: str, memo: str = "") -> None:
        text = texts[source]
        pos0 = text.index(phrase)
        c.execute(
            "insert into code_text(cid,fid,seltext,pos0,pos1,owner,date,memo,important) "
            "values(?,?,?,?,?,?,?,?,null)",
            (cid[code_name], fid[source], phrase, pos0, pos0 + len(phrase), owner, when, memo),
        )

    code(
        "intervju-a.txt", "hjelp hjemme", "Pårørende fikk hjelp hjemme.", "anna", "Tydelig eksempel"
    )
    code("intervju-a.txt", "tid", "Vi ønsket mer tid.", "anna")
    code("intervju-a.txt", "tid", "Vi ønsket mer tid.", "bjorn", "Enig")
    code("intervju-b.txt", "savn", "Vi savnet nattevakt og en fast lege.", "bjorn")
    c.execute(
        "insert into annotation(fid,pos0,pos1,memo,owner,date) values(?,?,?,?,?,?)",
        (fid["intervju-b.txt"], 0, 11, "Intervjuerens første spørsmål", "anna", when),
    )
    for name, kind in (("størrelse", "character"), ("innbyggere", "numeric")):
        c.execute(
            "insert into attribute_type(name,date,owner,memo,caseOrFile,valuetype) values(?,?,?,?,?,?)",
            (name, when, "anna", "", "case", kind),
        )
    for name, kind in (("intervjudato", "character"), ("varighet", "numeric")):
        c.execute(
            "insert into attribute_type(name,date,owner,memo,caseOrFile,valuetype) values(?,?,?,?,?,?)",
            (name, when, "anna", "", "file", kind),
        )
    cases = {
        "Kommune A": (
            "Liten kommune på kysten.",
            {"størrelse": "liten", "innbyggere": "4200"},
            "intervju-a.txt",
        ),
        "Kommune B": ("", {"størrelse": "stor", "innbyggere": "98000"}, "intervju-b.txt"),
    }
    for name, (memo, attrs, source) in cases.items():
        caseid = c.execute(
            "insert into cases(name,memo,owner,date) values(?,?,?,?)", (name, memo, "anna", when)
        ).lastrowid
        for attr, value in attrs.items():
            c.execute(
                "insert into attribute(name,attr_type,value,id,date,owner) values(?,'case',?,?,?,?)",
                (attr, value, caseid, when, "anna"),
            )
        # As QualCoder's case manager links a whole file to a case.
        c.execute(
            "insert into case_text(caseid,fid,pos0,pos1,owner,date,memo) values(?,?,?,?,?,?,?)",
            (caseid, fid[source], 0, len(texts[source]), "anna", when, ""),
        )
    for source, attrs in (
        ("intervju-a.txt", {"intervjudato": "2025-03-04", "varighet": "52"}),
        ("intervju-b.txt", {"intervjudato": "2025-03-11", "varighet": "47"}),
        ("notat-c.txt", {"intervjudato": "2025-03-12", "varighet": ""}),
    ):
        for attr, value in attrs.items():
            c.execute(
                "insert into attribute(name,attr_type,value,id,date,owner) values(?,'file',?,?,?,?)",
                (attr, value, fid[source], when, "anna"),
            )
    c.execute(
        "insert into journal(name,jentry,date,owner) values(?,?,?,?)",
        ("Refleksjoner", "Første runde med koding er ferdig.", when, "anna"),
    )
    c.execute("update project set memo=?", ("Et lite testprosjekt laget i QualCoder.",))
    c.commit()


def run_export(out: Path) -> int:
    work = Path(tempfile.mkdtemp(prefix="qc-export-"))
    app = FakeApp(work / "qualcoder-cases.qda", coder="anna")
    build_small_project(app)
    os.environ["HOME"] = str(work)  # RefiExport prepares its files under ~/.qualcoder
    (work / ".qualcoder").mkdir()
    QtWidgets.QFileDialog.getExistingDirectory = staticmethod(lambda *a, **k: str(work))  # type: ignore[method-assign]
    refi.RefiExport(app, TextLog(), "project")
    made = work / "qualcoder-cases.qdpx"
    out.write_bytes(made.read_bytes())
    print(json.dumps({"wrote": str(out), "counts": counts(app.conn)}, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "import":
        json_out = Path(sys.argv[4]) if len(sys.argv) >= 5 and sys.argv[3] == "--json" else None
        sys.exit(run_import(Path(sys.argv[2]), json_out))
    if len(sys.argv) == 3 and sys.argv[1] == "export":
        sys.exit(run_export(Path(sys.argv[2])))
    sys.exit(__doc__)
