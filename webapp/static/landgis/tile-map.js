/* landgis tile map (large districts): parcels from vector tiles styled by land use in the browser,
   popups and the result list loaded from the API. Needs Leaflet.VectorGrid and landgis/map.js. */
(function () {
  "use strict";
  var lg = window.landgis;
  // Leaflet.VectorGrid 1.2.0's canvas tiles call L.DomEvent._fakeStop on click, which Leaflet 1.8
  // removed; Leaflet 1.9 reads the same flag (_stopped) to stop a DOM event reaching the map.
  if (window.L && !L.DomEvent._fakeStop) {
    L.DomEvent._fakeStop = function (event) { event._stopped = true; };
  }
  var state = { map: null, layer: null, options: null, selected: null, items: {}, offset: 0 };

  function colorOf(options, landUse) {
    var code = String(landUse || "");
    for (var n = code.length; n >= 2; n -= 2) {  // a sub-class falls back to its parent's colour
      if (options.colors[code.slice(0, n)]) { return options.colors[code.slice(0, n)]; }
    }
    return "#9e9e9e";
  }

  function styleFor(options, landUse, selected) {
    return {
      fill: true, fillColor: colorOf(options, landUse), fillOpacity: 0.65,
      color: selected ? "#d50000" : "#37474f", weight: selected ? 3 : 1, opacity: 0.9
    };
  }

  function popupFields(p) {  // API item properties -> the fields of the embedded map's popup
    return { code: p.code, name: p.name, lu: p.land_use, m2: p.area_m2, street: p.street, st: p.status };
  }

  function fetchJson(url) {
    return fetch(url, { headers: { Accept: "application/geo+json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status + " " + url); }
        return response.json();
      });
  }

  function select(id, landUse) {
    var o = state.options;
    if (state.selected !== null) { state.layer.resetFeatureStyle(state.selected); }
    state.selected = id;
    var style = styleFor(o, landUse, true);
    state.layer.setFeatureStyle(id, style);
    state.layer._overriddenStyles[id] = style;  // VectorGrid 1.2.0 stores {} when no tile is loaded
  }

  function openParcelPopup(latlng, feature) {
    var o = state.options;
    return L.popup(lg.POPUP_OPTIONS).setLatLng(latlng)
      .setContent(lg.popupHtml(popupFields(feature.properties), o.texts, o.parcelUrl, feature.id))
      .openOn(state.map);
  }

  function onParcelClick(event) {
    var o = state.options;
    var p = event.layer.properties;
    var id = p[o.idAttribute];
    if (id === undefined) { return; }
    select(id, p[o.landUseAttribute]);
    var popup = L.popup(lg.POPUP_OPTIONS).setLatLng(event.latlng)
      .setContent('<p class="muted">' + lg.esc(o.texts.loading) + "</p>").openOn(state.map);
    fetchJson(o.itemUrl.replace("__ID__", encodeURIComponent(id))).then(function (feature) {
      popup.setContent(lg.popupHtml(popupFields(feature.properties), o.texts, o.parcelUrl, feature.id));
    }).catch(function () {
      popup.setContent('<p class="notice">' + lg.esc(o.texts.loadError) + "</p>");
    });
  }

  function addHoverTooltip(map, layer, options) {
    var t = options.texts;
    var tip = L.tooltip({ direction: "top", offset: [0, -4] });
    layer.on("mouseover", function (event) {
      var p = event.layer.properties;
      var landUse = p[options.landUseAttribute];
      var text = lg.esc(p.code) + " · " + lg.esc(t.landUses[landUse] || landUse) +
        (p.area_mu !== undefined ? " · " + lg.fmt(p.area_mu) + " " + lg.esc(t.mu) : "");
      tip.setLatLng(event.latlng).setContent(text);
      map.openTooltip(tip);
    });
    function close() { map.closeTooltip(tip); }
    layer.on("mouseout remove", close);
    map.on("zoomstart", close);
  }

  // Distinct parcels in the loaded tiles (reads Leaflet.VectorGrid 1.2.0's tile renderers).
  function drawnParcelCount(layer) {
    var ids = {};
    Object.keys(layer._vectorTiles || {}).forEach(function (key) {
      Object.keys(layer._vectorTiles[key]._features || {}).forEach(function (id) { ids[id] = true; });
    });
    return Object.keys(ids).length;
  }

  // Below minZoom the parcel layer is off (its tiles would be too heavy): outline the parcels'
  // extent and ask to zoom in. (The layer's own minZoom option would stop the map zooming out.)
  function addZoomHint(map, layer, options) {
    if (options.bounds) {
      L.rectangle(options.bounds, { interactive: false, fill: false, color: "#37474f", weight: 1, dashArray: "4 4", className: "landgis-extent" }).addTo(map);
    }
    var hint = L.DomUtil.create("div", "map-hint", map.getContainer());
    hint.setAttribute("role", "status");
    hint.textContent = options.texts.zoomIn;
    function update() {
      var detailed = map.getZoom() >= options.minZoom;
      hint.hidden = detailed;
      if (detailed && !map.hasLayer(layer)) { layer.addTo(map); }
      if (!detailed && map.hasLayer(layer)) { map.removeLayer(layer); }
    }
    map.on("zoomend", update);
    update();
  }

  function addTileLayer(map, islandId) {
    var options = lg.readIsland(islandId);
    state.map = map;
    state.options = options;
    var styles = {};
    styles[options.layer] = function (properties) {
      return styleFor(options, properties[options.landUseAttribute], false);
    };
    var layer = L.vectorGrid.protobuf(options.tileUrl, {
      rendererFactory: L.canvas.tile, vectorTileLayerStyles: styles, interactive: true,
      getFeatureId: function (f) { return f.properties[options.idAttribute]; },
      maxZoom: map.getMaxZoom(), className: "landgis-parcel-tiles",
      pane: "overlayPane"  // above the basemap and the context layers (context-layers.js)
    });
    state.layer = layer;
    var container = map.getContainer();
    layer.on("click", onParcelClick);
    var drawnTiles = 0;
    layer.on("tileload", function () { container.setAttribute("data-tiles-drawn", String(++drawnTiles)); });
    layer.on("load", function () {  // every visible tile is in: tests and benchmarks wait for it
      container.setAttribute("data-parcel-count", String(drawnParcelCount(layer)));
      container.setAttribute("data-tiles-loaded", String(Number(container.getAttribute("data-tiles-loaded") || 0) + 1));
    });
    addHoverTooltip(map, layer, options);
    if (options.bounds) {  // start at the parcels' extent, without an opening zoom animation
      map.fitBounds(options.bounds, { animate: false, padding: [8, 8], maxZoom: 17 });
      if (map.getZoom() < options.minZoom) {  // a large district: start at its centre instead
        map.setView(L.latLngBounds(options.bounds).getCenter(), options.minZoom, { animate: false });
      }
    }
    if (options.minZoom) { addZoomHint(map, layer, options); } else { layer.addTo(map); }
    startList(options);
    return layer;
  }

  /* Result list: count, total area and pages of parcels from the items API. */

  function listItem(feature, options) {
    var t = options.texts;
    var p = feature.properties;
    var url = lg.parcelHref(options.parcelUrl, p.code, feature.id);
    var li = document.createElement("li");
    li.innerHTML = '<button type="button" class="result" data-parcel-id="' + lg.esc(feature.id) + '">' +
      '<span class="swatch" style="background: ' + lg.esc(colorOf(options, p.land_use)) + '"></span>' +
      '<span class="result-main"><strong>' + lg.esc(p.code) + "</strong> " + lg.esc(p.name || "") +
      '<br><span class="muted">' + lg.esc(t.landUses[p.land_use] || p.land_use) + " · " +
      lg.fmt(p.area_mu) + " " + lg.esc(t.mu) + " · " + lg.esc(p.street || "") + "</span></span>" +
      '<span class="status status-' + lg.esc(p.status) + '">' + lg.esc(t.statuses[p.status] || p.status) +
      "</span></button>" + '<a class="result-link" href="' + lg.esc(url) + '" aria-label="' +
      lg.esc(t.details + " " + p.code) + '">›</a>';
    return li;
  }

  function showSummary(collection, options) {
    var t = options.texts;
    var summary = document.getElementById("result-summary");
    var matched = collection.numberMatched;
    var text = (matched === 1 ? t.summaryOne : t.summaryOther).replace("__NUM__", String(matched))
      .replace("__MU__", lg.fmt((collection.totalAreaM2 || 0) / lg.M2_PER_MU));
    summary.textContent = text;
    summary.setAttribute("data-count", String(matched));
    summary.removeAttribute("data-loading");
  }

  function showPage(collection, options) {
    var list = document.getElementById("result-list");
    collection.features.forEach(function (feature) {
      state.items[feature.id] = feature;
      list.appendChild(listItem(feature, options));
    });
    state.offset += collection.numberReturned;
    var more = document.getElementById("list-more");
    if (more) {
      more.hidden = state.offset >= collection.numberMatched;
      document.getElementById("list-range").textContent = options.texts.listRange
        .replace("__SHOWN__", String(state.offset)).replace("__TOTAL__", String(collection.numberMatched));
    }
  }

  function loadListPage(options) {
    var separator = options.itemsUrl.indexOf("?") < 0 ? "?" : "&";
    var url = options.itemsUrl + separator + "limit=" + options.pageSize + "&offset=" + state.offset;
    var button = document.getElementById("list-more-button");
    if (button) { button.disabled = true; }
    return fetchJson(url).then(function (collection) {
      if (state.offset === 0) { showSummary(collection, options); }
      showPage(collection, options);
    }).catch(function () {
      document.getElementById("result-summary").textContent = options.texts.loadError;
    }).then(function () {
      if (button) { button.disabled = false; }
    });
  }

  function startList(options) {
    if (!document.getElementById("result-list")) { return; }
    var button = document.getElementById("list-more-button");
    if (button) { button.addEventListener("click", function () { loadListPage(options); }); }
    loadListPage(options);
  }

  // List items zoom to their parcel (bbox of its geometry from the API) and open its popup;
  // filters.js calls landgis.zoomTo on a list click.
  var embeddedZoomTo = lg.zoomTo;
  function zoomTo(id) {
    var feature = state.items[id];
    if (!feature || !state.map) { return embeddedZoomTo(id); }
    if (!feature.geometry) { return false; }
    var bounds = L.geoJSON(feature).getBounds();
    state.map.fitBounds(bounds, { animate: false, maxZoom: 17, padding: [24, 24] });
    select(feature.id, feature.properties.land_use);
    openParcelPopup(bounds.getCenter(), feature);
    return true;
  }

  lg.addTileLayer = addTileLayer;
  lg.zoomTo = zoomTo;
})();
