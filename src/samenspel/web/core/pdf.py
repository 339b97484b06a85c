"""HTML to PDF with WeasyPrint, offline: only data: URLs may be fetched."""

from __future__ import annotations

from typing import Any, cast

from django.http import HttpRequest
from django.template.loader import render_to_string


def _offline_fetcher(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    if url.startswith("data:"):
        from weasyprint.urls import default_url_fetcher

        return cast("dict[str, Any]", default_url_fetcher(url, *args, **kwargs))
    raise ValueError(f"PDF rendering does not fetch {url!r}")


def html_to_pdf(html: str) -> bytes:
    """A print page (a template extending ``print_base.html``) as PDF."""
    from weasyprint import HTML

    return cast("bytes", HTML(string=html, url_fetcher=_offline_fetcher).write_pdf())


def render_pdf(request: HttpRequest, template: str, context: dict[str, Any]) -> bytes:
    return html_to_pdf(render_to_string(template, context, request=request))
