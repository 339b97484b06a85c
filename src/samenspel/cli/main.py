"""The ``samenspel`` command: demo, serve, export and import of programmes."""

from __future__ import annotations

import json
import math
import os
import shutil
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typer
from rich.console import Console

from samenspel.analytics.population.thresholds import (
    DEFAULT_THRESHOLD,
    MINIMUM_THRESHOLD,
    ROUNDED,
)

app = typer.Typer(
    help="Samenspel: workbench for regional health-and-care partnerships.", no_args_is_help=True
)
console = Console()
err = Console(stderr=True, soft_wrap=True)


def _django(settings: str = "samenspel.web.config.settings.local") -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings)
    import django

    django.setup()


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not a number JSON allows; give a finite number")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text} is too large a number; give a finite number")
    return value


def read_json(file: Path) -> object:
    """The JSON document in ``file``; a clear message and exit code 2 for anything else."""
    try:
        text = file.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        err.print(
            f"[red]{file.name}: not UTF-8 text (byte {exc.start + 1}); save the file as UTF-8."
            "[/red]"
        )
        raise typer.Exit(2) from exc
    try:
        return json.loads(text, parse_constant=_refuse_constant, parse_float=_finite_float)
    except json.JSONDecodeError as exc:
        err.print(f"[red]{file.name}: not valid JSON (line {exc.lineno}): {exc.msg}[/red]")
        raise typer.Exit(2) from exc
    except ValueError as exc:
        err.print(f"[red]{file.name}: {exc}[/red]")
        raise typer.Exit(2) from exc


def _refuse(problems: Sequence[object]) -> None:
    """Say that nothing was computed, and every problem (file, row, column)."""
    err.print(f"[red]Nothing computed: {len(problems)} problem(s).[/red]")
    for problem in problems:
        err.print(f"  {problem}")


def _migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


@app.command()
def demo(
    serve: bool = typer.Option(True, "--serve/--no-serve", help="Serve the app after loading."),
    host: str = typer.Option("127.0.0.1", help="Address to serve on."),
    port: int = typer.Option(8000, help="Port to serve on."),
    reset: bool = typer.Option(False, help="Remove the demo programmes first and load them anew."),
) -> None:
    """Migrate the database, load the demo region and (by default) serve the app."""
    _django()
    _migrate()
    from samenspel.web.workspace.demo import DEMO_USERS, load_demo

    summary = load_demo(reset=reset)
    if summary.created:
        console.print(f"[green]Demo loaded:[/green] {', '.join(summary.programmes)}")
    else:
        console.print("Demo already present (use --reset to load it anew).")
    console.print("Log in with one of these demo accounts (fictional people, illustrative shapes):")
    for username, password, description in DEMO_USERS:
        console.print(f"  [bold]{username}[/bold] / {password}  – {description}")
    if serve:
        _serve(host, port)


def _serve(host: str, port: int) -> None:
    """The development server, with a background worker beside it; SIGTERM or Ctrl+C stops
    both."""
    import signal
    import subprocess
    import sys

    from django.core.management import call_command

    worker = subprocess.Popen(
        [sys.executable, "-m", "samenspel.cli.main", "worker"],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": os.environ["DJANGO_SETTINGS_MODULE"]},
    )

    def stop(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, stop)
    console.print(f"Serving on http://{host}:{port}/  (Ctrl+C stops)")
    try:
        call_command("runserver", f"{host}:{port}", use_reloader=False)
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


@app.command()
def serve(host: str = "127.0.0.1", port: int = 8000) -> None:
    """Migrate and serve the app (development server) with a background worker."""
    _django()
    _migrate()
    _serve(host, port)


@app.command("migrate")
def migrate_command() -> None:
    """Create or update the database tables (after installing or upgrading)."""
    _django()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=1)


