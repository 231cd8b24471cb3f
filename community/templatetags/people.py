"""``{% official_role person_id community_id as role %}``: the role shown beside an official's name."""

from django import template

from community.names import official_role_rows, role_label

register = template.Library()

ROWS = "official_role_rows"  # a context variable: {community_id: rows}, read once for many renders (live fragments)


@register.simple_tag(takes_context=True)
def official_role(context, person_id, community_id) -> str:
    """The official's role in the community, in the reader's language, or "" for anyone else. The roles are read
    once per community per request (or per render when there is none, unless the context brings them in
    ``official_role_rows``), whatever the number of names."""
    if not person_id or not community_id:
        return ""
    known = context.get(ROWS)
    if known is None:
        holder = context.get("request")
        if holder is not None:
            known = getattr(holder, "_official_role_rows", None)
            if known is None:
                known = holder._official_role_rows = {}
        else:
            known = context.render_context.get("_official_role_rows")
            if known is None:
                known = context.render_context["_official_role_rows"] = {}
    if community_id not in known:
        known[community_id] = official_role_rows(community_id)
    row = known[community_id].get(person_id)
    return role_label(row) if row else ""
