"""Reads for the population pages, the programme report, and other features (through the core)."""

from __future__ import annotations

import gzip
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from samenspel.analytics.population.cbs import CbsPopulation, read_cbs_population
from samenspel.analytics.population.comparison import (
    AreaResult,
    Standardisation,
    pyramid,
    standardise,
)
from samenspel.analytics.population.municipalities import name_of
from samenspel.analytics.population.regiobeeld import AGE_BANDS
from samenspel.analytics.population.standardise import AGE_CLASSES, Z95, Z998, funnel_limits
from samenspel.analytics.population.suppression import TOTAL
from samenspel.analytics.population.vektis import (
    CATEGORIES,
    SMALL_POPULATION_YEARS,
    read_vektis,
)
from samenspel.web.core.accounts.models import ProgrammeRole
from samenspel.web.core.charts import bar_chart, funnel_chart, line_chart, pyramid_chart
from samenspel.web.core.extensions import RegionalCost, SharedPatients
from samenspel.web.core.models import Programme
from samenspel.web.core.versions import remember

from .dashboard import view
from .excel import protection_note
from .labels import CONDITION_LABELS, KIND_LABELS, SEGMENT_LABELS
from .models import OpenDataFile, RegiobeeldRun, RegionArea


def shared_patients(programme: Programme, requested: str = "") -> SharedPatients | None:
    """The patient-sharing network of the requested run, or of the latest run that has one."""
    runs = RegiobeeldRun.objects.filter(programme=programme, sharing__isnull=False)
    run = (
        runs.filter(pk=int(requested)).first()
        if requested.isdigit()
        else runs.order_by("-created_at").first()
    )
    if run is None:
        return None
    sharing = run.sharing or {}
    return SharedPatients(
        run_id=run.pk,
        dataset=run.dataset.name,
        year=sharing.get("year"),
        min_shared=int(sharing.get("min_shared", 0)),
        network=sharing,
        labels={code: str(label) for code, label in KIND_LABELS.items()},
    )


def regional_costs(programme: Programme) -> list[RegionalCost]:
    """The region's published cost per inhabitant per stream and year, from the latest
    finished regiobeeld (suppressed figures are left out); kept per data version, since the
    stored result can be large."""
    return remember("regional-costs", programme.pk, (), lambda: _regional_costs(programme))


def _regional_costs(programme: Programme) -> list[RegionalCost]:
    run = (
        RegiobeeldRun.objects.filter(programme=programme, status=RegiobeeldRun.Status.DONE)
        .order_by("-created_at")
        .first()
    )
    result = (run.published or {}) if run else {}
    inhabitants = {
        r["year"]: r.get("persons")
        for r in result.get("population", [])
        if r["municipality"] == TOTAL and not r.get("suppressed")
    }
    if run is None:
        return []
    settlement = {
        (r["year"], r["stream"]): r
        for r in result.get("settlement", [])
        if not r.get("suppressed")
    }
    return [
        RegionalCost(
            run.pk,
            r["year"],
            r["stream"],
            int(inhabitants[r["year"]]),
            float(r["per_capita"]),
            settlement.get((r["year"], r["stream"]), {}).get("truncated_per_capita"),
            settlement.get((r["year"], r["stream"]), {}).get("sd_per_capita"),
        )
        for r in result.get("costs", [])
        if r["municipality"] == TOTAL
        and not r.get("suppressed")
        and r.get("per_capita") is not None
        and inhabitants.get(r["year"])
    ]


def run_of(programme: Programme, run_id: int) -> RegiobeeldRun:
    run: RegiobeeldRun = get_object_or_404(
        RegiobeeldRun.objects.select_related("dataset"), pk=run_id, programme=programme
    )
    return run


def regiobeeld_context(
    request: HttpRequest, programme: Programme, role: ProgrammeRole, run: RegiobeeldRun
) -> dict[str, Any]:
    context: dict[str, Any] = {"programme": programme, "role": role, "run": run}
    result = run.published
    if run.status != RegiobeeldRun.Status.DONE or not result:
        return context
    years = result["years"]
    year_param = request.GET.get("year", "")
    year = int(year_param) if year_param.isdigit() and int(year_param) in years else years[-1]
    municipality = request.GET.get("municipality", TOTAL)
    if municipality not in [*result["municipalities"], TOTAL]:
        municipality = TOTAL
    context.update(
        remember(
            "regiobeeld-figures",
            programme.pk,
            (run.pk, year, municipality, get_language()),
            lambda: _figures(run, year, municipality),
        )
    )
    context.update(
        {"result": result, "sharing": run.sharing, "protection_note": protection_note(result)}
    )
    return context


def regiobeeld_body_html(context: dict[str, Any]) -> str:
    """The regiobeeld page's figures and charts, rendered once per run, year, municipality and
    language: the same for every reader (they hold no form), and the page's heaviest part."""
    run: RegiobeeldRun = context["run"]
    return remember(
        "regiobeeld-body", run.programme_id,
        (run.pk, context["year"], context["municipality"], get_language()),
        lambda: mark_safe(
            render_to_string("monitoring/_regiobeeld_body.html", context)
        ),
    )  # fmt: skip


