"""Page URLs of the careers app: one module per area (employers, applications, rounds, outcomes, analytics)."""

from django.urls import include, path

urlpatterns = [
    path("", include("iepark.careers.employers.urls")),
    path("", include("iepark.careers.applications.urls")),
    path("", include("iepark.careers.rounds.urls")),
    path("", include("iepark.careers.outcomes.urls")),
    path("", include("iepark.careers.analytics.urls")),
]
