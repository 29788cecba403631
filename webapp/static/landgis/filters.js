/* Filter form applied in place: each change fetches the page's JSON (/map/data), updates the
   count, the list, the map and the field messages, and replaces the URL (history.replaceState)
   so it reproduces the view. Without this script the form submits as a plain GET. Data reaches
   the page only as text (textContent) and DOM properties, never as HTML. */
(function () {
  "use strict";
  var form = document.getElementById("filter-form");
  var island = document.getElementById("filter-texts");
  var texts = island ? JSON.parse(island.textContent) : {};
  var dataUrl = form ? form.getAttribute("data-url") : null;
  var pending = null;  // the AbortController of the request in flight
  var shown = { items: {}, offset: 0, query: "" };
  var ERROR_FIELDS = ["land_use", "area_min", "area_max", "street", "status", "q", "sort", "bbox"];

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function controls(selector) {
    return Array.prototype.slice.call(document.querySelectorAll(selector));
  }

  /* Whole classes and their sub-classes. */

  function classBox(code) {
    return form.querySelector("input[data-lu-class='" + CSS.escape(code) + "']");
  }

  function syncClasses(target) {
    var code = target.getAttribute("data-lu-class");
    if (code !== null) {  // a class ticks or clears every sub-class under it
      controls("input[data-lu-parent='" + CSS.escape(code) + "']").forEach(function (leaf) {
        leaf.checked = target.checked;
      });
      return;
    }
    var parent = target.getAttribute("data-lu-parent");
    if (parent === null || !classBox(parent)) { return; }
    var leaves = controls("input[data-lu-parent='" + CSS.escape(parent) + "']");
    classBox(parent).checked = leaves.every(function (leaf) { return leaf.checked; });
  }

  // The form's values without empty fields, and without sub-classes a ticked class covers.
  function formParams() {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, key) {
      var text = String(value).trim();
      if (text === "") { return; }
      if (key === "land_use") {
        var box = form.querySelector("input[name=land_use][value='" + CSS.escape(text) + "']");
        var parent = box && box.getAttribute("data-lu-parent");
        if (parent && classBox(parent) && classBox(parent).checked) { return; }
      }
      params.append(key, text);
    });
    return params;
  }

  // Set every control from query parameters (a widen link, or the reset with none).
  function setForm(params) {
    var landUses = params.getAll("land_use");
    controls("#filter-form input[type=checkbox]").forEach(function (box) {
      var values = params.getAll(box.name);
      box.checked = box.name === "land_use"
        ? landUses.some(function (code) { return box.value.indexOf(code) === 0; })
        : values.indexOf(box.value) >= 0;
    });
    controls("#filter-form input[type=number], #filter-form input[type=search]").forEach(function (input) {
      input.value = params.get(input.name) || "";
    });
    var street = document.getElementById("street");
    if (street) { street.value = params.get("street") || ""; }
    var sort = document.getElementById("sort");
    if (sort) { sort.value = params.get("sort") || sort.options[0].value; }
    controls("#filter-form input[name=bbox]").forEach(function (input) {
      if (!params.get("bbox")) { input.remove(); }
    });
  }

  /* Showing the JSON. */

  function showCount(data) {
    var count = document.getElementById("filter-count");
    var template = data.numberMatched === 1 ? texts.countOne : texts.countOther;
    count.textContent = template.replace("__NUM__", String(data.numberMatched));
    count.setAttribute("data-count", String(data.numberMatched));
    var active = document.getElementById("filter-active");
    if (active) {  // any filter but the order
      active.hidden = !data.query.some(function (pair) { return pair[0] !== "sort"; });
    }
    var summary = document.getElementById("result-summary");
    summary.textContent = data.summary;
    summary.setAttribute("data-count", String(data.numberMatched));
    summary.removeAttribute("data-loading");
  }

  function showErrors(data) {
    ERROR_FIELDS.forEach(function (name) {
      var note = document.getElementById("error-" + name);
      if (!note) { return; }
      var message = data.errors[name] || "";
      note.textContent = message;
      note.hidden = message === "";
    });
  }

  function showNotice(data) {
    var notice = document.getElementById("map-notice");
    var links = document.getElementById("map-notice-links");
    links.textContent = "";
    data.widen.forEach(function (widen) {
      var item = el("li");
      var link = el("a", null, widen.text);
      link.href = widen.href;
      item.appendChild(link);
      links.appendChild(item);
    });
    notice.hidden = data.widen.length === 0;
  }

  function showDownloads(data) {
    var query = new URLSearchParams(data.query).toString();
    controls("a[data-export]").forEach(function (link) {
      link.href = link.getAttribute("data-export") + (query ? "?" + query : "");
    });
  }

  function listItem(item) {
    var li = el("li");
    var button = el("button", "result");
    button.type = "button";
    button.setAttribute("data-parcel-id", String(item.id));
    button.setAttribute("data-status", item.status);
    var swatch = el("span", "swatch");
    swatch.style.background = item.color;
    var main = el("span", "result-main");
    main.appendChild(el("strong", null, item.code));
    main.appendChild(document.createTextNode(" " + item.name));
    main.appendChild(el("br"));
    var area = window.landgis ? window.landgis.fmt(item.areaMu) : String(item.areaMu);
    main.appendChild(el("span", "muted", item.landUseName + " · " + area + " " + texts.mu + " · " + item.street));
    button.appendChild(swatch);
    button.appendChild(main);
    button.appendChild(el("span", "status status-" + item.status, item.statusName));
    var link = el("a", "result-link", "›");
    link.href = item.url;
    link.setAttribute("aria-label", texts.details + " " + item.code);
    li.appendChild(button);
    li.appendChild(link);
    return li;
  }

  function showList(data, append) {
    var list = document.getElementById("result-list");
    if (!append) { list.textContent = ""; shown.items = {}; }
    data.items.forEach(function (item) {
      shown.items[item.id] = item;
      list.appendChild(listItem(item));
    });
    shown.offset = data.offset + data.items.length;
    var more = document.getElementById("list-more");
    if (more) {
      more.hidden = shown.offset >= data.numberMatched;
      document.getElementById("list-range").textContent = texts.listRange
        .replace("__SHOWN__", String(shown.offset)).replace("__TOTAL__", String(data.numberMatched));
    }
  }

  function showMap(data) {
    var lg = window.landgis;
    if (!lg) { return; }
    if (data.tileUrl && lg.setTileUrl) { lg.setTileUrl(data.tileUrl); }
    if (data.features && lg.setParcels) { lg.setParcels(data.features, data.bounds); }
  }

  function show(data, append, initial) {
    if (data.tooMany || (texts.mapMode === "none" && !texts.tileMode)) {
      window.location.assign(data.href);  // this map cannot change in place: load the page
      return;
    }
    shown.query = new URLSearchParams(data.query).toString();
    if (!append) {
      if (!initial) { window.history.replaceState(null, "", data.href); }
      showCount(data);
      showErrors(data);
      showNotice(data);
      showDownloads(data);
      if (!initial) { showMap(data); }
    }
    showList(data, append);
    form.setAttribute("data-applied", String(Number(form.getAttribute("data-applied") || 0) + 1));
  }

  function load(query, offset, initial) {
    if (pending) { pending.abort(); }
    pending = new AbortController();
    var params = new URLSearchParams(query);
    if (offset) { params.set("offset", String(offset)); }
    form.setAttribute("aria-busy", "true");
    return fetch(dataUrl + "?" + params.toString(), {
      headers: { Accept: "application/json" }, credentials: "same-origin", signal: pending.signal
    }).then(function (response) {
      if (!response.ok && response.status !== 400) { throw new Error("HTTP " + response.status); }
      return response.json();
    }).then(function (data) {
      show(data, offset > 0, initial);
    }).catch(function (error) {
      if (error.name === "AbortError") { return; }
      document.getElementById("filter-count").textContent = texts.loadError;
    }).then(function () { form.removeAttribute("aria-busy"); });
  }

  function apply() { load(formParams().toString(), 0); }

  if (form && dataUrl) {
    form.addEventListener("change", function (event) {
      if (event.target.matches("input[type=checkbox]")) { syncClasses(event.target); }
      apply();
    });
    form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });
    var sort = document.getElementById("sort");  // outside the form, owned by it (form=)
    if (sort && !form.contains(sort)) { sort.addEventListener("change", apply); }
    var reset = document.getElementById("filter-reset");
    if (reset) {
      reset.addEventListener("click", function (event) {
        event.preventDefault();
        setForm(new URLSearchParams());
        apply();
      });
    }
    var notice = document.getElementById("map-notice");
    if (notice) {
      notice.addEventListener("click", function (event) {
        var link = event.target.closest("a[href]");
        if (!link) { return; }
        event.preventDefault();
        var params = new URL(link.href).searchParams;
        setForm(params);
        load(params.toString(), 0);
      });
    }
    var moreButton = document.getElementById("list-more-button");
    if (moreButton) {
      moreButton.addEventListener("click", function () { load(shown.query, shown.offset); });
    }
    if (texts.tileMode) { load(window.location.search.slice(1), 0, true); }  // the list comes from JSON
  }

  var list = document.getElementById("result-list");
  if (list) {
    list.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-parcel-id]");
      if (!button || !window.landgis) { return; }
      var id = Number(button.getAttribute("data-parcel-id"));
      if (window.landgis.zoomTo(id, shown.items[id])) {
        var map = document.querySelector(".map-area");
        if (map && map.getBoundingClientRect().top < 0) { map.scrollIntoView({ behavior: "smooth" }); }
      }
    });
  }
})();
