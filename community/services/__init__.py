"""Every state change of this app: one function per action, named for the user's verb."""

from community.services.accounts import (
    delete_account,
)
from community.services.exports import record_export
from community.services.membership import (
    approve_membership_request,
    reject_membership_request,
    request_membership,
    update_profile,
    withdraw_membership_request,
)
from community.services.roles import remove_membership, save_membership, save_site_role
from community.services.tokens import (
    authenticate_api_token,
    create_api_token,
    revoke_api_token,
)

__all__ = [
    "approve_membership_request",
    "authenticate_api_token",
    "create_api_token",
    "delete_account",
    "record_export",
    "remove_membership",
    "save_membership",
    "save_site_role",
    "reject_membership_request",
    "request_membership",
    "revoke_api_token",
    "update_profile",
    "withdraw_membership_request",
]
