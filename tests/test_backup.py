"""Backup and restore: onto a fresh server of either kind, with the datasets' files, encrypted,
and a file that is not a good backup refused in one line with nothing changed."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import re
import subprocess
import sys
import tarfile
from pathlib import Path
from typing import Any

import pytest
import requests
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher, make_password
from django.utils import translation

from samenspel.analytics.population.synthetic import generate
from samenspel.web.composition.exchange import export_programme
from samenspel.web.core.models import Organisation, Person, Programme
from samenspel.web.core.versions import version_of
from samenspel.web.monitoring.models import Dataset, RegiobeeldRun
from samenspel.web.workspace.backup import BackupError, backup, restore

from .conftest import World
from .live import fresh_database, live_server, server_env

SAMENSPEL = str(Path(sys.executable).parent / "samenspel")
PASSWORD = "restore-drill-password-7"


@pytest.fixture(autouse=True)
def _english() -> Any:
    with translation.override("en"):
        yield


def _records(path: Path, passphrase: str | None = None) -> list[dict[str, Any]]:
    """The records of a backup, as a set-like sorted list (JSON key order differs by database)."""
    data = path.read_bytes()
    if passphrase:
        from pyrage import passphrase as age

        data = age.decrypt(data, passphrase)
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        handle = archive.extractfile("records.json")
        assert handle is not None
        records = json.loads(handle.read())
    return sorted(records, key=lambda r: (r["model"], json.dumps(r["pk"])))


def _cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [SAMENSPEL, *args], env={"LC_ALL": "C.UTF-8", **env}, capture_output=True, text=True,
        timeout=300, stdin=subprocess.DEVNULL,
    )  # fmt: skip


def _with_dataset(world: World, tmp_path: Path) -> Dataset:
    folder = Path(settings.SAMENSPEL_DATASETS_DIR) / f"programme-{world.a.pk}" / "dataset-x1"
    generate(folder, persons=120, seed=3, fmt="csv")
    dataset = Dataset.objects.create(
        programme=world.a, name="Proefregio", kind=Dataset.Kind.SYNTHETIC, folder=str(folder)
    )
    RegiobeeldRun.objects.create(programme=world.a, dataset=dataset, status="running")
    return dataset


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_round_trip(world: World, tmp_path: Path) -> None:
    _with_dataset(world, tmp_path)  # records of an app after the one that keeps the versions
    token = version_of(world.a.pk)  # what cached figures are keyed on
    before = export_programme(world.a, contact=True)
    path = tmp_path / "samenspel.backup"
    count = backup(path)
    assert count > 20
    Person.objects.all().delete()
    Organisation.objects.filter(programme=world.a).delete()
    with pytest.raises(BackupError, match="not empty"):
        restore(path)
    assert Person.objects.count() == 0
    assert restore(path, replace=True).records == count
    programme = Programme.objects.get(name="Alpha")
    assert export_programme(programme, contact=True) == before
    # saving the restored records does not give the programme a new data version
    assert version_of(programme.pk) == token
    assert world.client_for(world.director).get(f"/p/{programme.pk}/").status_code == 200


@pytest.mark.live
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_restore_onto_a_fresh_server_of_either_kind(
    world: World, tmp_path: Path, kind: str
) -> None:
    """After a loss: a new server, an empty database, the backup. Everything comes back, the
    director logs in, creates a programme (the sequences were reset) and reads the report."""
    world.director.password = make_password(PASSWORD, hasher=PBKDF2PasswordHasher())
    world.director.save()
    dataset = _with_dataset(world, tmp_path)
    first = tmp_path / "first.backup"
    backup(first, passphrase="correct horse battery staple")

    new_server = tmp_path / "new"
    with fresh_database(new_server, kind) as url:
        env = server_env(new_server, url, SAMENSPEL_BACKUP_PASSPHRASE="wrong passphrase")
        wrong = _cli(env, "restore", str(first))
        assert wrong.returncode == 2
        assert wrong.stderr.strip().count("\n") == 0, wrong.stderr
        assert "passphrase" in wrong.stderr

        env["SAMENSPEL_BACKUP_PASSPHRASE"] = "correct horse battery staple"
        done = _cli(env, "restore", str(first))
        assert done.returncode == 0, done.stderr
        second = new_server / "second.backup"
        assert _cli(env, "backup", str(second)).returncode == 0
        original = _records(first, "correct horse battery staple")
        restored = _records(second, "correct horse battery staple")  # the same setting encrypts
        # the run that was under way when the backup was made has no worker on the new server
        runs = [r for r in restored if r["model"] == "monitoring.regiobeeldrun"]
        assert [r["fields"]["status"] for r in runs] == ["failed"]
        for r in original:
            if r["model"] == "monitoring.regiobeeldrun":
                ended = ("status", "error", "finished_at")
                r["fields"].update({k: runs[0]["fields"][k] for k in ended})
        assert restored == original

        files = sorted((new_server / "var" / "datasets").rglob("*.csv"))
        assert [f.name for f in files] == ["care_events.csv", "conditions.csv", "persons.csv"]
        old_folder = Path(dataset.folder)
        for f in files:
            assert f.read_bytes() == (old_folder / f.name).read_bytes()

        with live_server(new_server, database_url=url) as server:
            _log_in_create_and_report(server.url)


def _log_in_create_and_report(url: str) -> None:
    session = requests.Session()
    page = session.get(f"{url}/accounts/login/", timeout=60)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert token
    login = session.post(
        f"{url}/accounts/login/",
        data={"csrfmiddlewaretoken": token.group(1), "username": "dir",
              "password": PASSWORD},
        headers={"Referer": f"{url}/accounts/login/"}, timeout=60,
    )  # fmt: skip
    assert "Alpha" in login.text
    form = session.get(f"{url}/p/new/", timeout=60)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
    assert token
    for n in range(3):  # each gets a new id, none collides with a restored one
        created = session.post(
            f"{url}/p/new/",
            data={"csrfmiddlewaretoken": token.group(1), "name": f"Na het herstel {n}",
                  "region_name": "Herstelregio"},
            headers={"Referer": f"{url}/p/new/"}, timeout=60,
        )  # fmt: skip
        assert created.status_code == 200, created.status_code
        match = re.search(r"/p/(\d+)/$", created.url)
        assert match, created.url
    report = session.get(f"{url}/p/{match.group(1)}/report.pdf", timeout=120)
    assert report.status_code == 200
    assert report.content.startswith(b"%PDF")


@pytest.mark.django_db(transaction=True)
def test_backup_without_datasets_lists_what_to_copy(world: World, tmp_path: Path) -> None:
    _with_dataset(world, tmp_path)
    path = tmp_path / "lean.backup"
    backup(path, datasets=False)
    with tarfile.open(path) as archive:
        names = archive.getnames()
        handle = archive.extractfile("manifest.json")
        assert handle is not None
        manifest = json.loads(handle.read())
    assert names == ["manifest.json", "records.json"]
    left = sorted(e["name"].rsplit("/", 1)[-1] for e in manifest["left_out"])
    assert left == ["care_events.csv", "conditions.csv", "persons.csv"]
    for entry in manifest["left_out"]:
        assert entry["copy_to"].startswith("$SAMENSPEL_DATA_DIR/datasets/")


def _bad_files(tmp_path: Path, good: Path) -> dict[str, Path]:
    data = good.read_bytes()
    files = {
        "{}": b"{}",
        "[]": b"[]",
        "empty": b"",
        "truncated": data[: len(data) // 2],
        "foreign": json.dumps([{"model": "shop.order", "pk": 1, "fields": {"total": 3}}]).encode(),
        "foreign gz": gzip.compress(b'{"name": "another app", "items": [1, 2]}'),
        "not json": b"hello, world\n",
    }
    with tarfile.open(good) as archive:
        handle = archive.extractfile("manifest.json")
        assert handle is not None
        manifest = json.loads(handle.read())
        members = {m.name: archive.extractfile(m) for m in archive.getmembers() if m.isfile()}
        contents = {n: h.read() for n, h in members.items() if h is not None}
    newer = tmp_path / "newer.backup"
    with tarfile.open(newer, "w:gz") as archive:
        for name, content in contents.items():
            if name == "manifest.json":
                content = json.dumps({**manifest, "version": 99}).encode()
            info = tarfile.TarInfo(name)
            info.size = len(content)
            archive.addfile(info, io.BytesIO(content))
    paths = {"newer version": newer}
    for name, content in files.items():
        path = tmp_path / f"bad-{len(paths)}.backup"
        path.write_bytes(content)
        paths[name] = path
    return paths


@pytest.mark.django_db(transaction=True)
def test_a_bad_file_is_refused_in_one_line_and_changes_nothing(
    world: World, tmp_path: Path
) -> None:
    good = tmp_path / "good.backup"
    backup(good)
    people = Person.objects.count()
    for name, path in _bad_files(tmp_path, good).items():
        with pytest.raises(BackupError) as refused:
            restore(path, replace=True)
        assert "\n" not in str(refused.value) and "nothing was changed" in str(refused.value), name
        assert Person.objects.count() == people, name


@pytest.mark.django_db(transaction=True)
def test_the_command_refuses_bad_files_with_exit_2(world: World, tmp_path: Path) -> None:
    good = tmp_path / "good.backup"
    backup(good)
    with fresh_database(tmp_path) as url:
        env = server_env(tmp_path, url)
        unready = _cli(env, "backup", str(tmp_path / "nothing.backup"))  # no tables yet
        assert unready.returncode == 2 and "samenspel migrate" in unready.stderr
        assert len(unready.stderr.strip().splitlines()) == 1
        assert not (tmp_path / "nothing.backup").exists()
        assert _cli(env, "restore", str(good)).returncode == 0
        before = _cli(env, "backup", str(tmp_path / "before.backup"))
        assert before.returncode == 0
        for name, path in _bad_files(tmp_path, good).items():
            done = _cli(env, "restore", str(path), "--yes")
            assert done.returncode == 2, (name, done.stderr)
            assert len(done.stderr.strip().splitlines()) == 1, (name, done.stderr)
            assert "Traceback" not in done.stderr and str(tmp_path) not in done.stderr
        # a database that is not empty is not replaced without --yes
        again = _cli(env, "restore", str(good))
        assert again.returncode == 2 and "--yes" in again.stderr
        nl = _cli({**env, "LC_ALL": "nl_NL.UTF-8"}, "restore", str(good))
        assert "niet leeg" in nl.stderr
        after = tmp_path / "after.backup"
        assert _cli(env, "backup", str(after)).returncode == 0
        assert _records(after) == _records(tmp_path / "before.backup")


@pytest.mark.django_db(transaction=True)
def test_a_crafted_archive_cannot_write_outside_the_datasets_folder(
    world: World, tmp_path: Path
) -> None:
    """A member named datasets/../…, listed in the manifest with its right checksum, is refused
    as damaged; nothing is written outside the datasets folder and the records stay."""
    _with_dataset(world, tmp_path)
    good = tmp_path / "good.backup"
    backup(good)
    with tarfile.open(good) as archive:
        contents = {}
        for member in archive.getmembers():
            handle = archive.extractfile(member)
            assert handle is not None
            contents[member.name] = handle.read()
    escape = b"written by an attacker"
    name = "datasets/../../escaped.txt"
    manifest = json.loads(contents["manifest.json"])
    manifest["files"].append({"name": name, "size": len(escape),
                              "sha256": hashlib.sha256(escape).hexdigest()})
    contents["manifest.json"] = json.dumps(manifest).encode()
    contents[name] = escape
    crafted = tmp_path / "crafted.backup"
    with tarfile.open(crafted, "w:gz") as archive:
        for member_name, content in contents.items():
            info = tarfile.TarInfo(member_name)
            info.size = len(content)
            archive.addfile(info, io.BytesIO(content))
    people = Person.objects.count()
    with pytest.raises(BackupError, match="damaged"):
        restore(crafted, replace=True)
    root = Path(settings.SAMENSPEL_DATASETS_DIR)
    assert not (root.parent / "escaped.txt").exists()
    assert not (root.parent.parent / "escaped.txt").exists()
    assert not list(root.glob(".restore-*"))
    assert Person.objects.count() == people
