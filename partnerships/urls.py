from django.urls import path

from partnerships import calendar, views
from partnerships.feeds import AgreementFeed

app_name = "partnerships"

urlpatterns = [
    path("agreements/", views.agreement_list, name="agreement_list"),
    path("map/", views.agreement_map_page, name="agreement_map"),
    path("agreements/feed.atom", AgreementFeed(), name="agreement_feed"),
    # The list as CSV or JSON, with the same filters (core/downloads.py).
    path("agreements.csv", views.agreement_download, {"fmt": "csv"}, name="agreement_download_csv"),
    path(
        "agreements.json",
        views.agreement_download,
        {"fmt": "json"},
        name="agreement_download_json",
    ),
    path("agreements/<slug:slug>/", views.agreement_detail, name="agreement_detail"),
    path("documents/<int:pk>/", views.document_file, name="document_file"),
    path("activities/<int:pk>/evidence/", views.activity_evidence, name="activity_evidence"),
    path("events/", views.event_list, name="event_list"),
    path("events/<slug:slug>/", views.event_detail, name="event_detail"),
    path("signing-events.ics", calendar.signing_events_ics, name="signing_events_ics"),
    path("signing-events/<int:pk>.ics", calendar.signing_event_ics, name="signing_event_ics"),
    # The organisation and region pages of the lower app, with their agreements.
    path("organizations/<slug:slug>/", views.organization_detail, name="organization_detail"),
    path("regions/<slug:slug>/", views.region_detail, name="region_detail"),
    path("regions/<slug:slug>/<slug:other_slug>/", views.region_pair, name="region_pair"),
    # Reports for funders and boards (issue 21): stable public URLs, ?format=xlsx|pdf.
    path(
        "reports/organizations/<slug:slug>/<str:period>/",
        views.organization_report,
        name="organization_report",
    ),
    path("reports/regions/<slug:slug>/<str:period>/", views.region_report, name="region_report"),
    path(
        "reports/regions/<slug:slug>/<slug:other_slug>/<str:period>/",
        views.region_pair_report,
        name="region_pair_report",
    ),
]
