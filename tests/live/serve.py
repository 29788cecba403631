"""Serve the app configured by LANDGIS_* variables with waitress on a free loopback port.

Run as `python -m tests.live.serve`; prints "PORT <n>" once it listens. Several of these share one
instance folder (one GeoPackage store) to test what must hold across server processes.
"""

import sys

import waitress

from webapp import create_app

THREADS = 4


def main() -> None:
    """Build the app, bind, announce the port, serve until terminated."""
    app = create_app()
    server = waitress.create_server(app, host="127.0.0.1", port=0, threads=THREADS,
                                    ident="landgis-test")
    sys.stdout.write(f"PORT {server.effective_port}\n")
    sys.stdout.flush()
    server.run()


if __name__ == "__main__":
    main()