@app.command()
def worker() -> None:
    """Run the background worker: regiobeeld runs and survey mail. Run it beside the web
    server; it records a heartbeat that /health/ reads. SIGTERM or Ctrl+C stops it."""
    _django()
    from django.core.management import call_command
    from django.db import DatabaseError

    from samenspel.web.core.worker import Heartbeat, unapplied_migrations

    try:
        missing = unapplied_migrations()
    except DatabaseError as exc:
        err.print(f"[red]The worker cannot reach the database: {type(exc).__name__}.[/red]")
        raise typer.Exit(2) from exc
    if missing:
        err.print(
            f"[red]The database is not ready: {missing} migration(s) to apply. Run "
            "`samenspel migrate` first.[/red]"
        )
        raise typer.Exit(2)
    heartbeat = Heartbeat()
    heartbeat.start()
    try:
        # no autoreload: it would run the worker in a child process that outlives a stop
        call_command("db_worker", verbosity=1, startup_delay=False, reload=False)
    finally:
        heartbeat.stop()


@app.command("mail")
def mail_command(
    programme: list[int] | None = typer.Option(
        None, "--programme", "-p", help="Only this programme (by id); repeat for more."
    ),
) -> None:
    """Send the survey invitations and reminders that are due now, for every open wave or only
    those of the given programmes (for a cron job where no task worker runs; the worker of
    `samenspel serve` does this by itself)."""
    _django()
    from samenspel.web.core.models import LARGEST_ID, Programme
    from samenspel.web.dynamics.mailing import send_due
    from samenspel.web.dynamics.models import SurveyWave

    waves = SurveyWave.objects.filter(closed_at__isnull=True, send_at__isnull=False)
    if programme:
        known = set(
            Programme.objects.filter(pk__in=[p for p in programme if 0 < p <= LARGEST_ID])
            .values_list("pk", flat=True)
        )
        unknown = sorted(set(programme) - known)
        if unknown:
            err.print(f"[red]No programme with id {', '.join(map(str, unknown))}.[/red]")
            raise typer.Exit(2)
        waves = waves.filter(programme_id__in=known)
    failed = 0
    for wave in waves.select_related("programme"):
        report = send_due(wave=wave)
        console.print(f"{wave.programme.name} · {wave.name}: {len(report.sent)} sent")
        for name, reason in report.failed:
            failed += 1
            err.print(f"  [red]{name}: {reason}[/red]")
    raise typer.Exit(1 if failed else 0)


@app.command("export")
def export_programme(
    programme_id: int, out: Path = typer.Argument(..., help="File to write (.json).")
) -> None:
    """Write a whole programme to a JSON file."""
    _django()
    from samenspel.web.composition.exchange import export_programme_json
    from samenspel.web.core.models import Programme

    programme = Programme.objects.filter(pk=programme_id).first()
    if programme is None:
        err.print(f"[red]No programme with id {programme_id}.[/red]")
        raise typer.Exit(1)
    # the command line is the operator's, who sees everything (as in the admin)
    out.write_text(export_programme_json(programme, contact=True), encoding="utf-8")
    console.print(f"Wrote {programme.name} to {out}")


@app.command("import")
def import_programme(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, readable=True),
    owner: str = typer.Option(..., help="Username who becomes the programme director."),
    name: str | None = typer.Option(None, help="Name for the new programme."),
) -> None:
    """Create a programme from a JSON file; every problem is listed and nothing is written."""
    _django()
    _migrate()
    from django.contrib.auth import get_user_model

    from samenspel.web.composition.exchange import ImportFailedError
    from samenspel.web.composition.services import import_programme_json

    user = get_user_model().objects.filter(username=owner).first()
    if user is None:
        err.print(f"[red]No user named {owner!r}.[/red]")
        raise typer.Exit(1)
    try:
        programme = import_programme_json(file.read_bytes(), user=user, source=file.name, name=name)
    except ImportFailedError as exc:
        err.print(f"[red]Nothing imported: {len(exc.problems)} problem(s).[/red]")
        for problem in exc.problems:
            err.print(f"  {problem}")
        raise typer.Exit(2) from exc
    console.print(json.dumps({"id": programme.pk, "name": programme.name}))


