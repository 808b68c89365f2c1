"""A ZIP archive of monthly returns, one file per organisation and month: pure, no Django.

Each file is named for what it holds, `CODE_YYYY-MM.csv` or `CODE_YYYY-MM.xlsx` (the ODS code,
an underscore, the month): an information team's folder of monthly returns, zipped. Folders
inside the archive are ignored, as are the `__MACOSX/` copies macOS adds; any other file not
so named is a problem, so that no return in the archive goes unread without saying so. The
files' bytes are read here under limits; the returns themselves are read by `read_return`.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass
from io import BytesIO
from pathlib import PurePosixPath

from .parsing import size_in_words

NAME = re.compile(r"(?P<code>[A-Za-z0-9]{3,10})_(?P<period>\d{4}-\d{2})\.(?P<kind>csv|xlsx)", re.I)
NAMING = "name each file CODE_YYYY-MM.csv or CODE_YYYY-MM.xlsx, e.g. RXY_2026-09.csv"


@dataclass(frozen=True)
class ArchiveLimits:
    max_files: int  # returns in one archive
    max_bytes: int  # all the returns together, uncompressed
    max_file_bytes: int  # one return, as for a single upload


@dataclass(frozen=True)
class ArchivedReturn:
    name: str  # the file's name, without its folders
    organisation: str  # the ODS code, upper case
    period: str  # YYYY-MM, as named; checked as a month by the service
    content: bytes


@dataclass(frozen=True)
class ArchiveProblem:
    file: str | None  # the file's name in the archive, or None for the archive as a whole
    message: str


def read_archive(
    content: bytes, limits: ArchiveLimits
) -> tuple[list[ArchivedReturn], list[ArchiveProblem]]:
    """The returns in a ZIP archive, in its order, or every problem with its files."""
    try:
        archive = zipfile.ZipFile(BytesIO(content))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError):
        return [], [ArchiveProblem(None, "The file is not a ZIP archive of returns.")]
    problems: list[ArchiveProblem] = []
    named: list[tuple[zipfile.ZipInfo, str, re.Match[str]]] = []
    seen: dict[tuple[str, str], str] = {}
    for member in members:
        path = PurePosixPath(member.filename.replace("\\", "/"))
        if member.is_dir() or (path.parts and path.parts[0] == "__MACOSX"):
            continue
        match = NAME.fullmatch(path.name)
        if match is None:
            problems.append(ArchiveProblem(path.name, f"Not read: {NAMING}."))
            continue
        key = (match["code"].upper(), match["period"])
        if key in seen:
            problems.append(
                ArchiveProblem(
                    path.name,
                    f"{seen[key]} is {key[0]}'s return for {key[1]} already; an archive holds "
                    "one return per organisation and month.",
                )
            )
            continue
        seen[key] = path.name
        if member.flag_bits & 0x1:
            problems.append(ArchiveProblem(path.name, "The file is encrypted; zip it without."))
            continue
        if member.file_size > limits.max_file_bytes:
            problems.append(ArchiveProblem(path.name, _too_large(member.file_size, limits)))
            continue
        named.append((member, path.name, match))
    if not named and not problems:
        return [], [ArchiveProblem(None, f"The archive holds no returns: {NAMING}.")]
    if len(named) > limits.max_files:
        message = (
            f"The archive holds {len(named):,} returns; at most {limits.max_files:,} are "
            "accepted at once. Split it into smaller archives."
        )
        return [], [ArchiveProblem(None, message)]
    total = sum(member.file_size for member, _name, _match in named)
    if total > limits.max_bytes:
        message = (
            f"The returns in the archive come to {size_in_words(total)} unzipped; at most "
            f"{size_in_words(limits.max_bytes)} are accepted at once. Split it."
        )
        return [], [ArchiveProblem(None, message)]
    if problems:
        return [], problems
    found: list[ArchivedReturn] = []
    for member, name, match in named:
        try:
            with archive.open(member) as stream:
                data = stream.read(limits.max_file_bytes + 1)  # a header could understate it
        except (zipfile.BadZipFile, zlib.error, NotImplementedError, OSError, EOFError):
            problems.append(ArchiveProblem(name, "The file could not be unzipped."))
            continue
        if len(data) > limits.max_file_bytes:
            problems.append(ArchiveProblem(name, _too_large(len(data), limits)))
            continue
        found.append(ArchivedReturn(name, match["code"].upper(), match["period"], data))
    return ([], problems) if problems else (found, [])


def _too_large(size: int, limits: ArchiveLimits) -> str:
    return (
        f"The file is {size_in_words(size)} unzipped; the largest return accepted is "
        f"{size_in_words(limits.max_file_bytes)}."
    )
