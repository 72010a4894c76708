"""Page URLs of venues (included at the site root by ``iepark.urls``)."""

urlpatterns: list = []
