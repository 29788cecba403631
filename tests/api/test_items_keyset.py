"""Items `next` links continue from the last code (a keyset cursor): following them while parcels
are inserted, unpublished and deleted between pages returns no parcel twice and every parcel
that stays exactly once; numberMatched follows the writes at once."""

from tests.store.conftest import prepared_small

ITEMS = "/api/collections/parcels/items"


def with_codes(codes: dict[str, str]):
    """Prepared test parcels renamed: {existing code: new code}."""
    frame = prepared_small()
    frame = frame[frame["code"].isin(codes)].copy()
    frame["code"] = frame["code"].map(codes)
    return frame


def follow_next_links(client, url: str, between) -> list[str]:
    """Codes of every page from url on, calling between(page number) after each page."""
    seen, page = [], 0
    while url:
        document = client.get(url).json
        seen += [f["properties"]["code"] for f in document["features"]]
        page += 1
        between(page)
        nxt = next((li for li in document["links"] if li["rel"] == "next"), None)
        url = nxt["href"].removeprefix("http://localhost") if nxt else None
    return seen


def test_next_links_return_each_parcel_once_while_parcels_come_and_go(client, small_store):
    def between(page: int) -> None:
        if page == 1:  # one parcel behind the cursor (T-000), one ahead (T-009)
            small_store.upsert(with_codes({"T-001": "T-000", "T-004": "T-009"}))
        if page == 2:  # T-003 unpublished before its page, T-001 re-imported away
            parcel = small_store.get("T-003")
            small_store.update_parcel(parcel.id, {"published": False}, parcel.version, "ada",
                                      "form")
            frame = prepared_small()
            frame = frame[frame["code"] != "T-001"]
            small_store.replace_all(frame, keep_published=True)

    assert follow_next_links(client, ITEMS + "?limit=1", between) == ["T-001", "T-002",
                                                                      "T-004"]


def test_next_links_see_parcels_inserted_ahead(client, small_store):
    def between(page: int) -> None:
        if page == 1:
            small_store.upsert(with_codes({"T-001": "T-003a", "T-002": "T-010"}))

    seen = follow_next_links(client, ITEMS + "?limit=2", between)
    assert seen == ["T-001", "T-002", "T-003", "T-003a", "T-004", "T-010"]


def test_number_matched_follows_an_edit_at_once(client, small_store):
    assert client.get(ITEMS + "?status=sold").json["numberMatched"] == 1
    parcel = small_store.get("T-001")
    small_store.update_parcel(parcel.id, {"status": "sold"}, parcel.version, "ada", "form")
    assert client.get(ITEMS + "?status=sold").json["numberMatched"] == 2
    assert client.get(ITEMS).json["numberMatched"] == 4
