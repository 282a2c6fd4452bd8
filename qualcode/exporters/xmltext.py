"""Text as Word and Excel files can hold it: XML 1.0 forbids most control characters.

Stored notes are cleaned on the way in (model.clean_note); transcripts keep their text
exactly, so a quote may still carry, say, a vertical tab from Word. Exporters pass every
string through here.
"""

from __future__ import annotations

import re

_ILLEGAL = re.compile("[\x00-\x08\x0e-\x1f\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """Word's line and page breaks (\\v, \\f) as newlines; other forbidden characters gone."""
    return _ILLEGAL.sub("", text.replace("\v", "\n").replace("\f", "\n"))
