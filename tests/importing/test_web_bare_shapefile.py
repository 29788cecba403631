"""A .shp uploaded alone on the web import: its sidecar files cannot come with it, so the preview
says which one is missing and offers no import."""

from tests.importing.test_web_import import preview_url, upload
from tests.importing.zoning_files import write_zoning_shapefile


def test_web_bare_shapefile_upload_says_the_dbf_is_missing(editor_client, tmp_path):
    shp = write_zoning_shapefile(tmp_path)
    response = upload(editor_client, shp)
    html = editor_client.get(preview_url(response), query_string={"lang": "en"}).get_data(
        as_text=True)
    assert "no 控規地塊.dbf beside it" in html and "one zip archive" in html
    assert "confirm-import" not in html
