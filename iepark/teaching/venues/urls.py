"""Page URLs of venues (included at the site root by ``iepark.urls``)."""

from django.urls import path

from iepark.core.generic_views import object_urlpatterns_from

from . import views
from .models import VenueBooking

urlpatterns = [
    path("venues/find/", views.find, name="venue_find"),
    path("venues/rooms/<int:pk>/calendar/", views.room_calendar, name="venue_room_calendar"),
    path("venues/mine/", views.my_bookings, name="venuebooking_mine"),
    path("venues/to-approve/", views.approval_queue, name="venuebooking_queue"),
    path("venue-bookings/<int:pk>/step/<slug:step>/", views.booking_step, name="venuebooking_step"),
    *object_urlpatterns_from("venue-bookings", VenueBooking, views),
]
