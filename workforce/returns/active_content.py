"""Parts of an XLSX workbook that run, fetch or carry something beyond its cells: pure.

A return keeps none of them: its original file is served back, as it came, to the system's
leads and analysts, so a workbook holding macros, links to other workbooks, controls,
embedded objects or outside data connections is refused rather than stored.
"""

from __future__ import annotations

import io
import re
import zipfile

# Each is found by part name and by content type, since a part may be given any name.
# (what it is, part name fragments, content type fragments), all lower case.
_ACTIVE_PARTS: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    (
        "macros",
        ("vbaproject.bin", "xl/macrosheets/", "xl/dialogsheets/"),
        ("vbaproject", "macroenabled", "macrosheet", "dialogsheet"),
    ),
    ("links to other workbooks", ("xl/externallinks/",), ("externallink",)),
    ("ActiveX controls", ("xl/activex/",), ("activex",)),
    ("form controls", ("xl/ctrlprops/",), ("ctrlprops",)),
    ("embedded objects or files", ("xl/embeddings/",), ("oleobject",)),
    ("connections to outside data", ("xl/connections.xml",), ("spreadsheetml.connections",)),
)
_CONTENT_TYPES = "[Content_Types].xml"
_CONTENT_TYPE = re.compile(r"""ContentType\s*=\s*["']([^"']*)""")


def active_parts(content: bytes, names: set[str]) -> list[str]:
    """What of `_ACTIVE_PARTS` the workbook holds, by part name or by content type."""
    lowered = [name.lower() for name in names]
    types: list[str] = []
    if _CONTENT_TYPES in names:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            # Its size is within the unpacked limit already checked.
            text = archive.read(_CONTENT_TYPES).decode("utf-8", "replace")
        types = [found.lower() for found in _CONTENT_TYPE.findall(text)]
    return [
        what
        for what, parts, content_types in _ACTIVE_PARTS
        if any(part in name for name in lowered for part in parts)
        or any(kind in found for found in types for kind in content_types)
    ]


def listed(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"
