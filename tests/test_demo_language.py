"""The demo reads in the reader's language: its visions, objectives, care tasks, interventions
and agreements are Dutch in the Dutch interface and English in the English one, on screen and in
the PDF. Text that users write is never translated."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from pypdf import PdfReader

from samenspel.web.core.models import Programme
from samenspel.web.finance.models import Agreement
from samenspel.web.workspace import demo_texts
from samenspel.web.workspace.demo import load_demo

DEMO_DATA = Path(demo_texts.__file__).parent / "demo_data"


def test_every_demo_text_is_in_the_catalogue() -> None:
    missing = []
    for path in sorted(DEMO_DATA.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for kind, fields in demo_texts.TRANSLATED_FIELDS.items():
            items = [data[kind]] if kind == "programme" else data.get(kind, [])
            missing += [
                f"{path.name}: {kind}.{field}: {item[field]!r}"
                for item in items
                for field in fields
                if item.get(field) and item[field] not in demo_texts.DEMO_TEXTS
            ]
    assert not missing, "\n".join(missing)


def _client(language: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username="regisseur"))
    client.cookies["django_language"] = language
    return client


@pytest.mark.django_db
def test_the_demo_speaks_the_readers_language() -> None:
    load_demo(with_population=False)
    ruwaard = Programme.objects.get(name="Proeftuin Ruwaard")
    english_vision = "Change in the district, shaped together with professionals"
    dutch_vision = "Verandering in de wijk, samen vormgegeven met professionals"
    dutch = _client("nl").get(f"/p/{ruwaard.pk}/").content.decode()
    assert dutch_vision in dutch and english_vision not in dutch
    assert "Inwoners van Ruwaard voelen zich gezonder en zelfredzamer" in dutch
    english = _client("en").get(f"/p/{ruwaard.pk}/").content.decode()
    assert english_vision in english and dutch_vision not in english
    plan = Agreement.objects.get(programme=ruwaard)
    money = _client("nl").get(f"/p/{ruwaard.pk}/money/{plan.pk}/").content.decode()
    assert "Eén keukentafelgesprek per huishouden" in money
    assert "Eén wijkteam" in money and "One neighbourhood team" not in money
    # the recorded exception to the stream rules, and the plan of the whole partnership
    assert "De wijkverpleging wordt betaald uit een vast Zvw-budget" in money
    samendraads = Programme.objects.get(name="Samendraads")
    deal = Agreement.objects.get(programme=samendraads)
    money = _client("nl").get(f"/p/{samendraads.pk}/money/{deal.pk}/").content.decode()
    assert "Anticoagulation care" not in money
    pdf = _client("nl").get(f"/p/{ruwaard.pk}/money/{plan.pk}/agreement.pdf").content
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Illustratieve bedragen" in text and "Illustrative" not in text
    report = _client("nl").get(f"/p/{ruwaard.pk}/report.pdf").content
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(report)).pages)
    assert "Verandering in de wijk" in text


@pytest.mark.django_db
def test_users_text_is_never_translated() -> None:
    load_demo(with_population=False)
    ruwaard = Programme.objects.get(name="Proeftuin Ruwaard")
    ruwaard.is_demo = False  # as if a region wrote the same English sentence itself
    ruwaard.save()
    dutch = _client("nl").get(f"/p/{ruwaard.pk}/").content.decode()
    assert "Change in the district, shaped together with professionals" in dutch
