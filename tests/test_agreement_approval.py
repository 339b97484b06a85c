"""Sign-off in the app: the director freezes a version, each party's authorised representative
approves or rejects it, any change opens a new version and resets the approvals, every step is
audit-logged, and the approved PDF says who approved and when. Every role is tried."""

from __future__ import annotations

import io
import json
import re
from decimal import Decimal
from email import message_from_bytes
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from pypdf import PdfReader

from samenspel.web.core.accounts.models import AuditEvent, ProgrammeRole, Role
from samenspel.web.finance.models import Agreement, Approval, ApprovalRound, Intervention, MoneyLine

from .conftest import Inbox, World


@pytest.fixture
def deal(world: World) -> Agreement:
    agreement = Agreement.objects.create(
        programme=world.a, name="Deal", start_year=2026, horizon=2, discount_rate=Decimal("0")
    )
    care = Intervention.objects.create(programme=world.a, agreement=agreement, name="Care")
    care.partners.set([world.hospital, world.municipality])
    for kind, party, stream, amount in (
        ("cost", world.hospital, "other", 50),
        ("saving", world.municipality, "Wmo", 90),
    ):
        MoneyLine.objects.create(
            programme=world.a, intervention=care, kind=kind, party=party, stream=stream,
            low=amount, likely=amount, high=amount,
        )  # fmt: skip
    return agreement


@pytest.fixture
def signatories(world: World) -> dict[str, object]:
    """The partner signs for the hospital; a new user signs for the town."""
    ProgrammeRole.objects.filter(user=world.partner).update(signs_agreements=True)
    town = get_user_model().objects.create_user("town", password="x-very-secret-9")
    ProgrammeRole.objects.create(
        user=town, programme=world.a, role=Role.PARTNER, organisation=world.municipality,
        signs_agreements=True,
    )  # fmt: skip
    unsigned = get_user_model().objects.create_user("staff", password="x-very-secret-9")
    ProgrammeRole.objects.create(
        user=unsigned, programme=world.a, role=Role.PARTNER, organisation=world.municipality
    )
    return {"hospital": world.partner, "town": town, "unsigned": unsigned}


def _urls(world: World, deal: Agreement) -> tuple[str, str, str]:
    base = f"/p/{world.a.pk}/money/{deal.pk}/"
    return base, base + "freeze/", base + "decide/"


def _status(world: World, deal: Agreement, user: object) -> dict[str, object]:
    url = f"/api/v1/programmes/{world.a.pk}/agreements/{deal.pk}/approval"
    return world.client_for(user).get(url).json()  # type: ignore[arg-type,no-any-return]


def test_only_the_director_freezes(world: World, deal: Agreement, signatories: dict) -> None:
    _page, freeze, _decide = _urls(world, deal)
    for user in (world.viewer, signatories["hospital"], signatories["unsigned"]):
        assert world.client_for(user).post(freeze).status_code == 403
    assert world.client_for(world.outsider).post(freeze).status_code == 404
    assert not ApprovalRound.objects.exists()
    response = world.client_for(world.director).post(freeze)
    assert response.status_code == 302 and response["Location"].endswith("#approval")
    [round_] = ApprovalRound.objects.all()
    assert round_.number == 1 and set(round_.parties.all()) == {world.hospital, world.municipality}
    assert AuditEvent.objects.filter(action="agreement frozen", target="Deal v1").exists()
    status = _status(world, deal, world.viewer)
    assert status["status"] == "awaiting" and status["version"] == 1
    assert [p["decision"] for p in status["parties"]] == [None, None]  # type: ignore[union-attr]
    # freezing the same version twice is refused with a message, not a second round
    again = world.client_for(world.director).post(freeze, follow=True)
    assert "Deze versie ligt al bij de partijen." in again.content.decode()
    assert ApprovalRound.objects.count() == 1


