"""Pages of staffing returns: upload, the list, one return, its file, the tracker."""

from __future__ import annotations

import datetime
import secrets

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from core import calendar
from core.access import can_plan_for, systems_in_scope
from core.errors import ApplicationError
from core.names import display_name
from workforce.api.returns import file_response
from workforce.models import StaffingReturn
from workforce.returns import ascwds
from workforce.selectors import returns as selectors
from workforce.selectors.months import months_of, sign_offs_of
from workforce.selectors.return_review import return_comments
from workforce.selectors.tracker import due_date, is_late, submission_tracker
from workforce.services.return_archive import archive_files, staffing_returns_submit_archive
from workforce.services.return_review import may_accept, may_comment, may_confirm
from workforce.services.returns import staffing_return_submit, upload_read

PAGE_SIZE = 50


class DigitsField(forms.IntegerField):
    """A whole number in ASCII digits: int() would read full-width or Arabic-Indic ones too,
    and the API refuses those in a month (core.calendar)."""

    def to_python(self, value: object) -> int | None:
        if isinstance(value, str) and not value.strip().isascii():
            raise forms.ValidationError("Type the number with the digits 0 to 9.", code="invalid")
        return super().to_python(value)


class UploadForm(forms.Form):
    organisation = forms.ModelChoiceField(queryset=None, to_field_name="code", empty_label=None)
    month = DigitsField(min_value=1, max_value=12)
    year = DigitsField(min_value=calendar.FIRST_YEAR, max_value=calendar.LAST_YEAR)
    file = forms.FileField(label="Return file", allow_empty_file=True)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["organisation"].label_from_instance = lambda o: (
            f"{display_name(o.name)} ({o.code})"
        )
        if not self.is_bound:
            last_month = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
            self.initial.setdefault("month", last_month.month)
            self.initial.setdefault("year", last_month.year)


def _apply(form: UploadForm, error: ApplicationError) -> list[dict]:
    """Field errors onto the form; the file's problems back, for the table beside its rows."""
    problems = []
    for item in error.errors:
        field = item.get("field")
        if field in ("organisation", "period"):
            form.add_error("organisation" if field == "organisation" else "month", item["message"])
        else:
            problems.append(item)
    return problems


def _asked_for(request: HttpRequest) -> dict:
    """The organisation and month a link to the upload names (`?organisation=&period=YYYY-MM`),
    to fill the form with; anything unreadable is left out."""
    initial: dict = {}
    if request.GET.get("organisation"):
        initial["organisation"] = request.GET["organisation"][:20]
    try:
        period = calendar.parse_month(request.GET.get("period", ""))
    except ValueError:
        return initial
    return initial | {"month": period.month, "year": period.year}


@login_required
@require_http_methods(["GET", "POST"])
def returns_upload(request: HttpRequest) -> HttpResponse:
    organisations = selectors.organisations_for_upload(user=request.user)
    if not organisations.exists():
        raise PermissionDenied("You may not upload returns.")
    form = UploadForm(
        request.POST or None,
        request.FILES or None,
        organisations=organisations,
        initial=_asked_for(request),
    )
    problems: list[dict] = []
    rows: list[selectors.ProblemRow] = []
    if request.method == "POST" and form.is_valid():
        data, upload = form.cleaned_data, form.cleaned_data["file"]
        try:
            content = upload_read(upload)
            result = staffing_return_submit(
                user=request.user,
                organisation=data["organisation"],
                period=f"{data['year']:04d}-{data['month']:02d}",
                content=content,
                filename=upload.name,
            )
        except ApplicationError as error:
            problems = _apply(form, error)
            # A worker file's cells are personal data: its problems are shown without them.
            if any(p.get("row") for p in problems) and not ascwds.is_worker_file(content):
                rows = selectors.problem_rows(content, upload.name, problems)
        else:
            _tell(request, result.staffing_return, duplicate=result.duplicate)
            return redirect("return-detail", pk=result.staffing_return.pk)
    context = {
        "form": form,
        "template_organisations": organisations,
        # Problems not shown beside their row's cells are listed with the file's.
        "file_problems": [p for p in problems if p.get("row") is None or not rows],
        "problem_rows": rows,
        "problem_count": len(problems),
    }
    status = 400 if form.errors or problems else 200
    return render(request, "workforce/returns/upload.html", context, status=status)


# What an archive's file names give, as its problems' "column".
NAMED_BY = {"organisation": "ODS code in the name", "period": "month in the name"}


class ArchiveForm(forms.Form):
    file = forms.FileField(label="ZIP archive of returns")


# The session key of the last archive stored from the page, shown after the redirect.
ARCHIVE_RESULT = "return_archive_result"