def _figures(run: RegiobeeldRun, year: int, municipality: str) -> dict[str, Any]:
    """The shown year's figures and charts of a finished run; kept while the run is unchanged.

    The stored result itself is not kept here (it can be large); the caller adds it.
    """
    result = run.published or {}
    years = result["years"]
    v = view(result, year, municipality)
    condition_labels = {code: str(label) for code, label in CONDITION_LABELS.items()}
    kind_labels = {code: str(label) for code, label in KIND_LABELS.items()}
    segment_labels = {code: str(label) for code, label in SEGMENT_LABELS.items()}
    standardised = [
        r
        for r in result.get("standardised", [])
        if r["year"] == year and r["municipality"] == municipality
    ]
    wilson_of = {
        r["indicator"]: (r["crude_low"], r["crude_high"])
        for r in standardised
        if not r["suppressed"] and "crude_low" in r
    }
    return {
        "v": v,
        "standardised": [
            r
            for r in standardised
            if r["indicator"] != "zvw_cost" and not r["indicator"].startswith("care:")
        ],
        "standardised_care": [r for r in standardised if r["indicator"].startswith("care:")],
        "zvw_national": next((r for r in standardised if r["indicator"] == "zvw_cost"), None),
        "indicator_labels": {
            "multimorbidity": _("Multimorbidity (2+ conditions)"),
            **condition_labels,
            **{f"care:{code}": label for code, label in kind_labels.items()},
        },
        "years": years,
        "year": year,
        "municipality": municipality,
        "municipalities": result["municipalities"],
        "total": TOTAL,
        "condition_labels": condition_labels,
        "kind_labels": kind_labels,
        "segment_labels": segment_labels,
        "pyramid_svg": pyramid_chart(
            AGE_BANDS, v.women, v.men, _("Age pyramid"), (_("Women"), _("Men"))
        ),
        "prevalence_svg": bar_chart(
            [(condition_labels[c], r) for c, _n, r in v.prevalence],
            _("Prevalence per 1,000") + " (95%)",
            decimals=1,
            intervals=[wilson_of.get(c) for c, _n, _r in v.prevalence],
        ),
        "segments_svg": bar_chart(
            [(segment_labels[s], p) for s, _n, p, _c in v.segments],
            _("Population segments"),
            decimals=1,
            unit="%",
        ),
        "costs_svg": bar_chart(
            [(s, c) for s, c in v.costs], _("Cost per inhabitant"), as_money=True
        ),
        "trends_svg": line_chart(
            years,
            [
                (_("Population"), [t["population"] for t in v.trends]),
                (_("Multimorbidity") + " %", [t["multimorbidity_percent"] for t in v.trends]),
                (_("Cost per inhabitant") + " (€)", [t["cost_per_capita"] for t in v.trends]),
            ],
            _("Trends"),
        ),
    }


# --------------------------------------------------------------------------- open data


def region_areas(programme: Programme) -> list[tuple[str, str]]:
    """The region's areas as (code, name), municipalities by name first, then postcode areas."""
    codes = RegionArea.objects.filter(programme=programme).values_list("code", flat=True)
    named = [(code, name_of(code)) for code in codes]
    return sorted(named, key=lambda a: (a[0].isdigit(), a[1]))


def open_data_files(programme: Programme) -> list[OpenDataFile]:
    return list(OpenDataFile.objects.filter(programme=programme).defer("content"))


def open_data_context(programme: Programme, year_param: str = "") -> dict[str, Any]:
    """The open-data regiobeeld: Zvw cost standardised for age and sex, pyramid, trends."""
    context: dict[str, Any] = {
        "open_files": open_data_files(programme),
        "region_areas": region_areas(programme),
        "category_labels": {c.code: _(c.label) for c in CATEGORIES},
    }
    year = year_param if year_param.isdigit() and len(year_param) == 4 else ""
    figures = remember(
        "open-data",
        programme.pk,
        (year, get_language()),
        lambda: _open_data_figures(programme, year),
    )
    context.update(figures)
    return context


def _content(file: OpenDataFile) -> bytes:
    return gzip.decompress(bytes(file.content))


def region_comparisons(programme: Programme) -> list[Standardisation]:
    """Every year's open-data file per municipality, standardised, with the region's own
    comparison (empty when the programme names no region or has no such files)."""
    codes = [code for code, _name in region_areas(programme)]
    if not codes:
        return []
    results = []
    for file in OpenDataFile.objects.filter(programme=programme).order_by("year"):
        if file.kind == OpenDataFile.Kind.VEKTIS and file.level == "gemeente":
            parsed = read_vektis(_content(file), name=file.name)
            parsed.synthetic = file.synthetic
            results.append(standardise(parsed, region=codes))
    return results


