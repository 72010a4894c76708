"""URL configuration: pages, the REST API under /api/v1/, its schema and docs, health check."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from iepark.careers import api as careers_api
from iepark.core.api import views as core_api
from iepark.governance import api as governance_api
from iepark.governance.consultation import api as consultation_api
from iepark.operations import api as operations_api
from iepark.operations.safety import api as safety_api
from iepark.operations.surveys import api as surveys_api
from iepark.operations.workorders import api as workorders_api
from iepark.teaching import api as teaching_api
from iepark.teaching.attendance import api as attendance_api
from iepark.teaching.venues import api as venues_api

router = DefaultRouter()
core_api.register(router)
careers_api.register(router)
teaching_api.register(router)
venues_api.register(router)
attendance_api.register(router)
operations_api.register(router)
workorders_api.register(router)
safety_api.register(router)
surveys_api.register(router)
governance_api.register(router)
consultation_api.register(router)

urlpatterns = [
    path("healthz", core_api.healthz, name="healthz"),
    path("api/v1/auth/token/", core_api.TokenView.as_view(), name="api-token"),
    path("api/v1/me/", core_api.MeView.as_view(), name="api-me"),
    path("api/v1/", include(router.urls)),
    path("api/v1/", include("iepark.core.api.urls_io")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("django-admin/", admin.site.urls),
    # The public careers portal: no login.
    path("careers/", include("iepark.careers.portal.urls")),
    path("", include("iepark.careers.urls")),
    path("", include("iepark.teaching.urls")),
    path("", include("iepark.teaching.venues.urls")),
    path("", include("iepark.teaching.attendance.urls")),
    path("", include("iepark.operations.urls")),
    path("", include("iepark.operations.workorders.urls")),
    path("", include("iepark.operations.safety.urls")),
    path("", include("iepark.operations.surveys.urls")),
    path("", include("iepark.governance.urls")),
    path("", include("iepark.governance.consultation.urls")),
    path("", include("iepark.core.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
