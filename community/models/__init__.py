from community.models.accounts import (
    AgeBand,
    ApiToken,
    EmailFrequency,
    EmailUserManager,
    Language,
    User,
)
from community.models.community import (
    Community,
    Grid,
    Membership,
    MembershipRequest,
    Organisation,
)

__all__ = [
    "AgeBand",
    "ApiToken",
    "Community",
    "EmailFrequency",
    "EmailUserManager",
    "Grid",
    "Language",
    "Membership",
    "MembershipRequest",
    "Organisation",
    "User",
]
