"""Page URLs of this area (included by ``iepark.careers.urls``)."""

urlpatterns: list = []
