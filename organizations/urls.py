from django.urls import path

from organizations import views

app_name = "organizations"

urlpatterns = [
    path("organizations/", views.organization_list, name="organization_list"),
    path("organizations/<slug:slug>/", views.organization_detail, name="organization_detail"),
    path("search/", views.search, name="search"),
    path("regions/", views.region_list, name="region_list"),
    path("regions/<slug:slug>/", views.region_detail, name="region_detail"),
    path("regions/<slug:slug>/<slug:other_slug>/", views.region_pair, name="region_pair"),
]
