"""Clients of the live backup tests: `python -m tests.live.backup_clients edit|view CONFIG_JSON`.

`edit` logs in and makes conflicting note edits (tests.live.edit_client's), recording when each
answer arrived (wall-clock seconds, comparable across processes); `view` reads parcel pages and
tiles until told to stop, as an investor's browser would. Each prints one JSON object.
"""

import json
import os
import sys
import time
import urllib.error
import urllib.request

from tests.live.edit_client import edit_once
from tests.live.http_session import Session

VIEW_PATHS = ("/api/collections/parcels/items?limit=100", "/api/collections/parcels/tiles/"
              "WebMercatorQuad/14/6675/13585")


def edit(config: dict) -> dict:
    """Make config['edits'] edits alternating between the servers; outcomes with times."""
    urls, index = config["urls"], config["index"]
    session = Session()
    if session.login(urls[index % len(urls)], config["name"], config["password"]).status != 302:
        raise SystemExit("login failed")
    outcomes = []
    for number in range(config["edits"]):
        parcel_id = config["parcel_ids"][number % len(config["parcel_ids"])]
        outcome = edit_once(session, urls[(index + number) % len(urls)],
                            urls[(index + number + 1) % len(urls)], parcel_id,
                            f"{config['name']}.{number}", use_api=(index + number) % 2 == 0)
        outcomes.append({**outcome, "answered_at": time.time()})
    return {"outcomes": outcomes}


def view(config: dict) -> dict:
    """Read pages and tiles from the servers in turn until the file config['stop'] exists."""
    statuses: dict[str, int] = {}
    number = 0
    while not os.path.exists(config["stop"]):
        url = config["urls"][number % len(config["urls"])] + VIEW_PATHS[number % len(VIEW_PATHS)]
        try:
            with urllib.request.urlopen(url, timeout=30) as response:
                response.read()
                status = response.status
        except urllib.error.HTTPError as error:
            status = error.code
        statuses[str(status)] = statuses.get(str(status), 0) + 1
        number += 1
    return {"statuses": statuses}


if __name__ == "__main__":
    role, config = sys.argv[1], json.loads(sys.argv[2])
    sys.stdout.write(json.dumps({"edit": edit, "view": view}[role](config)) + "\n")