def _open_data_figures(programme: Programme, year_param: str) -> dict[str, Any]:
    """Read and standardise the files, then shape the shown year. Kept per data version, year
    and language by the caller; the parsed files themselves are not kept (they are large)."""
    codes = [code for code, _name in region_areas(programme)]
    files = list(OpenDataFile.objects.filter(programme=programme).order_by("year"))
    results = region_comparisons(programme)
    if not results or not codes:
        return {"open": None}
    years = [r.file.year for r in results]
    year = int(year_param) if year_param.isdigit() and int(year_param) in years else years[-1]
    shown = results[years.index(year)]
    ranked = sorted(shown.areas, key=lambda a: -(a.total.ratio or 0))
    cbs = next((f for f in files if f.kind == OpenDataFile.Kind.CBS), None)
    population = None if cbs is None else read_cbs_population(_content(cbs), name=cbs.name)
    pyramid_svg, pyramid_source = _pyramid(shown, codes, population, year)
    return {
        "open": {
            "year": year,
            "years": years,
            "synthetic": shown.file.synthetic,
            "file": shown.file.name,
            "region": shown.region,
            "municipalities": [a for a in ranked if a.key in codes],
            "rank": {a.key: i + 1 for i, a in enumerate(ranked)},
            "count": len(shown.areas),
            "missing": [c for c in codes if not c.isdigit() and c not in shown.file.areas],
            "merged": shown.file.merged,
            "small_limit": SMALL_POPULATION_YEARS,
            "funnel_svg": _funnel(shown, codes),
            "pyramid_svg": pyramid_svg,
            "pyramid_source": pyramid_source,
            "trend": _trend_rows(results, codes),
            "trend_svg": _trend_chart(results) if len(results) > 1 else "",
            "postcode_areas": _postcode_areas(files, codes, year),
        }
    }


def _funnel(shown: Standardisation, codes: list[str]) -> str:
    phi = shown.phi["total"]

    def limits(expected: float) -> tuple[float, float, float, float]:
        wide, narrow = funnel_limits(expected, phi, Z998), funnel_limits(expected, phi, Z95)
        return wide.low, narrow.low, narrow.high, wide.high

    points = [
        (a.name, a.total.expected, a.total.ratio, a.key in codes)
        for a in shown.areas
        if a.total.ratio is not None
    ]
    return funnel_chart(
        points,
        limits,
        _("Zvw cost against expectation, all municipalities"),
        x_label=_("Expected Zvw cost (€ million, logarithmic scale)"),
        y_label=_("Actual / expected"),
    )


def _pyramid(
    shown: Standardisation, codes: list[str], population: CbsPopulation | None, year: int
) -> tuple[str, str]:
    """CBS inhabitants when a CBS table is loaded, else Vektis's insured persons."""
    counts: dict[tuple[str, int], float] = {}
    source = _("insured persons (Vektis %(year)s)") % {"year": year}
    if population is not None and population.years:
        cbs_year = year if year in population.years else population.years[-1]
        counts = population.pyramid(cbs_year, codes)
        source = _("inhabitants on 1 January %(year)s (CBS)") % {"year": cbs_year}
    if not counts:
        counts = pyramid(shown.file, codes)
    women = {AGE_CLASSES[a]: v for (s, a), v in counts.items() if s == "F"}
    men = {AGE_CLASSES[a]: v for (s, a), v in counts.items() if s == "M"}
    return pyramid_chart(AGE_CLASSES, women, men, _("Age pyramid"), (_("Women"), _("Men"))), source


def _trend_rows(results: list[Standardisation], codes: list[str]) -> list[dict[str, Any]]:
    rows = []
    for key in ["region", *codes]:
        ratios = []
        name = _("Region") if key == "region" else name_of(key)
        for result in results:
            area = (
                result.region
                if key == "region"
                else next((a for a in result.areas if a.key == key), None)
            )
            ratios.append(None if area is None else area.total.ratio)
        if any(r is not None for r in ratios):
            rows.append({"name": name, "ratios": ratios})
    return rows


def _trend_chart(results: list[Standardisation]) -> str:
    regions = [r.region for r in results]
    return line_chart(
        [r.file.year for r in results],
        [
            (_("Actual / expected"), [g.total.ratio if g else None for g in regions]),
            (
                _("Zvw cost per insured-year") + " (€)",
                [g.total.actual_per_year if g else None for g in regions],
            ),
            (_("Insured-years"), [g.insured_years if g else None for g in regions]),
        ],
        _("Trends in the region"),
    )


def _postcode_areas(files: list[OpenDataFile], codes: list[str], year: int) -> list[AreaResult]:
    """The region's postcode areas in the shown year's postcode-3 file, highest ratio first."""
    postcodes = [c for c in codes if c.isdigit()]
    file = next((f for f in files if f.level == "postcode3" and f.year == year), None)
    if file is None or not postcodes:
        return []
    result = standardise(read_vektis(_content(file), name=file.name), region=postcodes)
    return sorted(
        (a for a in result.areas if a.key in postcodes), key=lambda a: -(a.total.ratio or 0)
    )