def test_each_representative_decides_for_their_own_organisation(
    world: World, deal: Agreement, signatories: dict
) -> None:
    _page, freeze, decide = _urls(world, deal)
    world.client_for(world.director).post(freeze)
    approve = {"version": 1, "decision": "approved", "comment": "Akkoord"}
    # neither the director, a viewer, a partner without the right to sign, nor an outsider
    for user in (world.director, world.viewer, signatories["unsigned"]):
        assert world.client_for(user).post(decide, approve).status_code == 403
    assert world.client_for(world.outsider).post(decide, approve).status_code == 404
    assert not Approval.objects.exists()
    world.client_for(signatories["hospital"]).post(decide, approve)
    world.client_for(signatories["town"]).post(
        decide, {"version": 1, "decision": "rejected", "comment": "Te weinig Wmo-besparing"}
    )
    status = _status(world, deal, world.viewer)
    assert status["status"] == "rejected"
    assert [(p["organisation"], p["decision"], p["by"], p["comment"])
            for p in status["parties"]] == [  # type: ignore[union-attr]
        ("Hospital A", "approved", "par", "Akkoord"),
        ("Town A", "rejected", "town", "Te weinig Wmo-besparing"),
    ]  # fmt: skip
    # the town changes its mind; one decision per party remains
    world.client_for(signatories["town"]).post(decide, {**approve, "comment": ""})
    assert _status(world, deal, world.viewer)["status"] == "approved"
    assert Approval.objects.count() == 2
    actions = list(AuditEvent.objects.filter(programme=world.a).values_list("action", flat=True))
    assert actions.count("agreement approved") == 2 and actions.count("agreement rejected") == 1
    # a decision that is neither, or for a version that does not exist
    bad = world.client_for(signatories["town"]).post(decide, {**approve, "decision": "maybe"},
                                                      follow=True)  # fmt: skip
    assert "Kies goedkeuren of afwijzen." in bad.content.decode()
    assert world.client_for(signatories["town"]).post(decide, {**approve, "version": 7}
                                                      ).status_code == 404  # fmt: skip


def test_a_change_opens_a_new_version_and_a_stale_approval_is_refused(
    world: World, deal: Agreement, signatories: dict
) -> None:
    page, freeze, decide = _urls(world, deal)
    world.client_for(world.director).post(freeze)
    world.client_for(signatories["hospital"]).post(decide, {"version": 1, "decision": "approved"})
    # the director raises the hospital's cost through the generic record form
    line = MoneyLine.objects.get(party=world.hospital)
    edit = f"/p/{world.a.pk}/money-lines/{line.pk}/edit/"
    form = world.client_for(world.director).get(edit).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data.update(likely="60", high="60")
    assert world.client_for(world.director).post(edit, data).status_code == 302
    rounds = list(ApprovalRound.objects.order_by("number"))
    assert [(r.number, r.superseded_at is not None) for r in rounds] == [(1, True), (2, False)]
    assert not rounds[1].approvals.exists()  # approvals reset
    assert rounds[0].approvals.count() == 1  # the old one is kept as history
    assert AuditEvent.objects.filter(
        action="agreement changed after freezing", target="Deal v1 → v2", user=world.director
    ).exists()  # the director made the change, through the record form
    status = _status(world, deal, world.viewer)
    assert (status["version"], status["status"], status["earlier_versions"]) == (2, "awaiting", 1)
    # the town still has version 1 open in its browser: its approval is refused
    stale = world.client_for(signatories["town"]).post(
        decide, {"version": 1, "decision": "approved"}, follow=True
    )
    assert "De afspraak is gewijzigd nadat deze versie werd vastgelegd" in stale.content.decode()
    assert not Approval.objects.filter(organisation=world.municipality).exists()
    # a change that bypasses the record services is caught at decision time too
    MoneyLine.objects.filter(pk=line.pk).update(likely=Decimal("70"), high=Decimal("70"))
    late = world.client_for(signatories["town"]).post(
        decide, {"version": 2, "decision": "approved"}, follow=True
    )
    assert "De afspraak is gewijzigd" in late.content.decode()
    assert _status(world, deal, world.viewer)["status"] == "stale"
    shown = world.client_for(world.director).get(page).content.decode()
    assert "Versie 2" in shown and "leg haar opnieuw vast" in shown


def test_the_approved_pdf_says_who_approved_and_when(
    world: World, deal: Agreement, signatories: dict
) -> None:
    page, freeze, decide = _urls(world, deal)
    world.client_for(world.director).post(freeze)
    for who in ("hospital", "town"):
        world.client_for(signatories[who]).post(decide, {"version": 1, "decision": "approved"})
    pdf = world.client_for(world.viewer).get(page + "agreement.pdf").content
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    assert "Akkoord van de partijen" in text and "Goedgekeurd door elke partij." in text
    assert "Hospital A ✔ Goedgekeurd par" in text and "Town A ✔ Goedgekeurd town" in text
    approval = Approval.objects.get(organisation=world.hospital)
    assert approval.decided_at.strftime("%Y") in text
    assert "Handtekening" not in text  # no paper signatures once approved in the app


