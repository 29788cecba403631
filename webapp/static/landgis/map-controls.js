/* landgis map controls in the page's language: zoom, a metric scale bar, full screen and
   locate-me, with Leaflet's own fixed texts (attribution, layer switch, popup close) translated.
   Texts come from a JSON data island (webapp.maps.controls.MapControls); a location error is
   shown inside the map as text, never with alert(). Needs Leaflet.fullscreen and
   Leaflet.Locate. */
(function () {
  "use strict";
  var lg = window.landgis = window.landgis || {};
  var MESSAGE_MS = 10000;  // how long a location message stays unless closed

  function text(texts, key) {
    return texts[key] === undefined || texts[key] === null ? "" : String(texts[key]);
  }

  function label(element, value) {
    if (element && value) {
      element.title = value;
      element.setAttribute("aria-label", value);
    }
  }

  // One message box per map, in the map's top centre: role=alert reads it out once shown.
  function showMessage(map, message) {
    var box = map._landgisMessage;
    if (!box) {
      box = map._landgisMessage = L.DomUtil.create("div", "map-message", map.getContainer());
      box.setAttribute("role", "alert");
      var words = L.DomUtil.create("span", "map-message-text", box);
      var close = L.DomUtil.create("button", "map-message-close", box);
      close.type = "button";
      close.textContent = "×";
      label(close, map._landgisTexts.close);
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.on(close, "click", function () { box.hidden = true; });
      box._words = words;
    }
    box._words.textContent = message;
    box.hidden = false;
    clearTimeout(box._timer);
    box._timer = setTimeout(function () { box.hidden = true; }, MESSAGE_MS);
  }

  function locationError(map, texts, error) {
    var reasons = { 1: "locationDenied", 2: "locationUnavailable", 3: "locationTimeout" };
    showMessage(map, text(texts, reasons[error && error.code] || "locationFailed"));
  }

  // The locate button as a real button: focusable (href), named (aria-label), translated.
  function locateButton(container, options) {
    var link = L.DomUtil.create("a", "leaflet-bar-part leaflet-bar-part-single", container);
    link.href = "#";
    link.setAttribute("role", "button");
    label(link, options.strings.title);
    var icon = L.DomUtil.create(options.iconElementTag, options.icon, link);
    icon.setAttribute("aria-hidden", "true");
    return { link: link, icon: icon };
  }

  function addFullscreen(map, texts) {
    var control = L.control.fullscreen({ position: "topleft", title: text(texts, "fullscreen"),
      titleCancel: text(texts, "fullscreenExit") }).addTo(map);
    // The plugin updates the title when toggled but not the aria-label.
    map.on("enterFullscreen exitFullscreen", function () { label(control.link, control.link.title); });
  }

  function addLocate(map, texts) {
    L.control.locate({
      position: "topleft", icon: "landgis-locate", iconLoading: "landgis-locate landgis-locate-loading",
      strings: { title: text(texts, "locate"), metersUnit: text(texts, "meters"),
        feetUnit: text(texts, "feet"), popup: text(texts, "locatePopup"),
        outsideMapBoundsMsg: text(texts, "locationOutside") },
      createButtonCallback: locateButton,
      onLocationError: function (error) { locationError(map, texts, error); },
      onLocationOutsideMapBounds: function (control) {
        control.stop();
        showMessage(map, text(texts, "locationOutside"));
      }
    }).addTo(map);
  }

  // Leaflet's fixed English texts that have no option: the layer switch's title and the popup
  // close button's label (set whenever a popup opens).
  function translateLeafletTexts(map, texts) {
    var links = map.getContainer().querySelectorAll(".leaflet-control-layers-toggle");
    Array.prototype.forEach.call(links, function (link) { label(link, text(texts, "layers")); });
    map.on("popupopen", function (event) {
      var element = event.popup.getElement();
      label(element && element.querySelector(".leaflet-popup-close-button"), text(texts, "closePopup"));
    });
    if (!map.attributionControl) { return; }
    var prefix = document.createElement("a");
    prefix.href = "https://leafletjs.com";
    prefix.title = text(texts, "leaflet");
    prefix.textContent = "Leaflet";
    map.attributionControl.setPrefix(prefix.outerHTML);
  }

  function addMapControls(map, islandId) {
    var island = JSON.parse(document.getElementById(islandId).textContent);
    var texts = island.texts || {};
    map._landgisTexts = { close: text(texts, "close") };
    L.control.zoom({ position: "topleft", zoomInTitle: text(texts, "zoomIn"),
      zoomOutTitle: text(texts, "zoomOut") }).addTo(map);
    if (island.full) {
      addFullscreen(map, texts);
      addLocate(map, texts);
    }
    L.control.scale({ position: "bottomleft", metric: true, imperial: false }).addTo(map);
    translateLeafletTexts(map, texts);
    // Controls before the panes in the page: Tab reaches the buttons before the parcels
    // (Leaflet appends them after the panes; their z-index keeps them drawn on top).
    var container = map.getContainer();
    container.insertBefore(map._controlContainer, container.firstChild);
  }

  lg.addMapControls = addMapControls;
  lg.showMapMessage = showMessage;
})();