@app.command()
def allocate(
    file: Path = typer.Argument(
        ...,
        exists=True,
        dir_okay=False,
        readable=True,
        help="A JSON game or agreement (see docs/money.md).",
    ),
    rule: str = typer.Option(
        "shapley",
        help="proportional_investment, proportional_savings, "
        "proportional (= proportional_investment), equal, shapley or nucleolus",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of tables."),
) -> None:
    """Allocate the gains of cooperation, check the core and plan the side payments."""
    from samenspel.analytics.money_report import MoneyInputError, allocation_report

    try:
        report = allocation_report(
            read_json(file), "proportional_investment" if rule == "proportional" else rule
        )
    except MoneyInputError as exc:
        err.print(f"[red]{file}: {exc}[/red]")
        raise typer.Exit(2) from exc
    if as_json:
        console.print_json(json.dumps(report, allow_nan=False))
        return
    from rich.table import Table

    cost = report.get("kind") == "cost"
    table = Table(title=f"{'Cost shares' if cost else 'Allocation'} by {report['rule']}")
    own_column = "own NPV" if "own_npv" in report else "holding"
    columns = ("party", "cost share" if cost else "share", own_column, "side payment",
               "final position")  # fmt: skip
    for column in columns:
        table.add_column(column, justify="right" if column != "party" else "left")
    for party, share in report["shares"].items():
        own = report.get("own_npv", report.get("holdings", {})).get(party)
        side = report.get("side_payments", {}).get(party)
        final = report.get("final_positions", {}).get(party)
        table.add_row(
            party,
            f"{share:,.2f}",
            *("" if v is None else f"{v:,.2f}" for v in (own, side, final)),
        )
    console.print(table)
    core, bound = report["core"], report.get("shapley_error_bound_95")
    if core is None:
        console.print(
            "Too many parties to check every coalition: no core check."
            + (
                f" Shapley value sampled: every share lies within ±{bound:,.2f} of the true value,"
                " all parties at once, with 95% probability."
                if bound
                else ""
            )
        )
    elif cost:
        console.print(
            f"In the core (no group pays more than on its own): "
            f"{'yes' if core['in_core'] else 'no'}; largest overpayment "
            f"{core['max_excess']:,.2f} ({', '.join(core['blocking']) or '-'}); "
            f"least-core epsilon {report['least_core_epsilon']:,.2f}"
        )
    else:
        console.print(
            f"In the core: {'yes' if core['in_core'] else 'no'}; largest excess "
            f"{core['max_excess']:,.2f} ({', '.join(core['blocking']) or '-'}); "
            f"least-core epsilon {report['least_core_epsilon']:,.2f}"
        )
    left_out = report.get("not_counted", [])
    if left_out:
        err.print(f"[yellow]{len(left_out)} line(s) not counted (financing-stream rules):[/yellow]")
        for item in left_out:
            err.print(f"  [yellow]{item['intervention']}: {item['why']}[/yellow]")
    for t in report.get("transfers", []):
        if t.get("within_margin"):
            console.print(f"  {t['payer']} → {t['payee']}: within the margin (±{bound:,.2f})")
            continue
        console.print(
            f"  {t['payer']} pays {t['payee']} {t['amount']:,.2f}"
            + (f" ({t['per_year']:,.2f} per year)" if "per_year" in t else "")
        )


@app.command()
def network(
    file: Path = typer.Argument(
        ...,
        exists=True,
        dir_okay=False,
        readable=True,
        help="A JSON network (see docs/dynamics.md).",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a summary."),
) -> None:
    """Compute density, centralisation, centrality, E-I, contact matrices and brokerage."""
    from samenspel.analytics.network import NetworkError
    from samenspel.analytics.network.io import network_report, parse_network

    try:
        graph, attributes = parse_network(read_json(file))
    except NetworkError as exc:
        err.print(f"[red]{file}: {exc}[/red]")
        raise typer.Exit(2) from exc
    report = network_report(graph, attributes)
    if as_json:
        console.print_json(json.dumps(report, allow_nan=False))
        return
    console.print(
        f"{report['nodes']} nodes, {report['ties']} ties; density "
        f"{report['density']:.3f}; degree centralisation "
        f"{report['degree_centralisation']:.3f}"
    )
    for attribute, data in report["attributes"].items():
        ei = data["ei_index"]
        console.print(f"E-I by {attribute}: {'-' if ei is None else f'{ei:+.2f}'}")


@app.command()
def synth(
    persons: int = typer.Option(..., "--persons", min=1, help="Number of persons."),
    seed: int = typer.Option(0, "--seed", help="Random seed: the same seed gives the same data."),
    out: Path = typer.Option(..., "--out", file_okay=False, help="Folder to write to."),
    fmt: str = typer.Option("parquet", "--format", help="parquet or csv"),
) -> None:
    """Generate a Dutch-like synthetic region (persons, conditions, care events)."""
    from rich.progress import Progress

    from samenspel.analytics.population.synthetic import generate

    with Progress(console=err) as bar:
        task = bar.add_task("Generating", total=persons)
        summary = generate(
            out,
            persons=persons,
            seed=seed,
            fmt=fmt,
            progress=lambda done, total: bar.update(task, completed=done),
        )
    console.print(
        f"{summary.persons:,} persons, {summary.conditions:,} conditions, "
        f"{summary.events:,} care events in {summary.folder}"
    )


MEMORY_LIMIT = typer.Option(
    None,
    "--memory-limit",
    help="Memory DuckDB may use, e.g. 1GB (default: SAMENSPEL_DUCKDB_MEMORY_LIMIT or 1GB).",
)
SPILL_DIR = typer.Option(
    None,
    "--spill-dir",
    file_okay=False,
    help="Folder for what does not fit in memory (default: SAMENSPEL_DUCKDB_SPILL_DIR or the "
    "system's temporary folder).",
)


def _limits(memory_limit: str | None, spill_dir: Path | None) -> None:
    """The CLI options override the environment for this process."""
    from samenspel.analytics.population.limits import size_bytes

    if memory_limit:
        try:
            size_bytes(memory_limit)
        except ValueError:
            err.print(
                f"[red]--memory-limit takes an amount such as 512MB or 2GB, not {memory_limit!r}"
            )
            raise typer.Exit(2) from None
        os.environ["SAMENSPEL_DUCKDB_MEMORY_LIMIT"] = memory_limit.strip()
    if spill_dir:
        os.environ["SAMENSPEL_DUCKDB_SPILL_DIR"] = str(spill_dir)


@contextmanager
def _population_run(show: bool, label: str) -> Iterator[Callable[[str, float], None]]:
    """A run of the population pipeline as the CLI shows it: a Rich progress bar per step on
    standard error (when ``show``); one line and exit code 2 when DuckDB's memory is too small;
    and on SIGTERM the run's spill files removed before the process ends (Ctrl-C removes them
    too, as any exit does)."""
    import signal

    import duckdb
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from samenspel.analytics.population.limits import memory_limit, work_dir

    def stop(_signum: int, _frame: object) -> None:
        shutil.rmtree(work_dir(), ignore_errors=True)
        os._exit(143)  # at once: the query running in DuckDB does not return to Python first

    previous = signal.signal(signal.SIGTERM, stop)
    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}%"),
        TimeElapsedColumn(),
        console=err,
        disable=not show,
    )
    task = bar.add_task(label, total=1.0)

    def progress(step: str, fraction: float) -> None:
        bar.update(task, description=f"{label}: {step}", completed=fraction)

    try:
        with bar:
            yield progress
    except duckdb.OutOfMemoryException as exc:
        err.print(
            f"[red]DuckDB needed more memory than its limit of {memory_limit()}. Raise it with "
            "--memory-limit (or SAMENSPEL_DUCKDB_MEMORY_LIMIT), or close other programs.[/red]"
        )
        raise typer.Exit(2) from exc
    finally:
        signal.signal(signal.SIGTERM, previous)


