/* landgis map code: parcel layer styled by land use, legend, and list-to-map links.
   Data comes from JSON data islands (<script type="application/json" id="…">) that the page
   renders; every value is text: HTML built here escapes each one with esc(). */
(function () {
  "use strict";
  var M2_PER_MU = 10000 / 15;
  // Popups open clear of the zoom/fullscreen/locate buttons down the map's left edge (Leaflet
  // draws controls above popups; on a phone they covered the popup's labels).
  var POPUP_OPTIONS = { maxWidth: 280, autoPanPaddingTopLeft: [56, 12],
    autoPanPaddingBottomRight: [12, 12] };
  var state = { layers: {}, map: null };

  function esc(text) {
    return String(text == null ? "" : text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  // The parsed JSON of the page's data island with this element id.
  function readIsland(id) {
    return JSON.parse(document.getElementById(id).textContent);
  }

  // A parcel page link on our own path: the code is URL-encoded into the __CODE__ placeholder
  // (a function replacement, so "$&" in a code is not a replacement pattern). An all-digit or
  // empty code would be read as an id there, so those parcels are linked by their id (as the
  // server does: webapp.domain.parcel_key.parcel_url_key).
  function parcelHref(parcelUrl, code, id) {
    var key = /^[0-9]*$/.test(String(code)) ? String(id) : String(code);
    return parcelUrl.replace("__CODE__", function () { return encodeURIComponent(key); });
  }

  var twoDecimals = new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });

  function fmt(value) {
    return twoDecimals.format(Number(value));
  }

  function styleFor(options, feature, selected) {
    return {
      color: selected ? "#d50000" : "#37474f",
      weight: selected ? 3 : 1,
      opacity: 0.9,
      fillColor: options.colors[feature.properties.lu] || "#9e9e9e",
      fillOpacity: 0.65
    };
  }

  function popupHtml(p, t, parcelUrl, id) {
    var url = parcelHref(parcelUrl, p.code, id);
    var rows = [
      [t.code, esc(p.code) + (p.name ? "<br>" + esc(p.name) : "")],
      [t.landUse, esc(p.lu) + " " + esc(t.landUses[p.lu] || "")],
      [t.area, fmt(p.m2) + " " + esc(t.m2) + "<br>" + fmt(p.m2 / M2_PER_MU) + " " + esc(t.mu) +
        "<br>" + fmt(p.m2 / 10000) + " " + esc(t.ha)],
      [t.street, esc(p.street || "—")],
      [t.status, '<span class="status status-' + esc(p.st) + '">' + esc(t.statuses[p.st] || p.st) + "</span>"]
    ];
    var body = rows.map(function (r) { return "<tr><th>" + esc(r[0]) + "</th><td>" + r[1] + "</td></tr>"; }).join("");
    return '<table class="popup-facts">' + body + '</table><a class="button primary popup-link" href="' + esc(url) + '">' +
      esc(t.details) + " ›</a>";
  }

  function addParcelLayer(map, islandId) {
    var island = readIsland(islandId);
    var data = island.data;
    var options = island.options;
    var t = options.texts;
    state.map = map;
    var layer = L.geoJSON(data, {
      style: function (f) { return styleFor(options, f, f.id === options.selectedId); },
      onEachFeature: function (f, l) {
        var p = f.properties;
        state.layers[f.id] = l;
        l.bindTooltip(esc(p.code) + " · " + esc(t.landUses[p.lu] || p.lu) + " · " +
          fmt(p.m2 / M2_PER_MU) + " " + esc(t.mu), { sticky: true });
        l.bindPopup(popupHtml(p, t, options.parcelUrl, f.id), POPUP_OPTIONS);
      }
    }).addTo(map);
    if (options.bounds) {  // start at the parcels' extent, without an opening zoom animation
      map.fitBounds(options.bounds, { animate: false, padding: [8, 8], maxZoom: 17 });
    }
    map.getContainer().setAttribute("data-parcel-count", String(data.features.length));
    return layer;
  }

  // The legend's section of context layers (webapp.maps.context_layers): a swatch drawn as a
  // dot, a line, an area or an outline, the layer's kind and its title.
  function contextLegend(context) {
    var rows = context.items.map(function (i) {
      var title = i.title && i.title !== i.label ? ' <span class="muted">' + esc(i.title) + "</span>" : "";
      return '<li><span class="swatch swatch-' + esc(i.swatch) + '" style="--swatch:' + esc(i.color) + '"></span>' +
        esc(i.label) + title + "</li>";
    }).join("");
    return '<p class="legend-heading">' + esc(context.title) + '</p><ul class="legend-context">' + rows + "</ul>";
  }

  function addLegend(map, islandId) {
    var island = readIsland(islandId);
    var items = island.items;
    var title = island.title;
    var control = L.control({ position: "bottomright" });
    control.onAdd = function () {
      var div = L.DomUtil.create("details", "map-legend");
      if (window.matchMedia("(min-width: 768px)").matches) { div.open = true; }
      var rows = items.map(function (i) {
        return '<li><span class="swatch" style="background:' + esc(i.color) + '"></span>' + esc(i.label) + "</li>";
      }).join("");
      div.innerHTML = "<summary>" + esc(title) + "</summary>" + (rows ? "<ul>" + rows + "</ul>" : "") +
        (island.context ? contextLegend(island.context) : "");
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      return div;
    };
    control.addTo(map);
  }

  function zoomTo(id) {
    var layer = state.layers[id];
    var map = state.map;
    if (!layer || !map) { return false; }
    function show() {
      map.fitBounds(layer.getBounds(), { maxZoom: 17, padding: [24, 24] });
      layer.openPopup();
    }
    // Leaflet ignores a new zoom while a zoom animation runs (the page's first fitBounds, or
    // a previous tap): wait for it to end, else the popup opens on an unzoomed map.
    if (map._animatingZoom) { map.once("zoomend", show); } else { show(); }
    return true;
  }

  window.landgis = { addParcelLayer: addParcelLayer, addLegend: addLegend, zoomTo: zoomTo,
    popupHtml: popupHtml, esc: esc, fmt: fmt, readIsland: readIsland, parcelHref: parcelHref,
    M2_PER_MU: M2_PER_MU, POPUP_OPTIONS: POPUP_OPTIONS };
})();
