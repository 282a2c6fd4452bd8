"""The framework matrix as a heat map (PNG), drawn off-screen with matplotlib's Agg backend."""

from __future__ import annotations

import io
import math

import matplotlib

matplotlib.use("Agg")  # no display at run time; must precede pyplot

import matplotlib.pyplot as plt  # noqa: E402

from qualcode.report import Matrix  # noqa: E402

# A page: the figure never grows past A4 portrait, whatever the number of cases.
PAGE_WIDTH, PAGE_HEIGHT = 8.27, 11.69  # inches
_ROW = 0.45  # inches per case while they fit
_LABEL = 0.14  # the least height (inches) a label or a count needs to be readable at 8 pt
_MARGIN = 2.2  # inches for the theme names, the title and the colour bar


def matrix_png(matrix: Matrix, title: str = "") -> bytes:
    """Cases down (grouped by size, group named in the label), themes across, counts in cells.

    Sized for a page: with more cases than fit, the rows get thinner, every k-th case is
    labelled, and counts are written only where a cell is tall enough to hold them (the
    colours still show every cell; the xlsx and csv exports hold every number).
    """
    rows = [(size, case) for size, cases in matrix.groups for case in cases]
    data = [[matrix.cell(case, t.id).count for t in matrix.themes] for _, case in rows]
    height = min(PAGE_HEIGHT, max(2.5, _ROW * len(rows) + _MARGIN))
    width = min(PAGE_WIDTH, max(5.0, 0.75 * len(matrix.themes) + 3.0))
    row_height = (height - _MARGIN) / max(len(rows), 1)
    every = max(1, math.ceil(_LABEL / row_height))  # label every k-th case
    fig, ax = plt.subplots(figsize=(width, height), dpi=120)
    try:
        if rows and matrix.themes:
            image = ax.imshow(data, cmap="YlOrRd", aspect="auto", vmin=0)
            fig.colorbar(image, ax=ax, fraction=0.03, pad=0.02, label="Kodede utsagn")
            top = max(max(r) for r in data) or 1
            if every == 1:  # the counts fit in their cells
                for i, row in enumerate(data):
                    for j, n in enumerate(row):
                        ax.text(
                            j,
                            i,
                            str(n),
                            ha="center",
                            va="center",
                            fontsize=8,
                            color="white" if n > top * 0.6 else "black",
                        )
            # a line between size groups keeps the grouping visible
            edge = -0.5
            for _, cases in matrix.groups[:-1]:
                edge += len(cases)
                ax.axhline(edge, color="black", linewidth=1.2)
        ax.set_xticks(range(len(matrix.themes)))
        ax.set_xticklabels([t.name for t in matrix.themes], rotation=45, ha="right", fontsize=8)
        shown = range(0, len(rows), every)
        ax.set_yticks(list(shown))
        ax.set_yticklabels([f"{rows[i][1]} ({rows[i][0]})" for i in shown], fontsize=8)
        if title:
            ax.set_title(title, fontsize=10)
        fig.tight_layout()
        buf = io.BytesIO()
        fig.savefig(buf, format="png", metadata={"Software": None})
        return buf.getvalue()
    finally:
        plt.close(fig)