def test_only_a_partner_member_can_sign_and_the_director_grants_it(world: World) -> None:
    response = world.client_for(world.director).post(
        f"/p/{world.a.pk}/roles/",
        {"username": "vie", "role": "viewer", "signs_agreements": "on"},
    )
    assert response.status_code == 200
    assert "Alleen een partnerlid tekent, voor de eigen organisatie." in response.content.decode()
    world.client_for(world.director).post(
        f"/p/{world.a.pk}/roles/",
        {"username": "par", "role": "partner", "organisation": world.hospital.pk,
         "signs_agreements": "on"},
    )  # fmt: skip
    assert ProgrammeRole.objects.get(user=world.partner).signs_agreements
    # the grant is on record: who gave which rights to whom, and when
    grant = AuditEvent.objects.get(action="role changed", user=world.director)
    assert grant.target == "par: partner (Hospital A) → partner (Hospital A), signs agreements"
    grant_id = ProgrammeRole.objects.get(user=world.partner).pk
    world.client_for(world.director).post(f"/p/{world.a.pk}/roles/{grant_id}/remove/")
    removed = AuditEvent.objects.get(action="role removed", user=world.director)
    assert removed.target == "par: partner (Hospital A), signs agreements"
    world.client_for(world.director).post(
        f"/p/{world.a.pk}/roles/", {"username": "out", "role": "viewer"}
    )
    assert AuditEvent.objects.filter(action="role granted", target="out: viewer").exists()


def test_deleting_an_agreement_or_programme_under_approval_opens_no_version(
    world: World, deal: Agreement
) -> None:
    from samenspel.web.core.models import Programme
    from samenspel.web.core.services import delete_programmes

    world.client_for(world.director).post(_urls(world, deal)[1])
    # a deleted line is a change: a new version opens
    MoneyLine.objects.filter(party=world.hospital).delete()
    assert list(ApprovalRound.objects.values_list("number", flat=True)) == [2, 1]
    # deleting the whole agreement takes its lines with it, and opens nothing
    world.client_for(world.director).post(f"/p/{world.a.pk}/agreements/{deal.pk}/delete/")
    assert not Agreement.objects.filter(pk=deal.pk).exists()
    assert not ApprovalRound.objects.exists()
    second = Agreement.objects.create(programme=world.a, name="Second")
    care = Intervention.objects.create(programme=world.a, agreement=second, name="Care")
    care.partners.set([world.hospital])
    ApprovalRound.objects.create(programme=world.a, agreement=second, number=1,
                                 fingerprint="x", snapshot={})  # fmt: skip
    before = AuditEvent.objects.count()
    assert delete_programmes(Programme.objects.filter(pk=world.a.pk)) == 1
    assert not ApprovalRound.objects.exists()
    assert not AuditEvent.objects.filter(action="agreement changed after freezing").exists()
    assert AuditEvent.objects.count() <= before


