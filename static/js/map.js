/*
 * The city map: Leaflet for the map, Supercluster for clustering in a Web Worker
 * (static/js/map-worker.js: it fetches and parses the compact points feed and clusters there,
 * so 100,000 merchants never block the page), names for the markers in view from the labels
 * endpoint, details for a popup from the detail endpoint. Filters live in a normal GET form that
 * also works without JavaScript (it then filters the server-rendered list); with JavaScript the
 * map and the list follow the form (the list is fetched again from the same page and swapped
 * in), and the URL follows the filters, so a filtered view can be shared and survives reload.
 * "Search this area" adds the visible bounds as a filter (bbox); "Near me" sorts the list by
 * distance (the position is sent with the list request only, never put into the address bar).
 * Keyboard: markers and clusters are named buttons (Enter or Space opens the popup or zooms
 * in), a skip link leads past the map, and re-drawing keeps the markers that stay in view.
 * Words come from the JSON element #map-labels ({% map_labels %}). Shared helpers and the worker's
 * client are in map-common.js, the list, its filters and "near me" in map-list.js.
 */
(function () {
  "use strict";

  var M = window.PortalMap;
  var label = M.label;
  var counted = M.counted;
  var byId = M.byId;
  var onActivate = M.onActivate;
  var germanControls = M.germanControls;
  var addTiles = M.addTiles;
  var filterParams = M.filterParams;
  var applyParamsToForm = M.applyParamsToForm;
  var clusterIcon = M.clusterIcon;
  var keyOf = M.keyOf;
  var popupContent = M.popupContent;
  var Points = M.Points;

  function CityMap(container) {
    var data = container.dataset;
    this.container = container;
    this.form = byId(data.filterForm);
    this.status = byId(data.status);
    this.list = byId(data.list);
    this.nearStatus = byId(data.nearStatus);
    this.near = null;
    this.requests = { feed: 0, list: 0, render: 0, draw: 0 };
    this.points = new Points(data); // starts the worker: it loads Supercluster meanwhile
    this.loaded = false;
    this.labels = {}; // merchant id -> {name, url}, or null when the server knows none
    this.asking = {}; // merchant id -> the labels request under way
    this.map = L.map(container, { preferCanvas: true }).setView(
      [parseFloat(data.lat), parseFloat(data.lng)],
      parseInt(data.zoom || "13", 10)
    );
    var box = (data.bounds || "").split(",").map(parseFloat);
    if (box.length === 4 && box.every(isFinite)) {
      // An embed for an initiative opens on its merchants (west,south,east,north from the server).
      this.map.fitBounds(L.latLngBounds([box[1], box[0]], [box[3], box[2]]), { padding: [24, 24], maxZoom: 16, animate: false });
    }
    germanControls(this.map);
    addTiles(this.map, container);
    this.layer = L.layerGroup().addTo(this.map);
    this.markers = {};
    this.map.on("moveend", this.render.bind(this));

    var self = this;
    if (this.form) {
      applyParamsToForm(this.form, new URLSearchParams(window.location.search));
      this.form.addEventListener("change", function () { self.update(true); });
      this.form.addEventListener("submit", function (event) {
        event.preventDefault();
        self.update(true);
      });
    }
    var near = byId(data.nearMe);
    if (near && "geolocation" in navigator) {
      near.hidden = false;
      near.addEventListener("click", function () { self.locate(); });
    }
    var area = byId(data.areaSearch);
    if (area && this.form && this.list) {
      area.hidden = false;
      area.addEventListener("click", function () { self.searchArea(); });
    }
    if (this.list) this.listControls();
    this.viewToggle(byId(data.viewToggle));
    this.update(false);
  }

  Object.assign(CityMap.prototype, window.PortalMap.listView);

  CityMap.prototype.update = function (pushUrl) {
    var params = filterParams(this.form);
    if (pushUrl) {
      var query = params.toString();
      window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : ""));
      if (this.list) this.loadList(new URLSearchParams(params), false);
    }
    var self = this;
    var ticket = ++this.requests.feed;
    var inArea = params.has("bbox");
    // The compact feed; the GeoJSON feed where the page offers no other (names then come with it).
    var url = new URL(this.container.dataset.pointsUrl || this.container.dataset.feedUrl, window.location.href);
    params.forEach(function (value, key) { url.searchParams.set(key, value); });
    var preload = document.getElementById("map-points-preload");
    var loading;
    if (ticket === 1 && preload && preload.href === url.href) {
      // The page asked for this very feed while it was still being read (city_map.html); the
      // bytes go to the worker as they are (transferred, not copied) and are parsed there.
      loading = fetch(url.href)
        .then(function (response) {
          if (!response.ok) throw new Error("points " + response.status);
          return response.arrayBuffer();
        })
        .then(function (buffer) {
          return self.points.send({ type: "load", buffer: buffer, zoom: self.map.getZoom() }, [buffer]);
        });
    } else {
      loading = this.points.send({ type: "load", url: url.href, zoom: this.map.getZoom() });
    }
    loading
      .then(function (result) {
        if (ticket !== self.requests.feed) return; // a newer filter overtook this answer
        self.loaded = true;
        self.requests.draw += 1; // markers of the old points still to come: not any more
        self.layer.clearLayers();
        self.markers = {};
        self.announce(counted(inArea ? "inArea" : "found", result.count));
        if (pushUrl && !inArea && result.bounds) {
          // A visitor who filtered wants to see every result, not the old view.
          var b = result.bounds;
          self.map.fitBounds(L.latLngBounds([b[1], b[0]], [b[3], b[2]]), { padding: [24, 24], maxZoom: 16 });
        }
        self.render();
      })
      .catch(function () {
        if (ticket === self.requests.feed) self.announce(label("mapError"));
      });
  };

  CityMap.prototype.render = function () {
    if (!this.loaded) return;
    var self = this;
    var ticket = ++this.requests.render;
    var bounds = this.map.getBounds();
    this.points
      .send({
        type: "clusters",
        bbox: [bounds.getWest(), bounds.getSouth(), bounds.getEast(), bounds.getNorth()],
        zoom: Math.round(this.map.getZoom()),
      })
      .then(function (result) {
        if (ticket !== self.requests.render) return null; // the map moved on meanwhile
        // Groups and the merchants already named at once; the others once their names came.
        var unnamed = result.items.filter(function (item) { return !item[0] && !(item[1] in self.labels); });
        if (!unnamed.length) return result.items;
        self.draw(result.items.filter(function (item) { return item[0] || item[1] in self.labels; }));
        return self.names(unnamed.map(function (item) { return item[1]; })).then(function () { return result.items; });
      })
      .then(function (items) {
        if (items && ticket === self.requests.render) self.draw(items);
      })
      .catch(function () {
        if (ticket === self.requests.render) self.announce(label("mapError"));
      });
  };

  CityMap.prototype.names = function (ids) {
    // Names and addresses of the single markers in view, in batches the server accepts (500),
    // each merchant asked for once; drawing waits for them so that every button has its name.
    var self = this;
    var missing = ids.filter(function (id) { return !(id in self.labels) && !self.asking[id]; });
    for (var i = 0; i < missing.length; i += 500) {
      this.askNames(missing.slice(i, i + 500));
    }
    return Promise.all(ids.map(function (id) { return self.asking[id]; }).filter(Boolean));
  };

  CityMap.prototype.askNames = function (batch) {
    var self = this;
    var url = this.container.dataset.labelsUrl;
    var asked = url
      ? fetch(url + "?ids=" + batch.join(","), { headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) throw new Error("labels " + response.status);
          return response.json();
        })
      : this.points.send({ type: "labels", ids: batch });
    var request = asked
      .then(function (data) {
        batch.forEach(function (id) { self.labels[id] = data.labels[String(id)] || null; });
      })
      .catch(function () {}) // drawn with a general name; asked again on the next draw
      .then(function () {
        batch.forEach(function (id) { delete self.asking[id]; });
      });
    batch.forEach(function (id) { self.asking[id] = request; });
  };

  CityMap.prototype.draw = function (items) {
    var self = this;
    var drawing = ++this.requests.draw;
    var wanted = {};
    items.forEach(function (item) { wanted[keyOf(item)] = true; });
    // Keep the markers that stay: a marker removed while focused would drop keyboard focus to
    // the top of the page (it goes to the map instead).
    Object.keys(this.markers).forEach(function (key) {
      if (wanted[key]) return;
      var el = self.markers[key].getElement();
      if (el && el === document.activeElement) self.container.focus({ preventScroll: true });
      self.layer.removeLayer(self.markers[key]);
      delete self.markers[key];
    });
    var fresh = items.filter(function (item) { return !self.markers[keyOf(item)]; });
    var next = 0;
    (function addSome() {
      if (drawing !== self.requests.draw) return; // a newer drawing took over
      // Some hundred markers are a lot of DOM at once: added in slices of about 20 ms, so that
      // the page keeps answering the visitor (and a slow phone) in between.
      var started = Date.now();
      while (next < fresh.length && Date.now() - started < 20) {
        var key = keyOf(fresh[next]);
        if (!self.markers[key]) self.markers[key] = self.marker(fresh[next]).addTo(self.layer);
        next += 1;
      }
      if (next < fresh.length) setTimeout(addSome, 0);
      else self.drawn();
    })();
  };

  CityMap.prototype.drawn = function () {
    if (this.focusNext === undefined) return;
    // After a zoom into a group by keyboard: its first member, else the marker nearest to
    // where the group was (the map's centre now).
    var target = this.markers[this.focusNext] || this.nearest(this.map.getCenter());
    (target ? target.getElement() : this.container).focus({ preventScroll: true });
    this.focusNext = undefined;
  };

  CityMap.prototype.nearest = function (latlng) {
    var best = null;
    var bestDistance = Infinity;
    var markers = this.markers;
    Object.keys(markers).forEach(function (key) {
      var distance = latlng.distanceTo(markers[key].getLatLng());
      if (distance < bestDistance) {
        best = markers[key];
        bestDistance = distance;
      }
    });
    return best;
  };

  CityMap.prototype.marker = function (item) {
    var self = this;
    var clusterId = item[0];
    var id = item[1];
    var latlng = [item[3], item[2]];
    var known = this.labels[id];
    var name = clusterId ? counted("cluster", item[4]) : (known && known.name) || label("more");
    // DOM markers rather than canvas: they can be reached by keyboard and are announced by
    // name. Supercluster keeps their number small whatever the zoom.
    var marker = L.marker(latlng, {
      icon: clusterId
        ? clusterIcon(item[4])
        : L.divIcon({ className: "map-point", iconSize: L.point(22, 22) }),
      title: name,
      keyboard: true,
      autoPanOnFocus: false, // panning re-draws the markers under the keyboard's focus
      riseOnHover: !clusterId,
    });
    var activate = clusterId
      ? function (byKeyboard) { self.zoomInto(clusterId, latlng, byKeyboard); }
      : function (byKeyboard) { self.openPopup(id, marker, byKeyboard); };
    marker.on("click", function () { activate(false); });
    marker.on("add", function () {
      var el = marker.getElement();
      el.setAttribute("aria-label", name);
      onActivate(el, function () { activate(true); });
    });
    return marker;
  };

  CityMap.prototype.zoomInto = function (clusterId, latlng, byKeyboard) {
    var self = this;
    this.points.send({ type: "expansion", clusterId: clusterId }).then(function (result) {
      if (byKeyboard) {
        // Focus follows into the group: its first member, once the map has zoomed and drawn.
        self.map.once("moveend", function () { self.focusNext = result.first; });
      }
      self.map.flyTo(latlng, Math.min(result.zoom, 18), { animate: !byKeyboard });
    });
  };

  CityMap.prototype.openPopup = function (id, marker, byKeyboard) {
    var self = this;
    var url = this.container.dataset.detailUrl.replace(/0$/, String(id));
    var known = this.labels[id] || {};
    var popup = L.popup({ autoPanPadding: L.point(24, 24) })
      .setLatLng(marker.getLatLng())
      .setContent(popupContent(this.container, { name: known.name, category: "", url: known.url }))
      .openOn(this.map);
    var focusLink = function () {
      var link = popup.getElement() && popup.getElement().querySelector(".map-popup__link");
      if (link) link.focus({ preventScroll: true });
    };
    if (byKeyboard) {
      focusLink();
      var el = popup.getElement();
      el.addEventListener("keydown", function (event) {
        if (event.key === "Escape") self.map.closePopup(popup);
      });
      popup.on("remove", function () {
        // Back to the marker the visitor came from, not to the top of the page.
        var icon = marker.getElement();
        if (icon && el.contains(document.activeElement)) icon.focus({ preventScroll: true });
      });
    }
    fetch(url)
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (detail) {
        if (!detail) return;
        var hadFocus = popup.getElement() && popup.getElement().contains(document.activeElement);
        popup.setContent(popupContent(self.container, detail));
        if (hadFocus) focusLink();
      });
  };

  document.querySelectorAll("[data-city-map]").forEach(function (el) { el.cityMap = new CityMap(el); });
})();
