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
  var state = { map: null, layer: null, options: null, selected: null };

  function colorOf(options, landUse) {
    var code = String(landUse || "");
    for (var n = code.length; n >= 2; n -= 2) {  // a sub-class falls back to its parent's colour
      if (options.colors[code.slice(0, n)]) { return options.colors[code.slice(0, n)]; }
    }
    return "#9e9e9e";
  }

  function styleFor(options, landUse, selected, status) {
    return lg.statusStyle(colorOf(options, landUse), status, selected);
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

  function select(id, landUse, status) {
    var o = state.options;
    if (state.selected !== null) { state.layer.resetFeatureStyle(state.selected); }
    state.selected = id;
    var style = styleFor(o, landUse, true, status);
    state.layer.setFeatureStyle(id, style);
    state.layer._overriddenStyles[id] = style;  // VectorGrid 1.2.0 stores {} when no tile is loaded
  }

  function onParcelClick(event) {
    var o = state.options;
    var p = event.layer.properties;
    var id = p[o.idAttribute];
    if (id === undefined) { return; }
    select(id, p[o.landUseAttribute], p.status);
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
    lg.state.statuses = options.texts.statuses;  // the legend's status section (map.js)
    lg.state.statusTitle = options.texts.status;
    var styles = {};
    styles[options.layer] = function (properties) {
      return styleFor(options, properties[options.landUseAttribute], false, properties.status);
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
    return layer;
  }

  // A filter applied in place (filters.js): the tiles are asked for again with its query.
  function setTileUrl(url) {
    if (!state.layer) { return false; }
    state.selected = null;
    state.layer._overriddenStyles = {};
    state.layer._url = url;  // Leaflet.VectorGrid 1.2.0's Protobuf layer has no setUrl
    state.layer.redraw();
    return true;
  }

  // A list item (filters.js: id, bbox in CRS84, landUse, status) zooms to its parcel, which is
  // selected, and opens its popup with the details from the API.
  var embeddedZoomTo = lg.zoomTo;
  function zoomTo(id, item) {
    if (!state.map || !item || !item.bbox) { return embeddedZoomTo(id); }
    var b = item.bbox;
    var bounds = L.latLngBounds([[b[1], b[0]], [b[3], b[2]]]);
    state.map.fitBounds(bounds, { animate: false, maxZoom: 17, padding: [24, 24] });
    select(item.id, item.landUse, item.status);
    var o = state.options;
    var popup = L.popup(lg.POPUP_OPTIONS).setLatLng(bounds.getCenter())
      .setContent('<p class="muted">' + lg.esc(o.texts.loading) + "</p>").openOn(state.map);
    fetchJson(o.itemUrl.replace("__ID__", encodeURIComponent(id))).then(function (feature) {
      popup.setContent(lg.popupHtml(popupFields(feature.properties), o.texts, o.parcelUrl, feature.id));
    }).catch(function () {
      popup.setContent('<p class="notice">' + lg.esc(o.texts.loadError) + "</p>");
    });
    return true;
  }

  lg.addTileLayer = addTileLayer;
  lg.zoomTo = zoomTo;
  lg.setTileUrl = setTileUrl;
})();