def _show_progress(choice: bool | None, *, piped_json: bool) -> bool:
    """A bar unless asked not to; by default none when --json goes to a pipe."""
    return choice if choice is not None else not piped_json


PROGRESS = typer.Option(
    None,
    "--progress/--no-progress",
    help="A progress bar per step on standard error (default: on, except --json to a pipe).",
)


@app.command()
def validate(
    folder: Path = typer.Argument(..., exists=True, file_okay=False),
    memory_limit: str | None = MEMORY_LIMIT,
    spill_dir: Path | None = SPILL_DIR,
    progress: bool | None = PROGRESS,
) -> None:
    """Check a dataset folder against the input contract; list every problem."""
    from samenspel.analytics.population.validate import validate_dataset

    _limits(memory_limit, spill_dir)
    with _population_run(_show_progress(progress, piped_json=False), "validate") as step:
        problems = validate_dataset(folder, progress=lambda done: step("rules", done))
    for problem in problems:
        err.print(str(problem))
    if problems:
        raise typer.Exit(2)
    console.print("The dataset meets the contract.")


@app.command()
def regiobeeld(
    folder: Path = typer.Argument(..., exists=True, file_okay=False),
    engine: str = typer.Option("duckdb", "--engine", help="duckdb or spark"),
    threshold: int = typer.Option(
        DEFAULT_THRESHOLD,
        "--threshold",
        min=MINIMUM_THRESHOLD,
        help=f"Suppress counts below this number (at least {MINIMUM_THRESHOLD}).",
    ),
    spark_master: str | None = typer.Option(
        None,
        "--spark-master",
        help="Spark master, e.g. spark://host:7077 (default: SAMENSPEL_SPARK_MASTER or local[2]).",
    ),
    memory_limit: str | None = MEMORY_LIMIT,
    spill_dir: Path | None = SPILL_DIR,
    as_json: bool = typer.Option(False, "--json", help="Print the whole regiobeeld as JSON."),
    out: Path | None = typer.Option(
        None,
        "--out",
        file_okay=False,
        help="A new folder for every published table, with a README of columns and units.",
    ),
    fmt: str = typer.Option("csv", "--format", help="With --out: csv, parquet or xlsx."),
    progress: bool | None = PROGRESS,
    rounded: bool = typer.Option(
        False,
        "--rounded",
        help="Round every count at random by the cell-key method instead of hiding small ones "
        "(the key's secret comes from SAMENSPEL_CELL_KEY_SECRET or --key-file).",
    ),
    key_file: Path | None = typer.Option(
        None, "--key-file", exists=True, dir_okay=False, help="A file holding the key's secret."
    ),
) -> None:
    """Compute the regiobeeld of a dataset folder: small counts hidden, or all rounded."""
    _limits(memory_limit, spill_dir)
    from samenspel.analytics.population.engine import EngineError
    from samenspel.analytics.population.export import FORMATS, ExportError, write_tables
    from samenspel.analytics.population.pipeline import InvalidDatasetError
    from samenspel.analytics.population.pipeline import regiobeeld as compute

    if engine not in ("duckdb", "spark"):
        err.print("[red]--engine is duckdb or spark[/red]")
        raise typer.Exit(2)
    if spark_master and engine != "spark":
        err.print("[red]--spark-master needs --engine spark[/red]")
        raise typer.Exit(2)
    if fmt not in FORMATS:
        err.print(f"[red]--format is one of {', '.join(FORMATS)}[/red]")
        raise typer.Exit(2)
    if out is not None and out.exists() and (not out.is_dir() or any(out.iterdir())):
        err.print(f"[red]--out {out} exists and is not empty; choose a new folder[/red]")
        raise typer.Exit(2)
    secret = _cell_key_secret(key_file) if rounded else None
    show = _show_progress(progress, piped_json=as_json and not sys.stdout.isatty())
    try:
        with _population_run(show, "regiobeeld") as step:
            report = compute(
                folder,
                engine=engine,
                threshold=threshold,
                spark_master=spark_master,
                progress=step,
                secret=secret,
            )
    except InvalidDatasetError as exc:
        _refuse(exc.problems)
        raise typer.Exit(2) from exc
    except EngineError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    if out is not None:
        try:
            written = write_tables(report, out, fmt)
        except (ExportError, OSError) as exc:
            err.print(f"[red]Nothing written: {exc}[/red]")
            raise typer.Exit(2) from exc
        err.print(f"{len(written)} files in {out}")
    if as_json:
        print(json.dumps(report, ensure_ascii=False))
        return
    _summary(report)


