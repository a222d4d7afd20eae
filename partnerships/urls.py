from django.urls import path

from partnerships import views

app_name = "partnerships"

urlpatterns = [
    path("agreements/", views.agreement_list, name="agreement_list"),
    path("agreements/<slug:slug>/", views.agreement_detail, name="agreement_detail"),
    path("events/", views.event_list, name="event_list"),
    path("events/<slug:slug>/", views.event_detail, name="event_detail"),
]
