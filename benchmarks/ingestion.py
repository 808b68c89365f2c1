"""Storing staffing returns through the upload service, against a raw bulk insert.

    python benchmarks/ingestion.py            # 200 organisations x 30 staff groups x 24 months
    python benchmarks/ingestion.py --quick    # 20 organisations x 6 months

Every file goes through `staffing_return_submit`, the service the upload page and the API
call: scope, parsing, validation, versioning, warnings against earlier months, audit. The
baseline, measured in the same run on the same database, is a bare `bulk_create` of the same
returns and rows with no parsing or checking, so the ratio is the cost of the service's work.
The same files go through the service again as a national loader would send them, one ZIP
archive a month (`staffing_returns_submit_archive`, POST /api/v1/returns/archive/).

Then the same rows go in three more ways, each compared with the first: a bare COPY of the
rows as tuples (on SQLite a bare executemany), the bulk import (every file read and checked,
then all the rows written by `rows_insert`), and `rows_insert` alone. The speeds against the
bare COPY are printed with their aims: the bulk import at least a third of it, the upload
service 10,000 rows a second (met, if at all, by the archives: docs/decisions.md).

Uses a throwaway database: a temporary SQLite file, or with DATABASE_URL set to PostgreSQL a
database named after DATABASE_URL's own with `_bench` after it (`ics_planner_bench` for
`ics_planner`) created on that server and dropped at the end, so set DATABASE_URL to your own
database name. Prints the figures and ratios; asserts nothing about time.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import hashlib
import io
import os
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

STAFF_GROUPS = 30
COLUMNS = ("staff_group_code", "fte", "headcount", "vacancies_fte", "bank_fte", "agency_fte",
           "joiners_fte", "leavers_fte", "sickness_absence_rate")  # fmt: skip


def seeded(*steps) -> None:
    """After django.setup(): the schema, the reference data and the demo `steps` (modules with
    `seed(stdout)`), quietly, in the throwaway database."""
    import logging

    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_reference_data", stdout=io.StringIO())
    logging.getLogger("celery").setLevel(logging.WARNING)
    for step in steps:
        step.seed(io.StringIO())


def largest_demo_system():
    """After django.setup(), on the throwaway database: the reference data and the demo's
    trusts, returns and education seeded; the system with the most organisations."""
    from django.utils import timezone

    from core.demo import people, published
    from core.models import ICS
    from core.selectors.reference import scope_members
    from education import demo as education_demo
    from workforce.demo import returns

    seeded(people, published, returns, education_demo)
    today = timezone.localdate()
    return max(ICS.objects.valid_on(today), key=lambda s: len(scope_members(ics=s, on=today)))


def throwaway_database(name: str | None = None) -> tuple[str, Callable[[], None]]:
    """Point DATABASE_URL at a new empty database (on PostgreSQL `name`, by default
    DATABASE_URL's own name with `_bench` after it); return its label and how to remove it."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        import psycopg

        parts = urlsplit(url)
        bench_database = name or f"{parts.path.strip('/') or 'ics_planner'}_bench"
        admin = urlunsplit(parts._replace(path="/postgres"))
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {bench_database}")
            connection.execute(f"CREATE DATABASE {bench_database}")
        os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{bench_database}"))

        def drop() -> None:
            from django.db import connections

            connections.close_all()
            with psycopg.connect(admin, autocommit=True) as connection:
                connection.execute(f"DROP DATABASE IF EXISTS {bench_database}")

        return f"PostgreSQL ({bench_database})", drop
    folder = tempfile.mkdtemp(prefix="ics-planner-bench-")
    path = Path(folder) / "bench.sqlite3"
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"

    def remove() -> None:
        from django.db import connections

        connections.close_all()
        for leftover in Path(folder).iterdir():
            leftover.unlink()
        Path(folder).rmdir()

    return f"SQLite ({path})", remove


def month_add(month: datetime.date, months: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def return_file(organisation: int, month: int, codes: list[str]) -> bytes:
    """A plausible return: sizes vary by organisation and group, figures by month."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for index, code in enumerate(codes):
        fte = 40 + (organisation * 37 + index * 11) % 400 + month * 0.5
        writer.writerow([
            code, f"{fte:.2f}", round(fte * 1.15), f"{fte * 0.08:.2f}", f"{fte * 0.05:.2f}",
            f"{fte * 0.02:.2f}", f"{fte * 0.008:.2f}", f"{fte * 0.0075:.2f}", "0.0480",
        ])  # fmt: skip
    return buffer.getvalue().encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="20 organisations x 6 months")
    options = parser.parse_args()
    organisations, months = (20, 6) if options.quick else (200, 24)

    label, remove = throwaway_database()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ics_planner.settings")
    import django

    django.setup()
    try:
        run(label, organisations, months)
    finally:
        remove()


def run(label: str, organisations: int, months: int) -> None:
    from django.conf import settings
    from django.core.management import call_command
    from django.db import transaction

    from core.models import Organisation, Role, StaffGroup, User
    from core.services.bulk_rows import rows_insert
    from core.services.reference_data import reference_data_load
    from workforce.models import StaffingReturn, StaffingReturnRow
    from workforce.returns import read_return
    from workforce.services.return_archive import staffing_returns_submit_archive
    from workforce.services.return_store import ROW_COLUMNS, row_values
    from workforce.services.returns import staffing_return_submit

    settings.DEBUG = False  # no query log growing through the run
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    reference_data_load()
    reportable = list(StaffGroup.objects.filter(reportable=True).order_by("sort_order"))
    extra = STAFF_GROUPS - len(reportable)
    last = max(g.sort_order for g in reportable)
    StaffGroup.objects.bulk_create(
        StaffGroup(code=f"BENCH-{n:02d}", name=f"Benchmark group {n}", sector="hchs",
                   sort_order=last + n, reportable=True)
        for n in range(1, extra + 1)
    )  # fmt: skip
    groups = list(StaffGroup.objects.filter(reportable=True).order_by("sort_order"))
    codes = [g.code for g in groups]
    trusts = list(Organisation.objects.filter(active=True).order_by("code")[:organisations])
    user = User.objects.create_user(username="bench", role=Role.NATIONAL_ADMIN)
    periods = [month_add(datetime.date(2024, 1, 1), n) for n in range(months)]
    files = [
        (trust, period, return_file(t, m, codes))
        for m, period in enumerate(periods)
        for t, trust in enumerate(trusts)
    ]
    rows_total = len(files) * len(codes)
    print(f"Database: {label}; set up in {time.perf_counter() - started:.1f} s")
    print(
        f"{len(trusts)} organisations x {len(codes)} staff groups x {months} months: "
        f"{len(files)} files, {rows_total:,} rows"
    )

    started = time.perf_counter()
    parsed = [
        read_return(content, "return.csv", staff_group_codes=codes) for _, _, content in files
    ]
    parse_seconds = time.perf_counter() - started
    assert all(p.ok for p in parsed), "the benchmark's files must be valid"

    started = time.perf_counter()
    for trust, period, content in files:
        staffing_return_submit(
            user=user, organisation=trust, period=period, content=content, filename="return.csv"
        )
    service_seconds = time.perf_counter() - started
    stored = StaffingReturnRow.objects.count()
    assert stored == rows_total, (stored, rows_total)

    # The same files again, as an information team or a national loader sends many: one ZIP
    # archive a month, every organisation's return in it, through the same checks.
    StaffingReturnRow.objects.all().delete()
    StaffingReturn.objects.all().delete()
    archives = [
        zipped({f"{trust.code}_{period:%Y-%m}.csv": content
                for trust, month_of, content in files if month_of == period})
        for period in periods
    ]  # fmt: skip
    started = time.perf_counter()
    for content in archives:
        results = staffing_returns_submit_archive(user=user, content=content)
        assert all(result.created for _name, result in results)
    archive_seconds = time.perf_counter() - started
    assert StaffingReturnRow.objects.count() == rows_total

    StaffingReturnRow.objects.all().delete()
    StaffingReturn.objects.all().delete()
    by_code = {g.code: g for g in groups}
    now = datetime.datetime.now(datetime.UTC)
    started = time.perf_counter()
    with transaction.atomic():
        returns = StaffingReturn.objects.bulk_create(
            [
                StaffingReturn(
                    organisation=trust, period=period, version=1, submitted_by=user,
                    submitted_at=now, original_filename="return.csv",
                    content=content, sha256=hashlib.sha256(content).hexdigest(), size=len(content),
                )
                for trust, period, content in files
            ],
            batch_size=2000,
        )  # fmt: skip
        StaffingReturnRow.objects.bulk_create(
            (
                StaffingReturnRow(staffing_return=r, staff_group=by_code[row.staff_group_code],
                                  **{name: getattr(row, name) for name in ROW_COLUMNS[2:]})
                for r, result in zip(returns, parsed, strict=True)
                for row in result.rows
            ),
            batch_size=5000,
        )  # fmt: skip
    bulk_seconds = time.perf_counter() - started
    assert StaffingReturnRow.objects.count() == rows_total

    def rate(seconds: float) -> str:
        return f"{rows_total / seconds:>10,.0f} rows/s ({seconds:6.1f} s)"

    print(f"through the upload service:       {rate(service_seconds)}")
    print(f"  of which parsing and checking:  {rate(parse_seconds)}")
    print(f"  in archives of a month's returns: {rate(archive_seconds)}")
    print(f"baseline, bare bulk_create:       {rate(bulk_seconds)}")
    print(f"service / baseline time:          {service_seconds / bulk_seconds:10.1f}x")
    print(f"parsing / service time:           {parse_seconds / service_seconds:10.0%}")
    print(f"files a second through the service: {len(files) / service_seconds:,.0f}")

    # The same rows again, into the same returns: a bare COPY, then the bulk import.
    contents = [content for _, _, content in files]

    def rows_of(results) -> list[tuple]:
        return [
            row_values(r.pk, by_code[row.staff_group_code].pk, row)
            for r, result in zip(returns, results, strict=True)
            for row in result.rows
        ]

    def bulk_import() -> None:
        """Every file read and checked, then all their rows written by `rows_insert`."""
        results = [read_return(c, "return.csv", staff_group_codes=codes) for c in contents]
        rows_insert(StaffingReturnRow, ROW_COLUMNS, rows_of(results))

    values = rows_of(parsed)
    model = StaffingReturnRow
    bare, copy_seconds = timed_rows(model, lambda: bare_copy(model, ROW_COLUMNS, values))
    import_seconds = timed_rows(model, bulk_import)[1]
    insert_seconds = timed_rows(model, lambda: rows_insert(model, ROW_COLUMNS, values))[1]
    print(f"{f'bare {bare} of the rows:':<34}{rate(copy_seconds)}")
    print(f"bulk import (read, check, write): {rate(import_seconds)}")
    print(f"  of which writing (rows_insert): {rate(insert_seconds)}")
    print(f"upload service:                   {rate(service_seconds)}")
    print(f"upload service, archives:         {rate(archive_seconds)}  aim: 10,000 rows/s")
    for name, seconds, aim in (
        ("bulk import", import_seconds, "aim: at least 0.33"),
        ("rows_insert", insert_seconds, ""),
        ("upload service", service_seconds, ""),
        ("upload service, archives", archive_seconds, ""),
    ):
        ratio = f"{name} / bare {bare} speed:"
        print(f"{ratio:<42}{copy_seconds / seconds:6.2f}  {aim}".rstrip())


def zipped(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def bare_copy(model, columns, values) -> None:
    """The rows as they are, nothing adapted or checked in Python: one COPY on PostgreSQL,
    one executemany elsewhere."""
    from django.db import connection

    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(model._meta.get_field(name).column) for name in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as stream:
                for row in values:
                    stream.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", values)


def timed_rows(model, write) -> tuple[str, float]:
    """What a bare write is on this database, and the seconds `write()` takes in one
    transaction, the table emptied before and its rows counted after."""
    from django.db import connection, transaction

    rows = model.objects.count()
    model.objects.all().delete()
    started = time.perf_counter()
    with transaction.atomic():
        write()
    seconds = time.perf_counter() - started
    assert model.objects.count() == rows
    return ("COPY" if connection.vendor == "postgresql" else "executemany"), seconds


if __name__ == "__main__":
    main()