def _cell_key_secret(key_file: Path | None) -> str:
    """The secret of the record keys: from ``--key-file`` or SAMENSPEL_CELL_KEY_SECRET."""
    if key_file is not None:
        secret = key_file.read_text(encoding="utf-8", errors="replace").strip()
        where = f"--key-file {key_file.name}"
    else:
        secret = os.environ.get("SAMENSPEL_CELL_KEY_SECRET", "").strip()
        where = "SAMENSPEL_CELL_KEY_SECRET"
    if len(secret) < MINIMUM_SECRET:
        err.print(
            f"[red]--rounded needs a secret of at least {MINIMUM_SECRET} characters in {where}; "
            "keep it, and use the same one for every release[/red]"
        )
        raise typer.Exit(2)
    return secret


MINIMUM_SECRET = 16


def _summary(report: dict[str, Any]) -> None:
    """Per year the region and each municipality, as the dashboard shows them: persons,
    multimorbidity, cost per inhabitant; a hidden figure says why."""
    from rich.table import Table

    from samenspel.analytics.population.municipalities import name_of
    from samenspel.analytics.population.suppression import TOTAL
    from samenspel.web.monitoring.dashboard import view

    for year in report["years"]:
        table = Table(title=f"Regiobeeld {year}", title_justify="left")
        for column in ("Area", "Persons", "Multimorbidity %", "Cost per inhabitant (€)"):
            table.add_column(column, justify="left" if column == "Area" else "right")
        rows = sorted(
            view(report, year, TOTAL).municipalities,
            key=lambda r: (r["municipality"] != TOTAL, r["municipality"]),
        )
        for row in rows:
            code = row["municipality"]
            area = "Whole region" if code == TOTAL else f"{name_of(code)} ({code})"
            if row["population"] is None:
                table.add_row(area, "hidden", "", "")
                continue
            share, per_head = row["multimorbidity_percent"], row["cost_per_capita"]
            table.add_row(
                area,
                f"{row['population']:,.0f}",
                "hidden" if share is None else f"{share:.1f}",
                "hidden" if per_head is None else f"{per_head:,.0f}",
            )
        console.print(table)
    if (report.get("disclosure") or {}).get("method") == ROUNDED:
        console.print(
            "Rounded: every count is within 2 of the truth (a total within the sum of its "
            "parts'), and the same persons always give the same figures. --out DIR writes "
            "every table with its accuracy; --json prints them all."
        )
        return
    console.print(
        f"Hidden: a count below {report['threshold']} persons, and every figure from which a "
        "hidden count could be worked out. --out DIR writes every table; --json prints them all."
    )


