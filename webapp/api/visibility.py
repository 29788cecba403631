"""Who may see draft (unpublished) parcels through the API: the one place that decides it."""


def can_see_drafts() -> bool:
    """Whether the current client may see drafts: logged-in staff (any role) do, anonymous API
    clients never do. Every API query, single-parcel look-up, tile and cache header asks this.
    """
    from webapp.auth.roles import is_staff

    return is_staff()
