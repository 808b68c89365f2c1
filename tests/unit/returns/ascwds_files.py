"""ASC-WDS worker files for tests: a header and rows, built from a few fields each."""

from __future__ import annotations

import csv
import io

from workforce.returns.ascwds import HEADER

NI_NUMBER = "QQ123456C"
BIRTH_DATE = "14/02/1961"
POSTCODE = "SE1 7EH"


def worker(**fields: str) -> dict[str, str]:
    """A permanent care worker on 37.5 hours, with planted personal data, unless told."""
    values = {
        "LOCALESTID": "HOME1",
        "UNIQUEWORKERID": "W1",
        "STATUS": "NOCHANGE",
        "DISPLAYID": "Alex Example",
        "NINUMBER": NI_NUMBER,
        "POSTCODE": POSTCODE,
        "DOB": BIRTH_DATE,
        "GENDER": "2",
        "ETHNICITY": "31",
        "NATIONALITY": "826",
        "STARTDATE": "01/04/2020",
        "EMPLSTATUS": "1",
        "ZEROHRCONT": "2",
        "DAYSSICK": "0",
        "SALARYINT": "1",
        "SALARY": "23456.00",
        "MAINJOBROLE": "8",
        "CONTHOURS": "37.5",
        "AVGHOURS": "",
    }
    values.update(fields)
    return values


def worker_file(*workers: dict[str, str], header: tuple[str, ...] = HEADER) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(header)
    for values in workers:
        writer.writerow([values.get(name, "") for name in header])
    return buffer.getvalue().encode("utf-8")