@app.command()
def omop(
    folder: Path = typer.Argument(
        ..., exists=True, file_okay=False, help="Folder with OMOP CDM v5.4 tables (CSV or Parquet)."
    ),
    out: Path = typer.Option(..., "--out", file_okay=False, help="Folder to write to."),
) -> None:
    """Map an OMOP CDM v5.4 subset to the Samenspel input contract, then validate it."""
    from samenspel.analytics.population.omop import OmopError, convert
    from samenspel.analytics.population.validate import validate_dataset

    try:
        summary = convert(folder, out)
    except OmopError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    console.print(
        f"{summary.persons:,} persons, {summary.conditions:,} conditions, "
        f"{summary.events:,} care events ({summary.skipped_visits:,} visits of "
        "unmapped kinds left out)"
    )
    if summary.persons_without_observation:
        console.print(
            f"{summary.persons_without_observation:,} persons without an observation period left "
            f"out, with their {summary.events_of_unobserved_persons:,} care events"
        )
    if summary.events_outside_observation:
        console.print(
            f"{summary.events_outside_observation:,} care events outside the person's "
            "observation periods left out"
        )
    if summary.events_without_cost:
        console.print(
            f"{summary.events_without_cost:,} care events ({summary.share_without_cost:.1%}) "
            "have no cost: shown as unknown, not as 0"
        )
    for payer, n in summary.unmapped_payers.items():
        console.print(f"payer {payer!r} ({n:,} cost rows) is not a financing stream: 'other'")
    problems = validate_dataset(out)
    for problem in problems:
        err.print(str(problem))
    if problems:
        raise typer.Exit(2)


