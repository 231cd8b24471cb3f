from django.urls import include, path

from api import open311
from api.v1 import api as api_v1

urlpatterns = [
    path("api/v1/", api_v1.urls),
    path("open311/v2/", include((open311.urlpatterns, "open311"))),
]
