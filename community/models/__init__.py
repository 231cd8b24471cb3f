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
from community.models.property import Building, Owner, Ownership, Unit

__all__ = [
    "AgeBand",
    "Building",
    "ApiToken",
    "Community",
    "EmailFrequency",
    "EmailUserManager",
    "Grid",
    "Language",
    "Membership",
    "MembershipRequest",
    "Organisation",
    "Owner",
    "Ownership",
    "Unit",
    "User",
]
