"""Benchmark the PDF brochure: time to make one parcel's brochure (map image, QR code, PDF)
through the app on the bundled sample district, cold (first in the process: fonts loaded) and
warm (median and slowest of --rounds parcels), as wall-clock and as this process's CPU time
(the CPU figure stays meaningful on a busy machine).

    python scripts/bench_brochure.py [--rounds 10]
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from webapp import create_app
from webapp.domain.filters import ParcelFilter

TARGET_S = 2.0


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10, help="parcels timed warm")
    return parser.parse_args(argv)


def timed(client, path: str) -> tuple[float, float, int]:
    """(wall s, CPU s, bytes) of one GET that must answer a PDF."""
    wall, cpu = time.perf_counter(), time.process_time()
    response = client.get(path)
    if response.status_code != 200 or response.mimetype != "application/pdf":
        raise SystemExit(f"{path}: {response.status_code} {response.get_data(as_text=True)[:300]}")
    return time.perf_counter() - wall, time.process_time() - cpu, len(response.data)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"TESTING": True, "SECRET_KEY": "bench",
                          "INSTANCE_PATH": str(Path(folder) / "instance")})
        client = app.test_client()
        store = app.extensions["landgis.store"]
        parcels = store.query(ParcelFilter(), limit=args.rounds + 1).parcels
        cold = timed(client, f"/parcels/{parcels[0].id}/brochure.pdf")
        print(f"cold (first brochure in the process): {cold[0]:.2f} s wall, {cold[1]:.2f} s CPU, "
              f"{cold[2] / 1024:.0f} kB")
        warm = [timed(client, f"/parcels/{p.id}/brochure.pdf") for p in parcels[1:]]
        walls, cpus = [w for w, _c, _b in warm], [c for _w, c, _b in warm]
        print(f"warm, {len(warm)} parcels: median {statistics.median(walls):.2f} s wall "
              f"(slowest {max(walls):.2f}), median {statistics.median(cpus):.2f} s CPU "
              f"(slowest {max(cpus):.2f})")
        verdict = "within" if statistics.median(cpus) < TARGET_S else "over"
        print(f"median warm CPU time is {verdict} the {TARGET_S:.0f} s target")
    return 0


if __name__ == "__main__":
    sys.exit(main())
