from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from portal import views

admin.site.site_header = "Cluster Partnership Portal"
admin.site.site_title = "Cluster Partnership Portal"
admin.site.index_title = "Records"

# "/" has no pattern of its own: LocaleMiddleware redirects it (and any other path without a
# language prefix) to the visitor's best language from Accept-Language, e.g. "/" → "/de/".
urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]

urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("", include("partnerships.urls")),
    path("", include("organizations.urls")),
    prefix_default_language=True,
)

handler403 = "portal.views.permission_denied"
handler404 = "portal.views.page_not_found"
handler500 = "portal.views.server_error"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
