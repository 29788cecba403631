// The import preview's map: the file's incoming parcels, repaired ones outlined in red, each
// with a tooltip of its code and area. Data comes from a JSON data island
// (webapp.maps.import_map); every text shown is escaped (landgis.esc) before Leaflet sets it.
(function () {
  "use strict";
  var landgis = window.landgis;
  var INCOMING = { color: "#0b3d91", weight: 1, opacity: 0.9, fillColor: "#64b5f6", fillOpacity: 0.35 };
  var REPAIRED = { color: "#d50000", weight: 3, opacity: 1, fillColor: "#ff8a80", fillOpacity: 0.55 };

  function addImportLayer(map, islandId) {
    var island = landgis.readIsland(islandId);
    var options = island.options;
    var t = options.texts;
    var layer = L.geoJSON(island.data, {
      style: function (f) { return f.properties.r ? REPAIRED : INCOMING; },
      onEachFeature: function (f, l) {
        var p = f.properties;
        var text = landgis.esc(p.code) + " · " + landgis.fmt(p.m2) + " " + landgis.esc(t.m2) +
          " · " + landgis.fmt(p.m2 / landgis.M2_PER_MU) + " " + landgis.esc(t.mu);
        if (p.r) { text += " · " + landgis.esc(t.repaired); }
        l.bindTooltip(text, { sticky: true });
      }
    }).addTo(map);
    if (options.bounds) {
      map.fitBounds(options.bounds, { animate: false, padding: [8, 8], maxZoom: 17 });
    }
    map.getContainer().setAttribute("data-parcel-count", String(island.data.features.length));
    return layer;
  }

  landgis.addImportLayer = addImportLayer;
})();
