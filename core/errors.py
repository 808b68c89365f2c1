"""The one error a service raises when a request cannot be carried out as asked."""

from __future__ import annotations

from typing import Any


class ApplicationError(Exception):
    """A problem the user can fix: turned into 400 (or `status_code`) with every error listed.

    `errors` are dicts with a `message` and, where they apply, `row`, `column` or `field`.
    """

    status_code = 400

    def __init__(self, errors: list[dict[str, Any]] | str, *, status_code: int | None = None):
        if isinstance(errors, str):
            errors = [{"message": errors}]
        self.errors = errors
        if status_code is not None:
            self.status_code = status_code
        super().__init__("; ".join(str(e.get("message")) for e in errors))


class OutOfScope(ApplicationError):
    """A write outside the user's scope: 403."""

    status_code = 403
