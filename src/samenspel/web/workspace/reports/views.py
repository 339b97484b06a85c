"""Downloads of the programme report, for everyone with a role in the programme."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from samenspel.web.core.accounts import audit
from samenspel.web.core.accounts.models import ProgrammeRole
from samenspel.web.core.downloads import XLSX, attachment
from samenspel.web.core.models import Programme
from samenspel.web.core.pages import programme_view
from samenspel.web.core.pdf import render_pdf

from .excel import programme_workbook
from .sections import ReportSections, report_sections


def _report(request: HttpRequest, programme: Programme, role: ProgrammeRole) -> ReportSections:
    report = report_sections(request, programme, role)
    if report.population is not None:
        audit.record(
            request.user, programme, "export programme report", f"run {report.population['run'].pk}"
        )
    return report


def _filename(programme: Programme, extension: str) -> str:
    return f"programmarapport-{slugify(programme.name)}-{timezone.localdate():%Y%m%d}.{extension}"


@programme_view
def report_pdf(request: HttpRequest, programme: Programme, role: ProgrammeRole) -> HttpResponse:
    report = _report(request, programme, role)
    context = {
        "programme": programme,
        "report": report,
        "today": timezone.localdate(),
        "composition_html": render_to_string(
            "reports/_composition.html", report.composition, request=request
        ),
        "dynamics_html": (
            render_to_string("dynamics/_print_body.html", report.dynamics, request=request)
            if report.dynamics
            else ""
        ),
        "money_html": (
            render_to_string("finance/_print_body.html", report.money, request=request)
            if report.money
            else ""
        ),
        "open_data_html": (
            render_to_string(
                "monitoring/_opendata.html", {**report.open_data, "printing": True}, request=request
            )
            if report.open_data
            else ""
        ),
        "population_html": (
            render_to_string("monitoring/_regiobeeld_body.html", report.population, request=request)
            if report.population and report.population.get("result")
            else ""
        ),
    }
    content = render_pdf(request, "reports/programme_print.html", context)
    return attachment(content, "application/pdf", _filename(programme, "pdf"))


@programme_view
def report_excel(request: HttpRequest, programme: Programme, role: ProgrammeRole) -> HttpResponse:
    content = programme_workbook(_report(request, programme, role))
    return attachment(content, XLSX, _filename(programme, "xlsx"))