opendata_app = typer.Typer(help="Published open data: Vektis Zvw costs.", no_args_is_help=True)
app.add_typer(opendata_app, name="opendata")


@opendata_app.command("vektis")
def opendata_vektis(
    files: list[Path] = typer.Argument(
        ..., exists=True, dir_okay=False, help="Vektis Zvw open-data files (gemeente or postcode3)."
    ),
    region: list[str] = typer.Option(
        [], "--region", help="A municipality of the region, by name or CBS code; repeat it."
    ),
    year: int | None = typer.Option(
        None, "--year", help="The year, when neither the file nor its name says it."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the comparison as JSON."),
) -> None:
    """Zvw cost against what age and sex predict, per municipality and for the region."""
    from samenspel.analytics.population.comparison import report
    from samenspel.analytics.population.vektis import VektisError, read_vektis

    try:
        loaded = [read_vektis(file, year=year) for file in files]
        result = report(loaded, region=region)
    except VektisError as exc:
        _refuse(exc.problems)
        raise typer.Exit(2) from exc
    if as_json:
        print(json.dumps(result, ensure_ascii=False))
        return
    _print_opendata(result)


def _print_opendata(result: dict[str, Any]) -> None:
    from rich.table import Table

    key = "municipalities" if result["level"] == "gemeente" else "postcode_areas"
    table = Table(title=f"Zvw {result['year']}: actual against expected for age and sex")
    for column in ("Area", "Insured-years", "Ratio", "95% interval", "€ per insured-year"):
        table.add_column(column, justify="left" if column == "Area" else "right")
    rows = sorted(result[key], key=lambda a: a["ratio"] or 0, reverse=True)
    if result["region"]:
        rows = [{**result["region"], "name": "Region"}, *rows]
    for area in rows:
        ratio = "-" if area["ratio"] is None else f"{area['ratio']:.3f}"
        interval = "-" if area["ci_low"] is None else f"{area['ci_low']:.3f}–{area['ci_high']:.3f}"
        gap = (
            "-" if area["gap_per_insured_year"] is None else f"{area['gap_per_insured_year']:+,.0f}"
        )
        table.add_row(area["name"], f"{area['insured_years']:,.0f}", ratio, interval, gap)
    console.print(table)


def _cli_language() -> None:
    """Speak the terminal's language (``LANG=nl_NL.UTF-8`` gives Dutch), English otherwise."""
    from django.utils import translation

    wanted = os.environ.get("LC_ALL") or os.environ.get("LC_MESSAGES") or os.environ.get("LANG")
    translation.activate("nl" if (wanted or "").lower().startswith("nl") else "en")


def _passphrase(file: Path | None, ask: bool, *, confirm: bool) -> str | None:
    """The backup passphrase: from a file, from SAMENSPEL_BACKUP_PASSPHRASE, or asked for."""
    if file is not None:
        try:
            text = file.read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError) as exc:
            err.print(f"[red]{file.name}: cannot read the passphrase file.[/red]")
            raise typer.Exit(2) from exc
        if not text:
            err.print(f"[red]{file.name}: the passphrase file is empty.[/red]")
            raise typer.Exit(2)
        return text
    if os.environ.get("SAMENSPEL_BACKUP_PASSPHRASE"):
        return os.environ["SAMENSPEL_BACKUP_PASSPHRASE"]
    if ask:
        return str(typer.prompt("Passphrase", hide_input=True, confirmation_prompt=confirm))
    return None