def test_a_new_signatory_is_told_to_the_others_and_shown_with_the_approval(
    world: World,
    deal: Agreement,
    signatories: dict[str, object],
    smtp: Inbox,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """The attack that went unseen: the director makes a member signatory for the town, who
    could then overrule the town's decision. The town's current signatory gets a mail, and
    the approval lists everyone who may sign for each party, since when."""
    town = signatories["town"]
    town.email = "wethouder@town.example"  # type: ignore[attr-defined]
    town.first_name, town.last_name = "Tineke", "Town"  # type: ignore[attr-defined]
    town.save()  # type: ignore[attr-defined]
    director = world.client_for(world.director)

    def grant_staff_signing_for_the_town() -> None:
        with django_capture_on_commit_callbacks(execute=True):
            director.post(
                f"/p/{world.a.pk}/roles/",
                {"username": "staff", "role": "partner", "organisation": world.municipality.pk,
                 "signs_agreements": "on"},
            )  # fmt: skip

    grant_staff_signing_for_the_town()
    (raw,) = smtp.messages
    mail = message_from_bytes(raw)
    body = mail.get_payload(decode=True).decode()  # type: ignore[union-attr]
    assert mail["To"] == "wethouder@town.example"
    assert mail["Subject"] == "Nieuwe tekenbevoegde voor Town A in Alpha"
    assert "heeft staff het recht gegeven" in body and "https://samenspel.example/p/" in body
    # saving the same grant again tells nobody again
    grant_staff_signing_for_the_town()
    assert len(smtp.messages) == 1
    director.post(f"/p/{world.a.pk}/money/{deal.pk}/freeze/")
    approval = _status(world, deal, world.viewer)
    town_row = next(p for p in approval["parties"] if p["organisation"] == "Town A")  # type: ignore[union-attr, index]
    assert [s["name"] for s in town_row["signatories"]] == ["Tineke Town", "staff"]
    page = world.client_for(world.viewer).get(f"/p/{world.a.pk}/money/{deal.pk}/")
    section = page.content.decode().split('id="approval"')[1]
    row = re.search(r"<th scope=\"row\">Town A</th>(.*?)</tr>", section, re.S)
    assert row is not None and "staff" in row.group(1) and "sinds" in row.group(1)


def _verify(tmp_path: Any, name: str, content: bytes) -> Any:
    from typer.testing import CliRunner

    from samenspel.cli.main import app

    path = tmp_path / name
    path.write_bytes(content)
    result = CliRunner().invoke(app, ["verify", str(path)])
    return result.exit_code, " ".join(result.output.split())


def test_a_pdf_or_json_export_is_verified_against_the_approved_version(
    world: World, deal: Agreement, signatories: dict, tmp_path: Any
) -> None:
    """The PDF names the fingerprint of what it shows, in its metadata and as text; the JSON
    export names it too and carries the figures. `samenspel verify` says which version a file
    shows and who decided on it; it exits 0 only for a version every party approved, and a
    JSON export whose figures were edited, or a PDF of a changed draft, fails."""
    from samenspel.web.core.approvals import fingerprint, grouped
    from samenspel.web.finance.selectors import snapshot

    page, freeze, decide = _urls(world, deal)
    world.client_for(world.director).post(freeze)
    version = ApprovalRound.objects.get(agreement=deal)
    deal.refresh_from_db()
    assert version.fingerprint == fingerprint(snapshot(deal))
    viewer = world.client_for(world.viewer)
    awaiting = _verify(tmp_path, "v1.pdf", viewer.get(page + "agreement.pdf").content)
    assert awaiting[0] == 1 and "Version 1 of the agreement 'Deal' (Alpha)" in awaiting[1]
    assert "awaiting" in awaiting[1]
    for who in ("hospital", "town"):
        world.client_for(signatories[who]).post(decide, {"version": 1, "decision": "approved"})
    pdf = viewer.get(page + "agreement.pdf").content
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    assert grouped(version.fingerprint) in text and "gelijk aan versie 1" in text
    assert PdfReader(io.BytesIO(pdf)).metadata["/Keywords"] == (
        f"samenspel-fingerprint:{version.fingerprint}"
    )
    code, out = _verify(tmp_path, "v1.pdf", pdf)
    assert code == 0, out
    assert f"Fingerprint: {grouped(version.fingerprint)}" in out
    assert "approved" in out and "Hospital A: approved by par" in out
    export = viewer.get(page + "agreement.json").content
    assert _verify(tmp_path, "v1.json", export)[0] == 0
    data = json.loads(export)
    data["interventions"][0]["savings"][0]["likely"] = 900  # an edited copy
    code, out = _verify(tmp_path, "edited.json", json.dumps(data).encode())
    assert code == 1 and "differ from this version" in out
    del data["fingerprint"]  # without its name, an edited copy matches no version at all
    assert _verify(tmp_path, "bare.json", json.dumps(data).encode())[0] == 1
    data["interventions"][0]["savings"][0]["likely"] = 90  # the approved figures, unnamed
    code, out = _verify(tmp_path, "bare.json", json.dumps(data).encode())
    assert code == 0 and "Version 1" in out
    # a change opens version 2; the PDF of the changed draft names no frozen version
    MoneyLine.objects.filter(kind="cost").update(likely=60, high=60)
    draft = viewer.get(page + "agreement.pdf").content
    code, out = _verify(tmp_path, "draft.pdf", draft)
    assert code == 1 and "no frozen version has this fingerprint" in out
    # the old approved PDF still verifies, and says a later version may exist
    world.client_for(world.director).post(freeze)
    code, out = _verify(tmp_path, "v1.pdf", pdf)
    assert code == 0 and "1 later version(s)" in out
    # anything else is refused by name, without a traceback
    for name, junk in (("x.pdf", b"%PDF-1.7 nothing"), ("x.txt", b"\xff\xfe"), ("y.json", b"[")):
        code, out = _verify(tmp_path, name, junk)
        assert code == 2 and name in out and "Traceback" not in out
