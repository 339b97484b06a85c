"""The papers a board signs read as people write: every PDF of the demo, in Dutch and in English,
has no word or number broken inside a cell, no word of the other language, no raw code, no
screen-only text, and amounts, percentages and years as the reader's language writes them.

The text is taken from the PDF itself (pypdf) and held against the text of the HTML it was made
from: a word in the PDF that is not a word of the HTML was split by the layout.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from pypdf import PdfReader

from samenspel.web.core import pdf
from samenspel.web.core.models import Organisation, Programme
from samenspel.web.finance.models import Agreement
from samenspel.web.monitoring.models import RegiobeeldRun
from samenspel.web.workspace.demo import load_demo

# Words of our own interface that must not appear in the other language's papers. Names of
# organisations and places are Dutch in both.
ENGLISH = {
    "baseline", "all", "Amounts", "Present", "value", "Years", "Party", "Shared", "hidden",
    "suppressed", "yes", "no", "Savings", "Costs", "Cost", "Choose", "municipality", "the",
    "and", "per year",
}  # fmt: skip
DUTCH = {
    "basis", "alle", "Bedragen", "Contante", "waarde", "Jaren", "Partij", "Gedeeld", "verborgen",
    "onderdrukt", "ja", "nee", "Besparing", "Kosten", "Kies", "gemeente", "het", "per jaar",
}  # fmt: skip
# What the screen says that paper cannot do.
SCREEN_ONLY = ("Kies een gemeente", "Choose a municipality", "Klik", "Click", "scrolls sideways")
RAW = re.compile(r"\b[a-z]+_[a-z_]+\b|\bNone\b|\bnan\b|\bTrue\b|\bFalse\b|\bGM\d{4}\b")
PAGE_FOOTER = re.compile(r"^\s*\d+ / \d+\s*$", re.MULTILINE)
BLOCKS = {"br", "p", "td", "th", "li", "div", "tr", "h1", "h2", "h3", "caption", "text", "table"}


class _Text(HTMLParser):
    """The words of an HTML page as a reader sees them (no style, no tooltips)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "title", "script"):
            self.hidden += 1
        if tag in BLOCKS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "title", "script"):
            self.hidden -= 1
        if tag in BLOCKS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def _words(html: str) -> set[str]:
    parser = _Text()
    parser.feed(html)
    return set("".join(parser.parts).split())


def broken_words(pdf_text: str, source: set[str]) -> list[str]:
    """Words of the PDF that are no word of its HTML. A word split after a hyphen that the
    source has ("Wmo-" + "aanvraag") is a proper break, not a broken word."""
    words = PAGE_FOOTER.sub("", pdf_text).split()
    broken, skip = [], False
    for here, after in zip(words, [*words[1:], ""], strict=True):
        if skip:
            skip = False
            continue
        if here.endswith("-") and here + after in source:
            skip = True
            continue
        if here in source or here in ("•", "●", "+"):  # pypdf parts a sign from its €
            continue
        broken.append(here)
    return broken


def test_broken_words_are_found() -> None:
    source = {"Besparing", "2026", "Wmo-aanvraag", "(110,7–118,0)"}
    text = "Besparin g\n202 6 Wmo-\naanvraag (110,7–\n118,0)\n1 / 16\n"
    assert broken_words(text, source) == ["Besparin", "g", "202", "6", "(110,7–", "118,0)"]


