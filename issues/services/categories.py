"""A category's own deadlines, overriding the community's (a burst pipe is answered in hours, not days)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

import audit
from community import permissions as community_permissions
from community.models import User
from community.selectors import describe_deadline
from community.services.calendar import check_deadline
from issues.deadlines import resolution_deadline, response_deadline
from issues.models import Category


def _deadline(amount, unit: str, *, what: str) -> tuple[int | None, str]:
    if amount in (None, ""):
        return None, ""
    check_deadline(amount, unit, what=what)
    return amount, unit


@transaction.atomic
def set_category_deadlines(actor: User, *, category_id: int, response_amount: int | None = None,
                           response_unit: str = "", resolution_amount: int | None = None,
                           resolution_unit: str = "") -> Category:
    """Give a category its own response and resolution deadlines; an empty one follows the community's."""
    category = Category.objects.select_for_update(of=("self",)).select_related("community").filter(pk=category_id).first()
    if category is None:
        raise ValidationError(_("Choose one of the community's categories."))
    community_permissions.require(community_permissions.can_keep_calendar(actor, category.community),
                                  _("Only the committee sets the deadlines."))
    category.response_deadline, category.response_deadline_unit = _deadline(
        response_amount, response_unit, what=_("the response deadline"))
    category.resolution_deadline, category.resolution_deadline_unit = _deadline(
        resolution_amount, resolution_unit, what=_("the resolution deadline"))
    category.save(update_fields=["response_deadline", "response_deadline_unit", "resolution_deadline",
                                 "resolution_deadline_unit"])
    audit.record(actor, "calendar.category_deadlines", community=category.community,
                 target=category.community, category=category.name,
                 response=describe_deadline(*response_deadline(category.community, category)),
                 resolution=describe_deadline(*resolution_deadline(category.community, category)))
    return category
