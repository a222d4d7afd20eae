from django.urls import path

from organizations import views

app_name = "organizations"

urlpatterns = [
    path("search/", views.search, name="search"),
    path("organizations/", views.organization_list, name="organization_list"),
    path("organizations/<slug:slug>/", views.organization_detail, name="organization_detail"),
    path("regions/", views.region_list, name="region_list"),
    # Before regions/<slug>/, which would otherwise take "suggest" for a slug.
    path("regions/suggest/", views.region_suggest, name="region_suggest"),
    path("regions/<slug:slug>/", views.region_detail, name="region_detail"),
    path("regions/<slug:slug>/<slug:other_slug>/", views.region_pair, name="region_pair"),
]