@login_required
@require_http_methods(["GET", "POST"])
def returns_upload_archive(request: HttpRequest) -> HttpResponse:
    """Many returns at once: a ZIP of files named CODE_YYYY-MM, all stored or none. Once
    stored, the page redirects to itself with `?result=` naming what it stored, so reloading
    it shows the result again and sends nothing."""
    if not selectors.organisations_for_upload(user=request.user).exists():
        raise PermissionDenied("You may not upload returns.")
    form = ArchiveForm(request.POST or None, request.FILES or None)
    problems: list[dict] = []
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            content = upload_read(form.cleaned_data["file"], settings.RETURN_ARCHIVE_MAX_BYTES)
            results = staffing_returns_submit_archive(user=request.user, content=content)
        except ApplicationError as error:
            status = error.status_code
            problems = [
                {"file": p.get("file"), "row": p.get("row"),
                 "column": p.get("column") or NAMED_BY.get(p.get("field"), p.get("field")),
                 "message": p["message"]}
                for p in error.errors
            ]  # fmt: skip
        else:
            key = secrets.token_urlsafe(12)
            request.session[ARCHIVE_RESULT] = {"key": key, "files": archive_files(results)}
            return redirect(f"{reverse('return-upload-archive')}?result={key}")
    elif form.errors:
        status = 400
    last = request.session.get(ARCHIVE_RESULT) or {}
    shown = []
    if request.method == "GET" and request.GET.get("result", "") == last.get("key"):
        shown = selectors.archived_returns(user=request.user, files=last["files"])
    stored = [item for _name, item, created in shown if created]
    context = {
        "form": form,
        "problems": problems,
        "results": shown,
        "stored": len(stored),
        "duplicates": len(shown) - len(stored),
        "for_review": sum(1 for item in stored if item.for_review),
        "max_files": f"{settings.RETURN_ARCHIVE_MAX_FILES:,}",
    }
    return render(request, "workforce/returns/upload_archive.html", context, status=status)


def _tell(request: HttpRequest, stored: StaffingReturn, *, duplicate: bool) -> None:
    if duplicate:
        messages.info(
            request,
            f"This file is the same as version {stored.version} already stored for "
            f"{stored.period:%B %Y}: nothing was changed.",
        )
    else:
        messages.success(request, f"Stored as version {stored.version} for {stored.period:%B %Y}.")


@login_required
def returns_list(request: HttpRequest) -> HttpResponse:
    organisation = request.GET.get("organisation", "").strip()
    returns = selectors.returns_for(user=request.user, organisation=organisation or None)
    page = Paginator(returns, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "workforce/returns/list.html",
        {"page": page, "organisation": organisation, "can_upload": _can_upload(request)},
    )


def _can_upload(request: HttpRequest) -> bool:
    return selectors.organisations_for_upload(user=request.user).exists()


@login_required
def return_detail(request: HttpRequest, pk: int) -> HttpResponse:
    staffing_return = selectors.return_get(user=request.user, pk=pk)
    if staffing_return is None:
        raise Http404("No such return in your scope.")
    versions = selectors.return_versions(staffing_return=staffing_return)
    first = versions[-1]
    return render(
        request,
        "workforce/returns/detail.html",
        {
            "return": staffing_return,
            "rows": staffing_return.rows.all(),
            "totals": selectors.return_totals(staffing_return),
            "versions": versions,
            "due": due_date(staffing_return.period),
            "late": is_late(staffing_return.period, first.submitted_at),
            "first": first,
            "comments": return_comments(staffing_return=staffing_return),
            "may_confirm": may_confirm(request.user, staffing_return),
            "may_accept": may_accept(request.user, staffing_return),
            "may_comment": may_comment(request.user, staffing_return),
        },
    )


@login_required
def return_file(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.return_file(user=request.user, pk=pk)
    if found is None:
        raise Http404("No such return in your scope.")
    filename, content = found
    return file_response(content, filename)


@login_required
def returns_tracker(request: HttpRequest) -> HttpResponse:
    systems = systems_in_scope(request.user).order_by("name")
    if not systems.exists():
        raise PermissionDenied("The tracker shows systems; your scope is one organisation.")
    code = request.GET.get("ics") or (request.user.ics.code if request.user.ics_id else "")
    ics = systems.filter(code__iexact=code).first() if code else None
    if code and ics is None:
        raise Http404("No such system in your scope.")
    context = {"systems": systems, "ics": ics}
    if ics is not None:
        tracker = submission_tracker(ics=ics)
        months = months_of(tracker, sign_offs_of(ics, tracker.months))
        context |= {"tracker": tracker, "months": months[::-1]}
        context["can_sign_off"] = can_plan_for(request.user, ics)
    return render(request, "workforce/returns/tracker.html", context)
