"""The JSON Schemas qualcode validates against, shipped inside the package.

The repository also keeps them in its top-level ``schemas/`` folder, where researchers and
editors look for them; a test keeps the two copies identical. The code loads this copy
through :mod:`importlib.resources` so an ordinary (non-editable) install finds them.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from qualcode.i18n import ui
from qualcode.model import QualcodeError

GUIDE_SCHEMA = "interview_guide.schema.json"
TRANSCRIPT_META_SCHEMA = "transcript_meta.schema.json"


@cache
def load_schema(name: str) -> dict[str, Any]:
    """The schema file ``name`` (e.g. ``interview_guide.schema.json``) as a dict."""
    try:
        text = resources.files(__name__).joinpath(name).read_text(encoding="utf-8")
    except (FileNotFoundError, OSError):
        raise QualcodeError(
            ui(
                "the schema {name} is missing from this installation of qualcode; reinstall it"
            ).format(name=name)
        ) from None
    data: dict[str, Any] = json.loads(text)
    return data
