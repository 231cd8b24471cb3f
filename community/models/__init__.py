from community.models.accounts import (
    AgeBand,
    ApiToken,
    EmailFrequency,
    EmailUserManager,
    Language,
    User,
)
from community.models.calendar import LocalDay
from community.models.community import (
    Community,
    DeadlineUnit,
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
    "DeadlineUnit",
    "EmailFrequency",
    "EmailUserManager",
    "Grid",
    "Language",
    "LocalDay",
    "Membership",
    "MembershipRequest",
    "Organisation",
    "Owner",
    "Ownership",
    "Unit",
    "User",
]