@app.command("backup")
def backup_command(
    file: Path = typer.Argument(..., help="Backup file to write (e.g. samenspel.backup)."),
    encrypt: bool = typer.Option(
        False, "--encrypt", help="Encrypt with a passphrase (asked for, or from the options)."
    ),
    passphrase_file: Path | None = typer.Option(
        None, help="Encrypt with the passphrase in this file (or SAMENSPEL_BACKUP_PASSPHRASE)."
    ),
    datasets: bool = typer.Option(
        True, "--datasets/--without-datasets",
        help="Include the population datasets' files (the default), or list them to copy.",
    ),
) -> None:
    """Write the whole installation to one file: every record (users, roles, two-factor keys,
    surveys, agreements, runs, open data) and the population datasets' files."""
    _django()
    _cli_language()
    from samenspel.web.workspace.backup import BackupError, backup

    secret = _passphrase(passphrase_file, encrypt, confirm=True)
    try:
        count = backup(file, passphrase=secret, datasets=datasets)
    except (BackupError, OSError) as exc:
        reason = exc if isinstance(exc, BackupError) else f"{file}: {exc.strerror}"
        err.print(f"[red]{reason}[/red]")
        raise typer.Exit(2) from exc
    note = "encrypted" if secret else "not encrypted: it holds password hashes and personal data"
    console.print(f"Backed up {count:,} records to {file} ({note}).")


@app.command("restore")
def restore_command(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, readable=True),
    yes: bool = typer.Option(
        False, "--yes", help="Confirm that the backup replaces a database that is not empty."
    ),
    passphrase_file: Path | None = typer.Option(
        None, help="The passphrase of an encrypted backup (or SAMENSPEL_BACKUP_PASSPHRASE)."
    ),
) -> None:
    """Restore a backup onto an empty database, or replace everything with --yes (all or
    nothing: a damaged, foreign or empty file changes nothing)."""
    _django()
    _cli_language()
    _migrate()
    import sys

    from samenspel.web.workspace.backup import BackupError, is_encrypted, restore

    secret = _passphrase(passphrase_file, is_encrypted(file) and sys.stdin.isatty(), confirm=False)
    try:
        done = restore(file, passphrase=secret, replace=yes)
    except BackupError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    console.print(f"Restored {done.records:,} records and {done.files:,} files from {file}.")
    for name in done.missing_datasets:
        err.print(f"[yellow]Dataset without its files (copy them into place): {name}[/yellow]")


@app.command("verify")
def verify_command(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, readable=True),
) -> None:
    """Which frozen version of an agreement or regioplan a PDF or JSON export shows, and what
    the parties decided on it. Exits 0 only when it is a version every party approved (and, for
    a JSON export, holds exactly that version's figures)."""
    _django()
    _cli_language()
    from samenspel.web.core.approvals import grouped
    from samenspel.web.core.verify import VerifyError, verify

    try:
        result = verify(file.read_bytes())
    except VerifyError as exc:
        err.print(f"[red]{file.name}: {exc}[/red]")
        raise typer.Exit(2) from exc
    if result.claimed:
        console.print(f"Fingerprint: {grouped(result.claimed)}")
    if not result.found:
        err.print(
            f"[red]{file.name}: no frozen version "
            + ("has this fingerprint: it shows a draft or a changed copy[/red]"
               if result.claimed else "holds exactly these figures[/red]")
        )  # fmt: skip
        raise typer.Exit(1)
    approved = False
    for found in result.found:
        console.print(
            f"Version {found.number} of the {found.subject}, frozen "
            f"{found.frozen_at:%Y-%m-%d %H:%M}: [bold]{found.status}[/bold]"
        )
        for d in found.decided:
            console.print(f"  {d.party}: {d.decision} by {d.by or '-'} on {d.at:%Y-%m-%d %H:%M}")
        for party in found.awaiting:
            console.print(f"  {party}: awaiting")
        if found.later:
            console.print(f"  [yellow]{found.later} later version(s) were frozen since.[/yellow]")
        if found.holds is False:
            err.print("  [red]The file's figures differ from this version's.[/red]")
        approved |= found.status == "approved" and found.holds is not False
    if result.kind == "pdf":
        console.print(
            "A PDF is known by its fingerprint, not signed: compare its figures with the JSON "
            "export or a fresh PDF of that version when in doubt."
        )
    raise typer.Exit(0 if approved else 1)


if __name__ == "__main__":  # pragma: no cover
    app()
