"""The HTTP response of an export: streamed, holding one export slot until it is closed."""

from datetime import UTC, datetime
from pathlib import Path

from flask import Response

from webapp.domain.filters import ParcelFilter
from webapp.domain.landuse import LandUseTable
from webapp.exporting.slots import ExportSlots
from webapp.exporting.stream import export_pieces
from webapp.exporting.writers import FORMATS, export_filename
from webapp.store.interface import ParcelStore


def export_response(store: ParcelStore, parcel_filter: ParcelFilter, table: LandUseTable,
                    language: str, file_format: str, instance_path: str,
                    max_concurrent: int) -> Response:
    """A streamed download of the matching parcels, or ExportsBusyError (503) when
    max_concurrent exports run already on this machine.

    The slot is given back when the server closes the response: after the last byte, or when
    the client went away (a GeoPackage's temporary file goes then too).
    """
    folder = Path(instance_path) / "exports"
    slot = ExportSlots(folder, max_concurrent).acquire()
    try:
        pieces = export_pieces(store, parcel_filter, table, language, file_format, folder)
        name = export_filename(file_format, datetime.now(UTC).strftime("%Y%m%d"))
        response = Response(pieces, mimetype=FORMATS[file_format][0],
                            headers={"Content-Disposition": f'attachment; filename="{name}"',
                                     "X-Accel-Buffering": "no"})
    except BaseException:
        slot.release()
        raise
    response.call_on_close(slot.release)
    return response
