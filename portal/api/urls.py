from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from portal.api import activities, views

app_name = "api"

# Names start with "api_" so that they do not clash with the pages' URL names, which the
# visibility and budget tests list by name.
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("docs/", views.Docs.as_view(), name="api_docs"),
    path("changes/", views.Changes.as_view(), name="api_changes"),
    path("regions/", views.RegionList.as_view(), name="api_regions"),
    path("regions/<int:pk>/", views.RegionDetail.as_view(), name="api_region"),
    path("organizations/", views.OrganizationList.as_view(), name="api_organizations"),
    path("organizations/<int:pk>/", views.OrganizationDetail.as_view(), name="api_organization"),
    path("people/", views.PersonList.as_view(), name="api_people"),
    path("people/<int:pk>/", views.PersonDetail.as_view(), name="api_person"),
    path("agreements/", views.AgreementList.as_view(), name="api_agreements"),
    path("agreements/<int:pk>/", views.AgreementDetail.as_view(), name="api_agreement"),
    path("events/", views.EventList.as_view(), name="api_events"),
    path("events/<int:pk>/", views.EventDetail.as_view(), name="api_event"),
    path("documents/", views.DocumentList.as_view(), name="api_documents"),
    path("documents/<int:pk>/", views.DocumentDetail.as_view(), name="api_document"),
    # Issue 21 (portal/api/activities.py).
    path("commitments/", activities.CommitmentList.as_view(), name="api_commitments"),
    path("commitments/<int:pk>/", activities.CommitmentDetail.as_view(), name="api_commitment"),
    path("activities/", activities.ActivityList.as_view(), name="api_activities"),
    path("activities/<int:pk>/", activities.ActivityDetail.as_view(), name="api_activity"),
]
