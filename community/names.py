"""Display names nobody can use to pass for someone else, and the officials' roles shown beside their names.

A name may not carry bidirectional or invisible control characters (a right-to-left override turns
"Chen Jing" around, a zero-width space hides a difference). It may not be *confusable* with the name of
another member of the same community: names are compared by their Unicode TR39 skeleton (ICU's spoof
checker maps "Сhen" with a Cyrillic С to "Chen", "I" and "l" alike, full-width forms to plain ones),
case and spacing and punctuation aside, so "chen jing", "Chen·Jing" and "Сhen Jing" are all Chen Jing's;
nor Chen Jing's name followed by a role ("Chen Jing · Chair", "陈静主任"), nor a role alone ("主任").
Namesakes are real — two 王伟 in one community — and the second adds what tells them apart ("王伟 3号楼").
"""

import re
import unicodedata
from functools import cache

import icu
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _

from community.models import Membership, User

Role, Position = Membership.Role, Membership.Position

# Bidirectional controls and marks, zero-width and other invisible characters (Hangul fillers, variation
# selectors, the soft hyphen, the word joiner family, the byte-order mark).
HIDDEN = re.compile("[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
                    "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0]")
# Words that name an office, in English and Chinese, besides the roles' and positions' own labels.
OFFICE_WORDS = ["chair", "chairperson", "chairman", "chairwoman", "director", "deputy", "secretary", "committee",
                "official", "admin", "administrator", "staff", "moderator", "gridworker", "officer", "主任", "副主任",
                "书记", "副书记", "委员", "居委会", "网格员", "管理员", "秘书", "书记员", "社区", "工作人员", "官方"]
OFFICIAL_ROLES = [Role.COMMITTEE, Role.GRID_WORKER, Role.MODERATOR, Role.ORG_REP]


@cache
def _checker() -> icu.SpoofChecker:
    return icu.SpoofChecker()


def skeleton(name: str) -> str:
    """What a name looks like: its TR39 skeleton, folded for case, with only letters and digits kept."""
    text = unicodedata.normalize("NFKC", name or "").casefold()
    text = _checker().getSkeleton(0, text).casefold()
    return "".join(c for c in text if unicodedata.category(c)[0] in "LN")


@cache
def _office_skeletons() -> frozenset[str]:
    words = set(OFFICE_WORDS)
    for language in ("en", "zh-hans"):
        with translation.override(language):
            words |= {str(label) for label in [*Role.labels, *Position.labels]}
    return frozenset(s for s in (skeleton(w) for w in words) if s)


def check_display_name(name: str, *, person: User | None, communities=None) -> None:
    """Refuse a name that hides characters or looks like another member's (or an office): a clear message.

    ``communities``: the communities whose members it must not look like; None means every member of every
    community (someone who belongs to none yet, at sign-up).
    """
    if HIDDEN.search(name or ""):
        raise ValidationError(_("A display name cannot contain invisible or text-direction characters."))
    mine = skeleton(name)
    if not mine:
        return
    offices = _office_skeletons()
    if mine in offices:
        raise ValidationError(_("A display name cannot be the name of an office: use your own name."))
    members = Membership.objects.exclude(user=person) if person is not None else Membership.objects.all()
    if communities is not None:
        members = members.filter(community__in=communities)
    names = set(User.objects.filter(Q(pk__in=members.values("user_id"))).exclude(display_name="")
                .values_list("display_name", flat=True))
    for other in names:
        theirs = skeleton(other)
        if theirs and (mine == theirs or (mine.startswith(theirs) and mine[len(theirs):] in offices)):
            raise ValidationError(_("“%(name)s” looks too much like the name of another member, %(other)s. Add "
                                    "something that tells you apart, such as your building.")
                                  % {"name": name, "other": other})


def official_role_rows(community_id: int) -> dict[int, tuple[str, str, str]]:
    """Each official of the community with what their badge says, in no language yet: (role, position,
    organisation) of their highest role. One query; ``role_label`` words it in the current language."""
    order = {role: n for n, role in enumerate(OFFICIAL_ROLES)}
    found: dict[int, tuple[str, str, str]] = {}
    rows = (Membership.objects.filter(community_id=community_id, role__in=OFFICIAL_ROLES)
            .select_related("organisation").only("user_id", "role", "position", "organisation__name"))
    for row in rows:
        if row.user_id not in found or order[row.role] < order[found[row.user_id][0]]:
            found[row.user_id] = (row.role, row.position, row.organisation.name if row.organisation else "")
    return found


def role_label(row: tuple[str, str, str]) -> str:
    """The badge of one ``official_role_rows`` entry in the current language: the committee's position, else grid
    worker, moderator, or the organisation represented."""
    role, position, organisation = row
    if role == Role.COMMITTEE:
        if position in Position.values and position != Position.MEMBER:
            return str(Position(position).label)
        return str(Role.COMMITTEE.label)
    if role == Role.ORG_REP and organisation:
        return organisation
    return str(Role(role).label)


def official_roles(community_id: int) -> dict[int, str]:
    """Each official of the community and the role to show beside their name, in the current language."""
    return {user_id: role_label(row) for user_id, row in official_role_rows(community_id).items()}
