"""Page URLs of attendance (included at the site root by ``iepark.urls``)."""

urlpatterns: list = []
