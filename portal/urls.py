from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from partnerships.deadlines_ics import deadlines_ics
from portal import views
from portal.accounts import StaffPasswordResetCompleteView, StaffPasswordResetForm
from portal.sitemaps import SITEMAPS, robots_txt
from portal.sitemaps import section as sitemap_section

# Staff password reset by e-mail, and the invited manager's first password
# (organizations/invitations.py): Django's own views and the admin's templates, under the admin.
STAFF_PASSWORD_URLS = [
    path(
        "password_reset/",
        auth_views.PasswordResetView.as_view(form_class=StaffPasswordResetForm),
        name="admin_password_reset",
    ),
    path(
        "password_reset/done/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "welcome/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            extra_context={"title": _("Choose your password")}
        ),
        name="admin_invitation_accept",
    ),
    path(
        "reset/done/",
        StaffPasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]

# "/" has no pattern of its own: LocaleMiddleware redirects it (and any other path without a
# language prefix) to the visitor's best language from Accept-Language, e.g. "/" → "/de/".
urlpatterns = [
    path(settings.ADMIN_URL, include(STAFF_PASSWORD_URLS)),
    # admin.site is portal.two_factor.TwoFactorAdminSite; its address is DJANGO_ADMIN_URL.
    path(settings.ADMIN_URL, admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    # An index of sections, each cut into pages of at most LOCS_PER_PAGE URLs (portal/sitemaps.py).
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap_section"},
        name="sitemap",
    ),
    path("sitemap-<section>.xml", sitemap_section, name="sitemap_section"),
    path("robots.txt", robots_txt, name="robots_txt"),
    # The read-only JSON API, outside the language prefixes: ?lang= chooses (portal/api).
    path("api/v1/", include("portal.api.urls")),
    # A manager's private deadlines calendar (partnerships/deadlines_ics.py): the token is the
    # credential, the language the manager's preference, so no language prefix.
    path("calendar/deadlines/<slug:token>.ics", deadlines_ics, name="deadlines_ics"),
    # The files of the newest open-data export (portal/open_data/), the same in every language.
    path("open-data/<str:name>", views.open_data_file, name="open_data_file"),
]

urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("privacy/", views.privacy, name="privacy"),
    path("open-data/", views.open_data_page, name="open_data"),
    # organizations first: its regions/suggest/ comes before partnerships' regions/<slug>/.
    path("", include("organizations.urls")),
    path("", include("partnerships.urls")),
    prefix_default_language=True,
)

handler403 = "portal.views.permission_denied"
handler404 = "portal.views.page_not_found"
handler500 = "portal.views.server_error"
# Nothing serves MEDIA_URL, not even with DEBUG: uploaded documents are sent only by
# partnerships.views.document_file (and the document admin), which check that they are public.
