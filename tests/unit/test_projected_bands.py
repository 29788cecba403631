"""Band geometry for tiles: plain plots stay exact, detailed outlines are simplified per band."""

import numpy as np
import shapely

from webapp.tiles.projected import band_tolerance_m, mercator_geometries

LON, LAT = 118.51, 31.70


def plot(corners: int, radius_deg: float = 0.01):
    angles = np.linspace(0, 2 * np.pi, corners, endpoint=False)
    return shapely.Polygon(np.column_stack([LON + radius_deg * np.cos(angles),
                                            LAT + radius_deg * np.sin(angles)]))


def test_plain_plot_is_exact_in_every_band():
    m = 1 / 110_574  # a metre in degrees of latitude (about as much of longitude here)
    corner_5m_off_its_edge = [(0, 0), (500 * m, 5 * m), (1000 * m, 0), (1000 * m, 1000 * m),
                              (0, 1000 * m)]
    pentagon = shapely.MultiPolygon([shapely.Polygon([(LON + x, LAT + y)
                                                      for x, y in corner_5m_off_its_edge])])
    bands = mercator_geometries(np.array([pentagon], dtype=object))
    assert all(shapely.equals_exact(band[0], bands[-1][0], 0) for band in bands)
    assert bands[0][0].geom_type == "Polygon"  # one-part MultiPolygons are stored as Polygons


def test_detailed_outline_is_simplified_in_the_coarse_bands_only():
    detailed = plot(400, radius_deg=0.05)  # vertices ~12 m apart, far below band 0's tolerance
    bands = mercator_geometries(np.array([detailed], dtype=object))
    counts = [shapely.get_num_coordinates(band[0]) for band in bands]
    assert counts[0] < counts[1] <= counts[2] == 401
    assert bands[0][0].hausdorff_distance(bands[2][0]) <= band_tolerance_m(0) * 1.01
