"""One editor making conflicting edits: `python -m tests.live.edit_client CONFIG_JSON`.

Each edit reads a parcel's edit form from one server and saves a new note through another
server, either with the form (version field) or with PATCH and If-Match. The new note names the
note it replaced ("token<previous token"), so afterwards the test can tell whether an accepted
note was overwritten by someone who never saw it. Prints one JSON object with every outcome.
"""

import json
import sys

from tests.forms import form_values
from tests.live.http_session import Session


def base_token(note: str | None) -> str:
    """The token of the note an edit replaces ('' for an empty note)."""
    return (note or "").split("<")[0]


def edit_once(session: Session, read_url: str, write_url: str, parcel_id: int, token: str,
              use_api: bool) -> dict:
    """Read the parcel, then save a note on top of what was read; returns the outcome."""
    form_path = f"/admin/parcels/{parcel_id}/edit"
    page = session.request("GET", read_url + form_path)
    values = form_values(page.text, form_path)
    note = f"{token}<{base_token(values.get('note'))}"
    if use_api:
        reply = session.request(
            "PATCH", f"{write_url}/api/collections/parcels/items/{parcel_id}",
            body={"note": note}, headers={"If-Match": page.headers["etag"],
                                          "X-CSRFToken": values["csrf_token"]})
    else:
        reply = session.request("POST", write_url + form_path, data={**values, "note": note})
    return {"token": token, "parcel_id": parcel_id, "status": reply.status,
            "base": base_token(values.get("note")), "via": "api" if use_api else "form"}


def main() -> None:
    """Log in, make the edits, print the outcomes."""
    config = json.loads(sys.argv[1])
    urls, index = config["urls"], config["index"]
    session = Session()
    login = session.login(urls[index % len(urls)], config["name"], config["password"])
    if login.status != 302:
        raise SystemExit(f"login failed with {login.status}")
    outcomes = []
    for number in range(config["edits"]):
        read_url = urls[(index + number) % len(urls)]
        write_url = urls[(index + number + 1) % len(urls)]
        parcel_id = config["parcel_ids"][number % len(config["parcel_ids"])]
        outcomes.append(edit_once(session, read_url, write_url, parcel_id,
                                  f"{config['name']}.{number}", use_api=(index + number) % 2 == 0))
    sys.stdout.write(json.dumps({"name": config["name"], "outcomes": outcomes}) + "\n")


if __name__ == "__main__":
    main()
