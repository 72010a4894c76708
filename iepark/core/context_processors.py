from . import policy


def actor(request):
    """Expose the policy's view of the user to templates (roles, for the menu)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    a = policy.actor_for(user)
    return {"actor": a, "actor_roles": a.roles}
