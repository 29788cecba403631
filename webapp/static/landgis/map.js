/* landgis map code: parcel layer styled by land use, legend, and list-to-map links.
   Data comes from JSON data islands (<script type="application/json" id="…">) that the page
   renders; every value is text: HTML built here escapes each one with esc(). */
(function () {
  "use strict";
  var M2_PER_MU = 10000 / 15;
  // Popups open clear of the zoom/fullscreen/locate buttons down the map's left edge (Leaflet
  // draws controls above popups; on a phone they covered the popup's labels; 44 px there).
  var POPUP_OPTIONS = { maxWidth: 280, autoPanPaddingTopLeft: [68, 12],
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

  // Availability drawn on the map: available parcels strongly outlined, negotiating dashed,
  // reserve dotted, sold faded (the legend's status section shows the same).
  var STATUS_STYLES = {
    available: { color: "#1b5e20", weight: 2.5, opacity: 1, fillOpacity: 0.75 },
    negotiating: { color: "#e65100", weight: 2, opacity: 1, dashArray: "6 4", fillOpacity: 0.55 },
    reserve: { color: "#0b3d91", weight: 1.5, opacity: 0.9, dashArray: "2 4", fillOpacity: 0.35 },
    sold: { color: "#9e9e9e", weight: 1, opacity: 0.8, fillOpacity: 0.12 }
  };

  function statusStyle(fillColor, status, selected) {
    var base = STATUS_STYLES[status] || { color: "#37474f", weight: 1, opacity: 0.9, fillOpacity: 0.65 };
    var style = { fill: true, fillColor: fillColor, color: base.color, weight: base.weight,
      opacity: base.opacity, fillOpacity: base.fillOpacity, dashArray: base.dashArray || null };
    if (selected) { style.color = "#d50000"; style.weight = 4; style.opacity = 1; style.dashArray = null; }
    return style;
  }

  function styleFor(options, feature, selected) {
    return statusStyle(options.colors[feature.properties.lu] || "#9e9e9e", feature.properties.st, selected);
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
    state.statuses = t.statuses;
    state.statusTitle = t.status;
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
    state.parcelLayer = layer;
    return layer;
  }

  // A filter applied in place (filters.js): the layer's parcels replaced, the map fitted to
  // the new parcels' bounds ([[south, west], [north, east]]) when there are any.
  function setParcels(featureCollection, bounds) {
    var layer = state.parcelLayer;
    if (!layer) { return false; }
    layer.clearLayers();
    state.layers = {};
    layer.addData(featureCollection);
    state.map.getContainer().setAttribute("data-parcel-count", String(featureCollection.features.length));
    if (bounds) { state.map.fitBounds(bounds, { animate: false, padding: [8, 8], maxZoom: 17 }); }
    return true;
  }

  // The legend's status section: one swatch per status, drawn as the map draws it.
  function statusLegend(container) {
    if (!state.statuses) { return; }
    var heading = L.DomUtil.create("p", "legend-heading", container);
    heading.textContent = state.statusTitle || "";
    var list = L.DomUtil.create("ul", "legend-status", container);
    Object.keys(state.statuses).forEach(function (status) {
      var item = L.DomUtil.create("li", "", list);
      L.DomUtil.create("span", "swatch swatch-status swatch-status-" + status, item);
      item.appendChild(document.createTextNode(state.statuses[status]));
    });
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
      statusLegend(div);
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
    setParcels: setParcels, statusStyle: statusStyle, state: state,
    popupHtml: popupHtml, esc: esc, fmt: fmt, readIsland: readIsland, parcelHref: parcelHref,
    M2_PER_MU: M2_PER_MU, POPUP_OPTIONS: POPUP_OPTIONS };
})();
