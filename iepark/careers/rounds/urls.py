"""Page URLs of matching rounds (included by ``iepark.careers.urls``)."""

from django.urls import path

from iepark.core.generic_views import object_urlpatterns_from

from ..models import MatchingRound, RoundMatch, RoundPosition, RoundStudentList
from . import views

urlpatterns = [
    *object_urlpatterns_from("rounds/positions", RoundPosition, views),
    path("rounds/positions/<int:pk>/rank/", views.position_rank, name="roundposition_rank"),
    *object_urlpatterns_from("rounds/lists", RoundStudentList, views),
    *object_urlpatterns_from("rounds/results", RoundMatch, views),
    *object_urlpatterns_from("rounds", MatchingRound, views),
    path("rounds/<int:pk>/my-list/", views.my_list, name="matchinground_my_list"),
    path("rounds/<int:pk>/results/", views.MatchingRoundResultsView.as_view(), name="matchinground_results"),
    path(
        "rounds/<int:pk>/<str:step>/",
        views.round_step,
        name="matchinground_step",
    ),
]
