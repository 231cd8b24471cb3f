"""``{% official_role person_id community_id as role %}``: the role shown beside an official's name."""

from django import template

from community.names import official_roles

register = template.Library()


@register.simple_tag(takes_context=True)
def official_role(context, person_id, community_id) -> str:
    """The official's role in the community, in the reader's language, or "" for anyone else. The roles are read
    once per community per request (or per render when there is none), whatever the number of names."""
    if not person_id or not community_id:
        return ""
    holder = context.get("request") or context.render_context
    known = getattr(holder, "_official_roles", None) if holder is not context.render_context else holder.get(
        "_official_roles")
    if known is None:
        known = {}
        if holder is context.render_context:
            holder["_official_roles"] = known
        else:
            holder._official_roles = known
    if community_id not in known:
        known[community_id] = official_roles(community_id)
    return known[community_id].get(person_id, "")
