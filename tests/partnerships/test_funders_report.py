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
        ("Agreements in force", 4),  # the first one until its renewal in November
        ("New agreements", 0),
        ("Renewed agreements", 1),
        ("Agreements ended", 1),
        ("Dormant agreements", 1),  # the quiet one (the first is superseded, not dormant)
    ]
    assert report.partner_regions == [("Synthkansai", 4)]
    assert report.activities_by_kind == [("Delegation visit", 1), ("Webinar or seminar", 1)]
    assert dict(report.results)["companies taking part"] == 12  # not the partners-only 999


def test_a_region_includes_its_sub_regions_and_a_pair_needs_both(world):
    period = funders.Period.parse("2025")
    region = funders.build(funders.Scope.of_region(world["bavaria"]), period)
    pair = funders.build(funders.Scope.of_region(world["bavaria"], world["kansai"]), period)

    assert region.in_force.count == pair.in_force.count == 4


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
    assert summary[3] == ["Agreements in force", 4]
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
