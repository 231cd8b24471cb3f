from community.permissions import memberships


def roles(request):
    """The roles the signed-in person holds anywhere (their memberships, loaded once per request's user)."""
    user = getattr(request, "user", None)
    return {"my_roles": {m.role for m in memberships(user)} if user is not None else set()}
