"""Reports on the life of agreements (issue 21): "Dormant and at-risk partnerships" for the
managers, and the funders' report (``partnerships/funders.py``) — the rows, the filters, and their
downloads as CSV and XLSX (real dates and numbers, one sheet per table).

**Dormant**: the rule of ``partnerships/health.py`` (running, nothing recorded for
``PORTAL_DORMANT_MONTHS`` months). **At risk**: running, not dormant, but with commitments that saw
no activity in those months. Both are read in one query (the health as subqueries) plus one for
the parties, whatever the number of agreements; the page shows the first :data:`PAGE_ROWS`, the
downloads every row.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Exists, F, OuterRef, Q
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from core import access
from organizations.models import Region
from partnerships import health
from partnerships.models import Activity, Agreement, AgreementParty, Commitment

PAGE_ROWS = 100
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class DormantFilters:
    mine: bool = False
    region: Region | None = None
    ending_within: int | None = None  # months


@dataclass
class RiskRow:
    agreement: Agreement
    parties: str
    status: str
    ends_on: datetime.date | None
    health: health.Health
    dormant: bool

    @property
    def risk_label(self) -> str:
        return str(_("Dormant") if self.dormant else _("At risk"))


def dormant_and_at_risk(
    user: Any, filters: DormantFilters, today: datetime.date | None = None
) -> Any:
    """The agreements ``user`` may see that are dormant or at risk, with their health, the
    dormant first, then by the date of their last activity (none first)."""
    today = today or timezone.localdate()
    since = health.window_start(today)
    qs: Any = access.visible(user, Agreement.objects.all())
    if filters.mine:
        managed = access.managed_organization_ids(user)
        qs = qs.filter(
            pk__in=AgreementParty.objects.filter(organization__in=managed).values("agreement")
        )
    if filters.region is not None:
        qs = qs.involving_regions(Region.objects.subtree_id_list(filters.region))
    if filters.ending_within is not None:
        qs = qs.expiring_within(filters.ending_within, today)
    # Tested per agreement by index probes (is there an activity in the window; a commitment
    # without one), not with the health's counts: those are read for the rows shown only. The
    # same rule as health.Health.dormant and "commitments active < commitments".
    window = Q(starts_on__gte=since, starts_on__lte=today)
    recent = Activity.objects.filter(window, agreement=OuterRef("pk"))
    idle_commitment = Commitment.objects.filter(agreement=OuterRef("pk")).filter(
        ~Exists(Activity.objects.filter(window, commitments=OuterRef("pk")))
    )
    dormant = ~Exists(recent) & Q(health_start__lt=since)
    rows: Any = health.with_health(qs.with_end_date(), today)
    return (
        rows.filter(current_status__in=health.RUNNING_STATUSES, health_start__lte=today)
        .filter(dormant | Exists(idle_commitment))
        .with_parties()
        .order_by(F("last_activity").asc(nulls_first=True), "title", "pk")
    )


def risk_rows(agreements: Iterable[Any], today: datetime.date | None = None) -> list[RiskRow]:
    rows = []
    for agreement in agreements:
        state = health.health_of(agreement, today)
        rows.append(
            RiskRow(
                agreement=agreement,
                parties=", ".join(str(party.organization) for party in agreement.parties.all()),
                status=agreement.get_status_display(),
                ends_on=agreement.end_date,
                health=state,
                dormant=state.dormant,
            )
        )
    return rows


def risk_table(rows: Sequence[RiskRow]) -> tuple[list[str], list[list[Any]]]:
    """The header and the cells of the report's one table (the page, CSV and XLSX)."""
    header = [
        str(_("agreement")),
        str(_("parties")),
        str(_("status")),
        str(_("ends on")),
        str(_("last activity")),
        str(_("activities in the last %(months)s months") % {"months": health.dormant_months()}),
        str(_("commitments")),
        str(_("commitments active")),
        str(_("assessment")),
    ]
    cells = [
        [
            row.agreement.title,
            row.parties,
            row.status,
            row.ends_on,
            row.health.last_activity,
            row.health.recent_activities,
            row.health.commitments,
            row.health.active_commitments,
            row.risk_label,
        ]
        for row in rows
    ]
    return header, cells


# --- Downloads -----------------------------------------------------------------------------------


def csv_response(header: list[str], cells: Iterable[list[Any]], filename: str) -> HttpResponse:
    buffer = io.StringIO()
    buffer.write("\ufeff")  # Excel reads UTF-8 with a byte order mark (core/downloads.py)
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in cells:
        writer.writerow(["" if value is None else _csv(value) for value in row])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def _csv(value: Any) -> str:
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def xlsx_bytes(sheets: Sequence[tuple[str, list[str], list[list[Any]]]]) -> bytes:
    """A workbook with one sheet per (title, header, rows): dates as dates, numbers as
    numbers (openpyxl, write-only: constant memory per row)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(title=_sheet_title(title))
        sheet.append(header)
        for row in rows:
            sheet.append([_xlsx(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet_title(title: str) -> str:
    for character in "[]:*?/\\":
        title = title.replace(character, " ")
    return title[:31]


def _xlsx(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    return value


def xlsx_response(sheets: Sequence[tuple[str, list[str], list[list[Any]]]], filename: str):
    response = HttpResponse(xlsx_bytes(sheets), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def download_name(stem: str, today: datetime.date | None = None) -> str:
    language = (translation.get_language() or "en")[:2]
    return f"{stem}-{language}-{(today or timezone.localdate()).isoformat()}"
