from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

import organizations.urls
import partnerships.urls
from portal import machine_urls

admin.site.site_header = "Cluster Partnership Portal"
admin.site.site_title = "Cluster Partnership Portal"
admin.site.index_title = "Records"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    *machine_urls.urlpatterns,
]

urlpatterns += i18n_patterns(
    path("", RedirectView.as_view(pattern_name="partnerships:agreement_list"), name="home"),
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

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
