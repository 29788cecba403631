/* landgis site selection map: the shortlisted parcels numbered by rank and the outlines of
   groups of adjacent parcels. Data comes from a JSON data island; every value is text and
   HTML built here escapes each one with landgis.esc(). */
(function () {
  "use strict";
  var lg = window.landgis;
  var GROUP_STYLE = { color: "#6a1b9a", weight: 3, dashArray: "6 4", fillColor: "#ce93d8",
    fillOpacity: 0.15 };
  var state = { layers: {}, map: null };

  function parcelStyle(options, feature) {
    return { color: "#e65100", weight: 3, opacity: 1,
      fillColor: options.colors[feature.properties.lu] || "#9e9e9e", fillOpacity: 0.7 };
  }

  function parcelPopup(p, t, parcelUrl, id) {
    var url = lg.parcelHref(parcelUrl, p.code, id);
    return "<strong>#" + lg.esc(p.rank) + " " + lg.esc(p.code) + "</strong><br>" +
      lg.esc(t.landUses[p.lu] || p.lu) + " · " + lg.fmt(p.m2 / lg.M2_PER_MU) + " " +
      lg.esc(t.mu) + "<br>" + lg.esc(t.score) + " " + lg.esc(p.score) +
      '<br><a class="button primary popup-link" href="' + lg.esc(url) + '">' +
      lg.esc(t.details) + " ›</a>";
  }

  var RANK_LABEL = { permanent: true, direction: "center", className: "rank-label", opacity: 1 };

  function addShortlistLayer(map, islandId) {
    var island = lg.readIsland(islandId);
    var options = island.options;
    var t = options.texts;
    state.map = map;
    var groups = L.geoJSON(island.data.groups, {
      style: function () { return GROUP_STYLE; },
      onEachFeature: function (f, layer) {
        var p = f.properties;
        layer.bindTooltip(lg.esc(t.groupRank) + lg.esc(p.rank),
          { permanent: true, direction: "center", className: "rank-label group-label",
            opacity: 1 });
        state.layers["g" + p.rank] = layer;
      }
    }).addTo(map);
    var parcels = L.geoJSON(island.data.parcels, {
      style: function (f) { return parcelStyle(options, f); },
      onEachFeature: function (f, layer) {
        layer.bindTooltip(lg.esc(f.properties.rank), RANK_LABEL);
        layer.bindPopup(parcelPopup(f.properties, t, options.parcelUrl, f.id), lg.POPUP_OPTIONS);
        state.layers["p" + f.id] = layer;
      }
    }).addTo(map);
    function fit() {
      if (options.bounds) {
        map.fitBounds(options.bounds, { animate: false, padding: [16, 16], maxZoom: 17 });
      }
    }
    fit();
    // The printed map is sized by the print stylesheet: show the whole shortlist in it.
    window.addEventListener("beforeprint", function () { map.invalidateSize(); fit(); });
    map.getContainer().setAttribute("data-shortlist-count",
      String(island.data.parcels.features.length));
    map.getContainer().setAttribute("data-group-count", String(island.data.groups.features.length));
    return [parcels, groups];
  }

  // Buttons in the result list (data-map-key="p<id>" or "g<rank>") show their shape on the map.
  function showOnMap(event) {
    var button = event.target.closest("[data-map-key]");
    var layer = button && state.layers[button.getAttribute("data-map-key")];
    if (!layer || !state.map) { return; }
    state.map.fitBounds(layer.getBounds(), { maxZoom: 17, padding: [24, 24] });
    if (layer.getPopup()) { layer.openPopup(); }
    document.getElementById("map_shortlist").scrollIntoView({ block: "nearest" });
  }

  document.addEventListener("click", showOnMap);
  lg.addShortlistLayer = addShortlistLayer;
})();
