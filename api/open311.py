"""Open311 GeoReport v2 for issues (to be written)."""

urlpatterns: list = []
