/* landgis context layers: roads, the river, interchanges, street boundaries... drawn under the
   parcels from the combined context vector tiles (one request per tile for every layer), each
   layer toggleable in Leaflet's layer control. Options come from a JSON data island
   (webapp.maps.context_layers); names from the tiles are text: HTML built here escapes each one.
   Needs Leaflet.VectorGrid and landgis/map.js. */
(function () {
  "use strict";
  var lg = window.landgis;
  var PANE = "landgisContext";
  var PANE_Z = 250;  // above the basemap (tilePane, 200), under the parcels (overlayPane, 400)
  var FAMILY_ORDER = { polygon: 0, line: 1, point: 2 };  // drawn first to last
  var FEATURE_CLASS = /\blandgis-cf-(\d+)\b/;
  var LAYER_NAME = /^[a-z0-9][a-z0-9_-]{0,39}$/;  // webapp.domain.context.LAYER_NAME

  // VectorGrid 1.2.0 draws a tile's features in their order: areas first, then lines, points.
  var ContextGrid = L.VectorGrid.Protobuf.extend({
    _getVectorTilePromise: function (coords, bounds) {
      var rank = this.options.drawRank;
      return L.VectorGrid.Protobuf.prototype._getVectorTilePromise.call(this, coords, bounds)
        .then(function (tile) {
          Object.keys(tile.layers).forEach(function (name) {
            var features = tile.layers[name].features || [];
            tile.layers[name].features = features
              .map(function (f, i) { return { rank: rank(f.properties), index: i, feature: f }; })
              .sort(function (a, b) { return a.rank - b.rank || a.index - b.index; })
              .map(function (entry) { return entry.feature; });
          });
          return tile;
        });
    }
  });

  // Features seen in tiles, by a number written into their path's class (landgis-cf-N).
  function FeatureRegistry() { this.index = {}; this.items = []; }
  FeatureRegistry.prototype.add = function (properties, layer) {
    var key = properties.layer + ":" + properties.id;
    if (this.index[key] === undefined) {
      this.index[key] = this.items.length;
      this.items.push({ properties: properties, layer: layer });
    }
    return this.index[key];
  };

  function styleFunction(byName, registry) {
    return function (properties) {
      var layer = byName[properties.layer];
      if (!layer) { return []; }  // a layer this page does not know: not drawn
      var number = registry.add(properties, layer);
      return L.extend({}, layer.style, { className: "landgis-context landgis-ctx-" + layer.name +
        " landgis-cf-" + number });
    };
  }

  // One <style> element hides each layer while the map container has its hide class, so a
  // toggle needs no tile to be fetched or drawn again (layer names are [a-z0-9_-]).
  function addHideRules(layers) {
    var style = document.createElement("style");
    style.textContent = layers.map(function (l) {
      return ".landgis-hide-ctx-" + l.name + " .landgis-ctx-" + l.name + " { display: none; }";
    }).join("\n");
    document.head.appendChild(style);
  }

  // A layer-control entry: adding it to the map shows the context layer, removing hides it.
  var LayerToggle = L.Layer.extend({
    initialize: function (name) { this._name = name; },
    onAdd: function (map) { L.DomUtil.removeClass(map.getContainer(), "landgis-hide-ctx-" + this._name); },
    onRemove: function (map) { L.DomUtil.addClass(map.getContainer(), "landgis-hide-ctx-" + this._name); }
  });

  function swatch(layer) {
    return '<span class="swatch swatch-' + lg.esc(layer.swatch) + '" style="--swatch:' + lg.esc(layer.color) + '"></span>';
  }

  function addLayerControl(map, layers, texts) {
    var overlays = {};
    layers.slice().reverse().forEach(function (layer) {  // points and lines on top of the list
      var toggle = new LayerToggle(layer.name).addTo(map);
      var kind = layer.label === layer.title ? "" : ' <span class="muted">' + lg.esc(layer.label) + "</span>";
      overlays['<span class="landgis-ctx-toggle" data-layer="' + lg.esc(layer.name) + '">' + swatch(layer) +
        lg.esc(layer.title) + kind + "</span>"] = toggle;
    });
    var control = L.control.layers(null, overlays, { position: "topright", collapsed: true });
    control.addTo(map);
    var toggleButton = control.getContainer().querySelector(".leaflet-control-layers-toggle");
    toggleButton.setAttribute("title", texts.control || "");
    toggleButton.setAttribute("aria-label", texts.control || "");
    return control;
  }

  /* Names (or classes) of context features as tooltips, on hover and on tap: the element under
     the pointer is found with elementsFromPoint, so it works under canvas parcel tiles too; a
     parcel on top wins. */

  function featureAt(map, registry, clientX, clientY) {
    var container = map.getContainer();
    var hits = document.elementsFromPoint(clientX, clientY);
    for (var i = 0; i < hits.length; i++) {
      var el = hits[i];
      if (!container.contains(el) || el.closest(".leaflet-control, .leaflet-popup, .leaflet-tooltip")) { return null; }
      var classes = el.getAttribute("class") || "";
      var found = FEATURE_CLASS.exec(classes);
      if (found) { return registry.items[Number(found[1])]; }
      // A parcel path, or a parcel tile canvas while a parcel is under the pointer.
      if (/\bleaflet-interactive\b/.test(classes)) { return null; }
    }
    return null;
  }

  function tooltipHtml(entry) {
    var p = entry.properties;
    var name = p.name || p["class"];
    var label = entry.layer.title === entry.layer.label ? entry.layer.label :
      entry.layer.label + " · " + entry.layer.title;
    return (name ? "<strong>" + lg.esc(name) + "</strong><br>" : "") + lg.esc(label);
  }

  function addTooltips(map, registry) {
    // "auto": right of the pointer in the map's left half, left of it in the right half, so
    // a feature near the edge keeps its name on the map.
    var tip = L.tooltip({ direction: "auto", offset: [8, 0], className: "landgis-context-tip" });
    var shown = null;
    function show(event) {
      var original = event.originalEvent;
      if (!original || original._stopped) { return; }  // a parcel tile took the click
      var entry = featureAt(map, registry, original.clientX, original.clientY);
      if (!entry || !(entry.properties.name || entry.properties["class"])) { hide(); return; }
      if (entry !== shown || !map.hasLayer(tip)) {
        tip.setContent(tooltipHtml(entry));
        shown = entry;
      }
      tip.setLatLng(event.latlng);
      if (!map.hasLayer(tip)) { map.openTooltip(tip); }
    }
    var pending = null;  // the last mousemove, looked at once per animation frame
    function hide() {
      shown = null;
      pending = null;
      if (map.hasLayer(tip)) { map.closeTooltip(tip); }
    }
    map.on("mousemove", function (event) {
      if (pending === null) {
        L.Util.requestAnimFrame(function () {
          var last = pending;
          pending = null;
          if (last) { show(last); }
        });
      }
      pending = event;
    });
    map.on("click", show);
    map.on("mouseout zoomstart popupopen", hide);
  }

  function addContextLayers(map, islandId) {
    var options = lg.readIsland(islandId);
    var byName = {};
    // Names go into class names and CSS rules: only the store's plain names are drawn.
    options.layers = options.layers.filter(function (l) { return LAYER_NAME.test(l.name); });
    options.layers.forEach(function (l) { byName[l.name] = l; });
    map.createPane(PANE).style.zIndex = String(PANE_Z);
    L.DomUtil.addClass(map.getContainer(), "landgis-has-context");
    addHideRules(options.layers);
    var registry = new FeatureRegistry();
    var styles = {};
    styles[options.tileLayer] = styleFunction(byName, registry);
    var grid = new ContextGrid(options.tileUrl, {
      rendererFactory: L.svg.tile, vectorTileLayerStyles: styles, interactive: true,
      pane: PANE, maxZoom: map.getMaxZoom(), className: "landgis-context-tiles",
      bounds: options.bounds ? L.latLngBounds(options.bounds) : undefined,
      drawRank: function (p) {
        var layer = byName[p.layer];
        return layer ? FAMILY_ORDER[layer.family] : 0;
      }
    });
    var container = map.getContainer();
    grid.on("load", function () {  // every visible context tile is in: tests wait for it
      container.setAttribute("data-context-loaded", String(Number(container.getAttribute("data-context-loaded") || 0) + 1));
    });
    // Added once the page's script has run: the parcel layer sets the view first, so no tile
    // of folium's opening view is asked for in vain.
    setTimeout(function () { grid.addTo(map); }, 0);
    addLayerControl(map, options.layers, options.texts);
    addTooltips(map, registry);
    return grid;
  }

  lg.addContextLayers = addContextLayers;
})();
