"""The project's URLs plus the import/export routes, for tests run before the project includes them."""

from django.urls import include, path

from iepark.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    path("api/v1/", include("iepark.core.api.urls_io")),
    path("", include("iepark.core.urls_io")),
    *project_urlpatterns,
]
