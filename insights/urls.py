from django.urls import path

from insights.views import audit, exports, overview, stats

app_name = "insights"

urlpatterns = [
    path("", overview.home, name="home"),
    path("c/<slug:slug>/", overview.community_detail, name="community-detail"),
    path("c/<slug:slug>/grids/<int:number>/", overview.grid_detail, name="grid-detail"),
    path("stats/", stats.scorecards, name="stats"),
    path("stats/rates/", stats.rates, name="rates"),
    path("stats/rates.csv", stats.rates_csv, name="rates-csv"),
    path("c/<slug:slug>/warnings/", stats.warnings, name="warnings"),
    path("c/<slug:slug>/audit/", audit.audit_log, name="audit-log"),
    path("outcomes/decisions.csv", exports.decisions_csv, name="decisions-csv"),
    path("issues/issues.csv", exports.issues_csv, name="issues-csv"),
]