@pytest.fixture
def papers(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> Iterator[dict[tuple[str, str], tuple[str, str, int]]]:
    """Every PDF of the demo's richest programmes: (language, name) → (HTML, text, pages)."""
    load_demo(with_population=True)
    made: list[str] = []
    real = pdf.html_to_pdf

    def keep(html: str) -> bytes:
        made.append(html)
        return real(html)

    monkeypatch.setattr(pdf, "html_to_pdf", keep)
    ruwaard = Programme.objects.get(name="Proeftuin Ruwaard")
    samendraads = Programme.objects.get(name="Samendraads")
    run = RegiobeeldRun.objects.filter(programme=ruwaard, status="done").first()
    assert run is not None
    organisation = Organisation.objects.filter(programme=ruwaard).order_by("name").first()
    assert organisation is not None
    urls = {
        "report": f"/p/{ruwaard.pk}/report.pdf",
        "dynamics": f"/p/{ruwaard.pk}/dynamics/report.pdf",
        "profile": f"/p/{ruwaard.pk}/dynamics/profile/{organisation.pk}.pdf",
        "regiobeeld": f"/p/{ruwaard.pk}/population/runs/{run.pk}/regiobeeld.pdf",
        "plan Ruwaard": f"/p/{ruwaard.pk}/plan/regioplan.pdf",
        "plan Samendraads": f"/p/{samendraads.pk}/plan/regioplan.pdf",
    }
    for agreement in Agreement.objects.filter(programme__in=[ruwaard, samendraads]):
        urls[f"agreement {agreement.name}"] = (
            f"/p/{agreement.programme_id}/money/{agreement.pk}/agreement.pdf"
        )
    client = Client()
    client.force_login(get_user_model().objects.get(username="regisseur"))
    result = {}
    for language in ("nl", "en"):
        client.cookies["django_language"] = language
        for name, url in urls.items():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            assert response["Content-Type"] == "application/pdf"
            pages = PdfReader(io.BytesIO(response.content)).pages
            text = "\n".join(p.extract_text() for p in pages)
            result[language, name] = (made[-1], text, len(pages))
    yield result


def test_every_pdf_reads_as_written_in_the_readers_language(
    papers: dict[tuple[str, str], tuple[str, str, int]],
) -> None:
    """One test for all checks: rendering every paper twice takes half a minute."""
    _amounts_percentages_and_years_as_people_write_them(papers)
    _the_report_has_the_pages_the_readme_promises(papers)
    problems = []
    for (language, name), (html, text, _pages) in papers.items():
        flat = " ".join(text.split())
        words = set(flat.split())
        if broken := broken_words(text, _words(html)):
            problems.append(f"{language} {name}: broken {broken[:10]}")
        other = ENGLISH if language == "nl" else DUTCH
        wrong = sorted(w for w in other if (w in words if " " not in w else w in flat))
        if wrong:
            problems.append(f"{language} {name}: other language {wrong}")
        if raw := sorted(set(RAW.findall(flat))):
            problems.append(f"{language} {name}: raw codes {raw}")
        if screen := [s for s in SCREEN_ONLY if s in flat]:
            problems.append(f"{language} {name}: screen text {screen}")
        # amounts in euros as written (€ 719.000 / €719,000), never in thousands
        if "× €" in flat or re.search(r"\d €(?! \d)", flat):
            problems.append(f"{language} {name}: amount not in euros")
        # fractions are percentages: no 0,0225 or 0.0200
        if re.search(r"\b0[.,]\d{4}\b", flat):
            problems.append(f"{language} {name}: a fraction where a percentage belongs")
    assert not problems, "\n".join(problems)


def _amounts_percentages_and_years_as_people_write_them(
    papers: dict[tuple[str, str], tuple[str, str, int]],
) -> None:
    dutch = " ".join(papers["nl", "agreement Wijkafspraak Ruwaard"][1].split())
    english = " ".join(papers["en", "agreement Wijkafspraak Ruwaard"][1].split())
    # the demo's amounts are entered in thousands: the housing corporation's NPV of -197.8
    assert "-€ 197.800" in dutch and "-€ 197,800" in english
    assert "discontovoet 2,25%" in dutch and "discount rate 2.25%" in english
    assert "scenario: basis" in dutch and "scenario: baseline" in english
    # a one-off in years 1 and 2, and a saving from year 2 on, of a 2026–2030 agreement
    assert "2026–2027" in dutch and "2027–2030" in dutch
    report = " ".join(papers["nl", "report"][1].split())
    assert "Totale NCW € 26.437 ● op koers" in report


def _the_report_has_the_pages_the_readme_promises(
    papers: dict[tuple[str, str], tuple[str, str, int]],
) -> None:
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    promised = re.search(r"gives the whole picture on (\d+) pages", readme)
    assert promised is not None
    assert papers["nl", "report"][2] == int(promised.group(1))
