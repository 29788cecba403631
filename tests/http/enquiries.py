"""Sending the enquiry form in tests: its CSRF token, good values, the stored enquiries."""

from tests.editing_fixtures import csrf_token

GOOD = {"company": "马鞍山智造有限公司", "contact_name": "王经理", "phone": "138 1234 5678",
        "email": "wang@example.com", "industry": "intelligent_equipment",
        "investment_wan": "20000", "jobs": "150", "message": "想了解T-001的规划条件。",
        "consent": "yes"}


def enquiry_data(client, parcels=("T-001",), **fields) -> dict[str, object]:
    """A good enquiry about the parcels with its CSRF token, fields replaced by `fields`."""
    return {"csrf_token": csrf_token(client, "/enquire"), **GOOD, "parcel": list(parcels),
            **fields}


def send_enquiry(client, parcels=("T-001",), lang: str = "en", **fields):
    """POST the enquiry form (not following the redirect)."""
    return client.post(f"/enquire?lang={lang}", data=enquiry_data(client, parcels, **fields))


def stored_enquiries(app) -> list:
    """Every enquiry in the app's store, newest first."""
    return app.extensions["landgis.store"].pipeline.enquiries(limit=1000).records
