"""The report for funders and boards (partnerships/funders.py): its figures, its public page, and
its downloads read back — the XLSX cell by cell with openpyxl, the PDF's text with pypdf, in
English and in Japanese."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import openpyxl
import pypdf
import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from partnerships import funders
from partnerships.models import Agreement
from tests import factories

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(datetime.datetime(2026, 3, 14, 9, 0), tick=False):
        yield


@pytest.fixture
def world():
    bavaria = factories.SubdivisionFactory(name="Synthbavaria", slug="synthbavaria")
    munich = factories.RegionFactory(
        name="Synthmunich", slug="synthmunich", kind="city", parent=bavaria
    )
    kansai = factories.RegionFactory(name="Synthkansai", slug="synthkansai")
    biom = factories.OrganizationFactory(name="Synth BioM", slug="synth-biom", region=munich)
    osaka = factories.OrganizationFactory(name="Synth Osaka", slug="synth-osaka", region=kansai)

    def agreement(title, **fields):
        made = factories.AgreementFactory(title=title, **fields)
        factories.AgreementPartyFactory(agreement=made, organization=biom)
        factories.AgreementPartyFactory(agreement=made, organization=osaka)
        return made

    first = agreement("Synth first agreement", signed_on=D(2010, 5, 1))
    renewal = agreement("Synth renewal", signed_on=D(2025, 11, 2), previous=first, lineage="renews")
    agreement("Synth ended", signed_on=D(2020, 1, 1), term="fixed", valid_until=D(2025, 6, 30))
    agreement("Synth quiet", signed_on=D(2018, 4, 1))  # open-ended, nothing recorded
    factories.ActivityFactory(
        agreement=renewal,
        kind="delegation_visit",
        starts_on=D(2025, 11, 3),
        companies=12,
        funding=Decimal("50000"),
    )
    factories.ActivityFactory(agreement=renewal, kind="webinar", starts_on=D(2025, 12, 1))
    factories.ActivityFactory(
        agreement=renewal,
        kind="webinar",
        starts_on=D(2025, 12, 2),
        visibility="partners",
        companies=999,
    )
    return {"biom": biom, "bavaria": bavaria, "kansai": kansai}


def test_the_figures_of_an_organisation_for_a_year(world):
    report = funders.build(
        funders.Scope.of_organization(world["biom"]), funders.Period.parse("2025")
    )

    assert [(item.title, item.count) for item in report.lists] == [
        # The first one and its renewal in November: one partnership in force that year.
        ("Agreements in force", 3),
        ("New agreements", 0),
        ("Renewed agreements", 1),
        ("Agreements ended", 1),
        ("Dormant agreements", 1),  # the quiet one (the first is superseded, not dormant)
    ]
    assert report.partner_regions == [("Synthkansai", 3)]
    assert report.activities_by_kind == [("Delegation visit", 1), ("Webinar or seminar", 1)]
    assert dict(report.results)["companies taking part"] == 12  # not the partners-only 999


def in_force_per_year(report) -> dict[str, int]:
    return {column.label: column.total for column in report.in_force_chart.columns}


def test_an_agreement_renewed_mid_year_is_in_force_once_that_year(world):
    report = funders.build(
        funders.Scope.of_organization(world["biom"]), funders.Period.parse("2024-2026")
    )

    # 2024: the first, the ended, the quiet; 2025: the renewal (not the first as well), the
    # ended, the quiet; 2026: the renewal and the quiet.
    assert in_force_per_year(report) == {"2024": 3, "2025": 3, "2026": 2}
    assert "Synth first agreement" not in [row.title for row in report.in_force.rows]


def test_an_unpublished_renewal_leaves_the_first_agreement_in_force(world):
    Agreement.objects.filter(title="Synth renewal").update(publication="draft")

    report = funders.build(
        funders.Scope.of_organization(world["biom"]), funders.Period.parse("2025-2026")
    )

    assert in_force_per_year(report) == {"2025": 3, "2026": 2}  # not zero for the partnership
    assert "Synth first agreement" in [row.title for row in report.in_force.rows]


def test_a_renewal_without_the_organisation_ends_its_agreement_after_that_year(world):
    renewal = Agreement.objects.get(title="Synth renewal")
    renewal.parties.filter(organization=world["biom"]).delete()

    report = funders.build(
        funders.Scope.of_organization(world["biom"]), funders.Period.parse("2025-2026")
    )

    # 2025: the first (until November), the ended, the quiet; 2026: the quiet alone.
    assert in_force_per_year(report) == {"2025": 3, "2026": 1}


def test_an_agreement_renewing_automatically_stays_in_force_and_has_not_ended(world):
    factories.AgreementPartyFactory(
        agreement=factories.AgreementFactory(
            title="Synth automatic",
            signed_on=D(2020, 1, 1),
            term="fixed",
            valid_until=D(2024, 12, 31),
            auto_renewal=True,
        ),
        organization=world["biom"],
    )

    report = funders.build(
        funders.Scope.of_organization(world["biom"]), funders.Period.parse("2025")
    )

    assert "Synth automatic" in [row.title for row in report.in_force.rows]
    assert "Synth automatic" not in [row.title for row in report.ended.rows]


def test_a_region_includes_its_sub_regions_and_a_pair_needs_both(world):
    period = funders.Period.parse("2025")
    region = funders.build(funders.Scope.of_region(world["bavaria"]), period)
    pair = funders.build(funders.Scope.of_region(world["bavaria"], world["kansai"]), period)

    assert region.in_force.count == pair.in_force.count == 3


def test_the_public_page_has_a_stable_url(client, world):
    url = reverse(
        "partnerships:region_pair_report",
        kwargs={"slug": "synthbavaria", "other_slug": "synthkansai", "period": "2021-2025"},
    )

    response = client.get(url)

    assert response.status_code == 200
    content = response.content.decode()
    assert "Synth renewal" in content
    assert 'id="activities-chart-caption"' in content
    assert client.get(url.replace("2021-2025", "1990-2025")).status_code == 404


def test_an_empty_list_has_no_section_on_the_page_its_zero_is_in_the_summary(client, world):
    url = reverse(
        "partnerships:organization_report", kwargs={"slug": "synth-biom", "period": "2025"}
    )

    content = client.get(url).content.decode()

    assert "New agreements</dt><dd>0</dd>" in content
    assert "New agreements (" not in content  # no heading of an empty list
    assert "Renewed agreements (1)" in content


def test_the_xlsx_has_one_sheet_per_table_with_real_dates_and_numbers(client, world):
    url = reverse(
        "partnerships:organization_report", kwargs={"slug": "synth-biom", "period": "2025"}
    )

    response = client.get(url, {"format": "xlsx"})

    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [
        "Summary",
        "Agreements in force",
        "New agreements",
        "Renewed agreements",
        "Agreements ended",
        "Dormant agreements",
        "Partner regions",
        "Activities by kind",
        "Results",
    ]
    summary = [[cell.value for cell in row] for row in workbook["Summary"].iter_rows()]
    assert summary[3] == ["Agreements in force", 3]
    renewed = [[cell.value for cell in row] for row in workbook["Renewed agreements"].iter_rows()]
    assert renewed[1] == [
        "Synth renewal",
        "Synth BioM, Synth Osaka",
        datetime.datetime(2025, 11, 2),
        None,
    ]
    results = {row[0].value: row[1].value for row in workbook["Results"].iter_rows(min_row=2)}
    assert results["funding obtained (EUR)"] == 50000
    assert results["companies taking part"] == 12


def test_the_pdf_text_holds_the_figures(client, world):
    url = reverse(
        "partnerships:organization_report", kwargs={"slug": "synth-biom", "period": "2025"}
    )

    response = client.get(url, {"format": "pdf"})

    assert response["Content-Type"] == "application/pdf"
    text = "".join(
        page.extract_text() for page in pypdf.PdfReader(io.BytesIO(response.content)).pages
    )
    assert "Synth BioM — 2025" in text
    assert "Renewed agreements" in text
    assert "Synth renewal" in text
    assert "50,000" in text


def test_the_pdf_in_japanese_uses_the_built_in_cid_font(client, world):
    with translation.override("ja"):
        url = reverse(
            "partnerships:organization_report", kwargs={"slug": "synth-biom", "period": "2025"}
        )
        expected = str(translation.gettext("Renewed agreements"))

    response = client.get(url, {"format": "pdf"})

    reader = pypdf.PdfReader(io.BytesIO(response.content))
    fonts = {
        str(font["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert any("HeiseiKakuGo-W5" in name for name in fonts)
    text = "".join(page.extract_text() for page in reader.pages)
    assert expected != "Renewed agreements"
    assert expected in text
