"""Routes of the map styles (OGC API - Styles): the list, the MapLibre/Mapbox GL style of the
vector tiles, and SLD and QML downloads for the parcels features layer."""

from flask import Response, current_app
from flask_babel import gettext as _

from webapp.api import bp
from webapp.api.links import api_url
from webapp.api.media import JSON
from webapp.api.operations import api_operation
from webapp.api.responses import render
from webapp.api.style_encodings import landuse_qml, landuse_sld
from webapp.api.styles import MAPBOX_STYLE, QML, SLD, mapbox_style, styles_document
from webapp.api.tilesets import MAX_ZOOM, MIN_ZOOM, tile_template
from webapp.domain.filters import ParcelFilter
from webapp.public.map_page import language
from webapp.services import get_landuse_table, get_store
from webapp.tiles.mvt import LAYER


def district() -> str:
    """The district's name, titling the styles."""
    return current_app.config["DISTRICT_NAME"]


def district_classes() -> list[tuple[str, str, str]]:
    """(code, "code name", colour) of every land use among the published parcels."""
    table, lang = get_landuse_table(), language()
    codes = sorted({share.land_use for share in get_store().landuse_breakdown(ParcelFilter())})
    return [(code, f"{code} {table.name(code, lang)}", table.color(code)) for code in codes]


def download(body: bytes, media_type: str, filename: str) -> Response:
    """An XML style file as a download."""
    return Response(body, content_type=f"{media_type.split(';')[0]}; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="{filename}"'})


@bp.get("/styles", endpoint="styles")
@bp.get("/collections/parcels/styles", endpoint="collection_styles")
@api_operation(("lang",), {JSON: "Styles"}, tag="capabilities")
def styles_list(query: dict):
    """The map styles (OGC API - Styles): land use, as Mapbox GL style, SLD and QML."""
    return render("json", styles_document(api_url("api.styles")), JSON)


@bp.get("/styles/landuse", endpoint="style")
@api_operation(("lang",), {MAPBOX_STYLE: "MapboxStyle"}, tag="tiles")
def style_document(query: dict):
    """The MapLibre/Mapbox GL style of the parcel and context vector tiles: parcels by
    land-use code in the web map's colours, context features by kind."""
    document = mapbox_style(f"{district()} · land use", get_landuse_table(), tile_template(),
                            district(), MIN_ZOOM, MAX_ZOOM)
    return render("json", document, MAPBOX_STYLE)


@bp.get("/collections/parcels/styles/landuse.sld", endpoint="style_sld")
@api_operation(("lang",), {SLD: None}, tag="features")
def style_sld(query: dict):
    """SLD 1.0 of the parcels features layer: one rule per land use of the district."""
    body = landuse_sld(LAYER, f"{district()} · {_('Land use')}", district_classes(),
                       _("Other land use"))
    return download(body, SLD, "parcels-landuse.sld")


@bp.get("/collections/parcels/styles/landuse.qml", endpoint="style_qml")
@api_operation(("lang",), {QML: None}, tag="features")
def style_qml(query: dict):
    """QGIS QML of the parcels features layer: a category per land use of the district."""
    return download(landuse_qml(district_classes(), _("Other land use")), QML,
                    "parcels-landuse.qml")
