"""Who may see draft (unpublished) parcels through the API: the one place that decides it."""


def can_see_drafts() -> bool:
    """Whether the current client may see drafts. Anonymous API clients never do.

    Staff sign-in (issue 5) will return True here for logged-in staff; every API query,
    single-parcel look-up, tile and cache header asks this function.
    """
    return False
