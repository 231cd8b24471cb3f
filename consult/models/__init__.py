from consult.models.accounts import AgeBand, User
from consult.models.community import (
    Community,
    Grid,
    Membership,
    MembershipRequest,
    Organisation,
)

__all__ = [
    "AgeBand",
    "Community",
    "Grid",
    "Membership",
    "MembershipRequest",
    "Organisation",
    "User",
]
