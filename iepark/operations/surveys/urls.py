"""Page URLs of satisfaction surveys (included at the site root by ``iepark.urls``)."""

from django.urls import path

from iepark.core.generic_views import object_urlpatterns_from

from . import views
from .models import Survey

urlpatterns = [
    path("surveys/satisfaction/", views.satisfaction, name="survey_satisfaction"),
    path("surveys/<int:pk>/open/", views.survey_open, name="survey_open"),
    path("surveys/<int:pk>/close/", views.survey_close, name="survey_close"),
    path("surveys/<int:pk>/results/", views.survey_results, name="survey_results"),
    path("surveys/<int:pk>/results.xlsx", views.survey_results_export, name="survey_results_export"),
    path("surveys/<int:pk>/questions/add/", views.question_add, name="survey_question_add"),
    path("surveys/questions/<int:pk>/edit/", views.question_edit, name="survey_question_edit"),
    path("surveys/questions/<int:pk>/delete/", views.question_delete, name="survey_question_delete"),
    path("surveys/questions/<int:pk>/move/<str:direction>/", views.question_move, name="survey_question_move"),
    *object_urlpatterns_from("surveys", Survey, views),
    path("my-surveys/", views.my_surveys, name="my_surveys"),
    path("my-surveys/<int:pk>/", views.survey_answer, name="survey_answer"),
]
