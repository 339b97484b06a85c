"""Engineering guarantees: a pure analytics core and a clean deployment check."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import samenspel.analytics

ANALYTICS = Path(samenspel.analytics.__file__).parent


def test_analytics_core_imports_no_django() -> None:
    modules = sorted(
        "samenspel.analytics." + str(p.relative_to(ANALYTICS).with_suffix("")).replace("/", ".")
        for p in ANALYTICS.rglob("*.py")
        if p.name != "__init__.py"
    )
    assert modules, "no analytics modules found"
    code = (
        "import sys, importlib\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "bad = sorted(n for n in sys.modules if n.split('.')[0] in ('django', 'ninja')"
        " or n.startswith('samenspel.web'))\n"
        "print(','.join(bad)); sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, f"analytics pulled in: {result.stdout} {result.stderr}"


def test_deploy_check_is_clean_with_production_settings(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "samenspel.web.config.settings.production",
        "SAMENSPEL_SECRET_KEY": "k7#Lq2!vZp9@xR4mW8^tY1&uB6*eN3$hJ5%cF0(dG)sA-oI_" * 2,
        "SAMENSPEL_DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "DEBUG"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_no_app_imports_another_apps_views() -> None:
    """Pages of one app are reached through its selectors, never through its views module."""
    import ast

    web = Path(samenspel.analytics.__file__).parents[1] / "web"
    offenders = []
    for path in web.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        package = ".".join(path.relative_to(web.parent.parent).with_suffix("").parts[:3])
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
                for name in names:
                    own = name.startswith(package + ".")
                    if name.startswith("samenspel.") and name.endswith(".views") and not own:
                        offenders.append(f"{path.name}: {name}")
    assert offenders == []


def test_layer_contracts_are_kept() -> None:
    """The web app's layers (core ← features ← workspace) hold; `make lint` runs the same."""
    done = subprocess.run(
        [str(Path(sys.executable).parent / "lint-imports")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-2000:]
    assert "Web layers" in done.stdout and "independent" in done.stdout


@pytest.mark.django_db
def test_the_models_have_no_change_without_a_migration() -> None:
    from django.core.management import call_command

    # --check exits non-zero (SystemExit) when a model differs from its migrations
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
