from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

import organizations.urls
import partnerships.urls
from portal import machine_urls, views

admin.site.site_header = _("Cluster Partnership Portal")
admin.site.site_title = _("Cluster Partnership Portal")
admin.site.index_title = _("Records")

# "/" has no pattern of its own: LocaleMiddleware redirects it (and any other path without a
# language prefix) to the visitor's best language from Accept-Language, e.g. "/" → "/de/".
urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    *machine_urls.urlpatterns,  # sitemap.xml, robots.txt
]

# The feeds, calendars and vCards belong to the apps' namespaces (partnerships:agreement_feed,
# organizations:contact_vcard): Django does not merge two includes with the same namespace, so
# each app's patterns are included together with its machine-readable ones.
urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path(
        "",
        include(
            (
                partnerships.urls.urlpatterns + machine_urls.partnerships_urlpatterns,
                partnerships.urls.app_name,
            )
        ),
    ),
    path(
        "",
        include(
            (
                organizations.urls.urlpatterns + machine_urls.organizations_urlpatterns,
                organizations.urls.app_name,
            )
        ),
    ),
    prefix_default_language=True,
)

handler403 = "portal.views.permission_denied"
handler404 = "portal.views.page_not_found"
handler500 = "portal.views.server_error"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
