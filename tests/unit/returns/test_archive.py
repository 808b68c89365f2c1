"""Reading a ZIP archive of returns: names, folders, limits, and what is not an archive."""

from __future__ import annotations

import io
import zipfile

from workforce.returns.archive import ArchiveLimits, read_archive

from .files import zip_bytes

LIMITS = ArchiveLimits(max_files=10, max_bytes=10_000, max_file_bytes=1_000)


def test_each_file_is_its_organisation_and_month_in_the_archives_order() -> None:
    found, problems = read_archive(
        zip_bytes({"b/rxy_2026-09.csv": b"one", "RJ1_2026-08.XLSX": b"two"}), LIMITS
    )
    assert problems == []
    assert [(f.name, f.organisation, f.period, f.content) for f in found] == [
        ("rxy_2026-09.csv", "RXY", "2026-09", b"one"),
        ("RJ1_2026-08.XLSX", "RJ1", "2026-08", b"two"),
    ]


def test_folders_and_the_copies_macos_adds_are_not_returns() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zipped:
        zipped.writestr("returns/", b"")
        zipped.writestr("returns/RXY_2026-09.csv", b"one")
        zipped.writestr("__MACOSX/returns/._RXY_2026-09.csv", b"\x00\x05")
    found, problems = read_archive(buffer.getvalue(), LIMITS)
    assert problems == [] and [f.name for f in found] == ["RXY_2026-09.csv"]


def test_every_misnamed_file_is_named_and_none_is_read() -> None:
    found, problems = read_archive(
        zip_bytes({"RXY_2026-09.csv": b"x", "RXY 2026-09.csv": b"x", "RXY_2026-9.csv": b"x",
                 "RXY_2026-09.xls": b"x"}),
        LIMITS,
    )  # fmt: skip
    assert found == []
    assert [p.file for p in problems] == ["RXY 2026-09.csv", "RXY_2026-9.csv", "RXY_2026-09.xls"]


def test_a_stored_entry_larger_than_its_header_says_is_read_no_further_than_the_limit() -> None:
    content = zip_bytes({"RXY_2026-09.csv": b"a" * 2_000}, zipfile.ZIP_STORED)
    # Understate the size in the central directory, as a crafted archive could.
    info = zipfile.ZipFile(io.BytesIO(content)).infolist()[0]
    assert info.file_size == 2_000
    patched = bytearray(content)
    directory = patched.rindex(b"PK\x01\x02")
    patched[directory + 24 : directory + 28] = (10).to_bytes(4, "little")
    found, problems = read_archive(bytes(patched), LIMITS)
    assert found == []
    assert len(problems) == 1 and problems[0].file == "RXY_2026-09.csv"


def test_the_limits_on_count_and_total_size() -> None:
    many = zip_bytes({f"RXY_2026-{m:02d}.csv": b"x" for m in range(1, 12)}, zipfile.ZIP_STORED)
    assert "at most 10" in read_archive(many, LIMITS)[1][0].message
    large = zip_bytes({f"RXY_2026-{m:02d}.csv": b"x" * 900 for m in range(1, 12)})
    limits = ArchiveLimits(max_files=20, max_bytes=5_000, max_file_bytes=1_000)
    assert "unzipped" in read_archive(large, limits)[1][0].message


def test_what_is_not_an_archive_says_so() -> None:
    for content in (b"", b"staff_group_code,fte\n", b"PK\x03\x04broken"):
        found, problems = read_archive(content, LIMITS)
        assert found == [] and [p.file for p in problems] == [None]
