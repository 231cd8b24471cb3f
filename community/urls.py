from django.urls import path

from community.views import account, maps, privacy, register

app_name = "community"

urlpatterns = [
    path("account/", account.account, name="account"),
    path("account/data.json", privacy.download_data, name="account-data"),
    path("account/delete/", privacy.delete_account, name="account-delete"),
    path("account/tokens/", account.api_tokens, name="api-tokens"),
    path("account/tokens/<int:pk>/revoke", account.revoke_api_token, name="api-token-revoke"),
    path("account/requests/<int:pk>/withdraw", account.withdraw_request, name="request-withdraw"),
    path("c/<slug:slug>/join/", account.join, name="join"),
    path("c/<slug:slug>/map/", maps.map_page, name="map"),
    path("c/<slug:slug>/register/", register.register_page, name="register"),
    path("c/<slug:slug>/register/import", register.register_import, name="register-import"),
    path("c/<slug:slug>/requests/", account.membership_queue, name="membership-queue"),
    path("c/<slug:slug>/requests/<int:pk>/approve", account.decide_request, {"decision": "approve"},
         name="request-approve"),
    path("c/<slug:slug>/requests/<int:pk>/reject", account.decide_request, {"decision": "reject"},
         name="request-reject"),
]
