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
 * Words come from the JSON element #map-labels ({% map_labels %}).
 */
(function () {
  "use strict";

  var FILTERS = ["category", "district", "initiative", "offers", "open_now", "q", "bbox"];
  var NARROW = "(max-width: 63.99rem)"; // one column: map and list one below the other

  var labelsElement = document.getElementById("map-labels");
  var LABELS = labelsElement ? JSON.parse(labelsElement.textContent) : {};

  function label(name, fallback) {
    return LABELS[name] || fallback || "";
  }

  function counted(name, count) {
    var forms = LABELS[name] || ["{count}", "{count}"];
    return forms[count === 1 ? 0 : 1].replace("{count}", String(count));
  }

  function byId(id) {
    return id ? document.getElementById(id) : null;
  }

  function text(tag, className, content) {
    var el = document.createElement(tag);
    if (className) el.className = className;
    if (content) el.textContent = content; // never innerHTML: names come from users
    return el;
  }

  function onActivate(el, handler) {
    el.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " " || event.key === "Spacebar") {
        event.preventDefault(); // Space would scroll the page
        event.stopPropagation();
        handler();
      }
    });
  }

  function germanControls(map) {
    // Leaflet's own English titles ("Zoom in") replaced by the page's language.
    map.zoomControl.remove();
    L.control.zoom({
      zoomInTitle: label("zoomIn", "Zoom in"),
      zoomOutTitle: label("zoomOut", "Zoom out"),
    }).addTo(map);
    if (map.attributionControl) map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
    map.on("popupopen", function (event) {
      var close = event.popup.getElement().querySelector(".leaflet-popup-close-button");
      if (close) {
        close.setAttribute("aria-label", label("closePopup", "Close popup"));
        close.title = label("closePopup", "Close popup");
      }
    });
  }

  function addTiles(map, container) {
    var url = container.dataset.tileUrl;
    if (!url) return;
    var failed = 0;
    L.tileLayer(url, {
      attribution: container.dataset.tileAttribution || "",
      maxZoom: 19,
    })
      .on("tileerror", function () {
        // Markers stay usable on a plain background when tiles cannot load (offline, blocked).
        failed += 1;
        if (failed === 1) container.classList.add("map--no-tiles");
      })
      .addTo(map);
  }

  function filterParams(form) {
    var params = new URLSearchParams();
    if (!form) return params;
    var data = new FormData(form);
    FILTERS.forEach(function (name) {
      var values = data.getAll(name).filter(Boolean);
      if (values.length) params.set(name, values.join(","));
    });
    return params;
  }

  function applyParamsToForm(form, params) {
    FILTERS.forEach(function (name) {
      var value = params.get(name);
      if (value === null) return;
      var values = value.split(",");
      form.querySelectorAll('[name="' + name + '"]').forEach(function (field) {
        if (field.type === "checkbox") field.checked = values.indexOf(field.value) !== -1;
        else field.value = value;
      });
    });
  }

  function clusterIcon(count) {
    var size = count < 10 ? 34 : count < 100 ? 40 : count < 1000 ? 48 : 56;
    return L.divIcon({
      html: "<span aria-hidden=\"true\">" + (count >= 1000 ? Math.round(count / 1000) + "k" : count) + "</span>",
      className: "map-cluster",
      iconSize: L.point(size, size),
    });
  }

  function keyOf(item) {
    // An item from the worker: [clusterId or 0, merchant id, lon, lat, count].
    return item[0] ? "c" + item[0] : "p" + item[1];
  }

  function popupContent(container, detail) {
    var box = text("div", "map-popup");
    box.appendChild(text("strong", "map-popup__name", detail.name));
    box.appendChild(text("div", "map-popup__category", detail.category));
    if (detail.intro) box.appendChild(text("p", "map-popup__intro", detail.intro));
    var link = text("a", "map-popup__link", label("more", "Mehr erfahren"));
    if (detail.url) link.href = detail.url;
    if (container.dataset.linkTarget) link.target = container.dataset.linkTarget;
    box.appendChild(link);
    return box;
  }

  function absolute(url) {
    return new URL(url, window.location.href).href; // a worker resolves against its own URL
  }

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = src;
      script.onload = resolve;
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }

  // The points and their clusters (map-worker.js): in a Web Worker, or, in browsers without
  // one, the same code on this thread. send() answers with a promise of the result.
  function Points(data) {
    var self = this;
    this.pending = {};
    this.ticket = 0;
    if (window.Worker) {
      try {
        this.worker = new Worker(data.workerUrl);
        this.worker.onmessage = function (event) { self.settle(event.data); };
        this.worker.onerror = function () { self.fail(); };
      } catch (error) {
        this.worker = null; // e.g. a policy that forbids workers
      }
    }
    if (!this.worker) {
      this.ready = loadScript(data.superclusterUrl)
        .then(function () { return loadScript(data.workerUrl); })
        .then(function () { self.local = new window.PortalMapPoints.Points(); });
    }
    this.send({ type: "init", supercluster: absolute(data.superclusterUrl) });
  }

  Points.prototype.send = function (message, transfer) {
    var self = this;
    message.ticket = ++this.ticket;
    return new Promise(function (resolve, reject) {
      self.pending[message.ticket] = { resolve: resolve, reject: reject };
      if (self.worker) return self.worker.postMessage(message, transfer || []);
      self.ready.then(function () {
        window.PortalMapPoints.answer(self.local, message, function (reply) { self.settle(reply); });
      }, function () { self.fail(); });
    });
  };

  Points.prototype.settle = function (reply) {
    var request = this.pending[reply.ticket];
    if (!request) return;
    delete this.pending[reply.ticket];
    if ("error" in reply) request.reject(new Error(reply.error));
    else request.resolve(reply.result);
  };

  Points.prototype.fail = function () {
    var self = this;
    Object.keys(this.pending).forEach(function (ticket) {
      self.settle({ ticket: ticket, error: "points unavailable" });
    });
  };

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

  CityMap.prototype.bboxField = function () {
    return this.form ? this.form.querySelector('[name="bbox"]') : null;
  };

  CityMap.prototype.searchArea = function () {
    var b = this.map.getBounds();
    var clamp = function (v, limit) { return Math.max(-limit, Math.min(limit, v)); };
    var field = this.bboxField();
    if (!field) return;
    field.value = [
      clamp(b.getWest(), 180).toFixed(5), clamp(b.getSouth(), 90).toFixed(5),
      clamp(b.getEast(), 180).toFixed(5), clamp(b.getNorth(), 90).toFixed(5),
    ].join(",");
    this.update(true);
  };

  CityMap.prototype.listControls = function () {
    var self = this;
    this.list.addEventListener("click", function (event) {
      var link = event.target.closest("a");
      if (!link) return;
      if (link.hasAttribute("data-clear-area")) {
        event.preventDefault();
        var field = self.bboxField();
        if (field) field.value = "";
        self.update(true);
      } else if (link.closest(".pagination")) {
        event.preventDefault();
        var params = new URL(link.href).searchParams;
        if (self.near) params.set("near", self.near.join(","));
        self.loadList(params, true);
      }
    });
    var skip = byId("map-skip");
    if (skip) {
      skip.addEventListener("click", function (event) {
        event.preventDefault();
        self.showView("list", false);
        self.focusList();
      });
    }
  };

  CityMap.prototype.focusList = function () {
    var heading = this.list.querySelector("h2");
    if (heading) heading.focus();
  };

  CityMap.prototype.viewToggle = function (toggle) {
    // Phones and narrow windows: map or list, one at a time; the toggle stays in reach.
    if (!toggle || !this.list) return;
    var self = this;
    this.layout = this.list.parentElement;
    this.toggleButtons = toggle.querySelectorAll("[data-view]");
    this.toggleButtons.forEach(function (button) {
      button.addEventListener("click", function () { self.showView(button.dataset.view, true); });
    });
    toggle.hidden = false;
    this.showView("map", false);
  };

  CityMap.prototype.showView = function (view, scroll) {
    if (!this.layout) return;
    this.layout.dataset.view = view;
    this.toggleButtons.forEach(function (button) {
      button.setAttribute("aria-pressed", String(button.dataset.view === view));
    });
    if (view === "map") this.map.invalidateSize();
    if (scroll && window.matchMedia(NARROW).matches) {
      (view === "map" ? this.container.parentElement : this.list).scrollIntoView({ block: "start" });
    }
  };

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

  CityMap.prototype.loadList = function (params, focus) {
    // The server renders the list (counts, badges, distances, pages) for these filters.
    var self = this;
    var ticket = ++this.requests.list;
    if (this.near && !params.has("near")) params.set("near", this.near.join(","));
    var query = params.toString();
    this.list.setAttribute("aria-busy", "true");
    return fetch(window.location.pathname + (query ? "?" + query : ""), { headers: { Accept: "text/html" } })
      .then(function (response) {
        if (!response.ok) throw new Error("list " + response.status);
        return response.text();
      })
      .then(function (html) {
        if (ticket !== self.requests.list) return;
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById(self.list.id);
        if (!fresh) throw new Error("list missing");
        self.list.replaceChildren.apply(self.list, Array.prototype.slice.call(fresh.childNodes));
        self.list.removeAttribute("aria-busy");
        if (focus) self.focusList();
        return true;
      })
      .catch(function () {
        if (ticket !== self.requests.list) return;
        self.list.removeAttribute("aria-busy");
        self.say(label("listError"));
        return false;
      });
  };

  CityMap.prototype.announce = function (message) {
    if (this.status) this.status.textContent = message;
  };

  CityMap.prototype.say = function (message) {
    if (this.nearStatus) this.nearStatus.textContent = message;
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

  CityMap.prototype.locate = function () {
    var self = this;
    this.say(label("locating"));
    navigator.geolocation.getCurrentPosition(
      function (position) {
        var here = [position.coords.latitude, position.coords.longitude];
        if (self.here) self.here.remove();
        self.here = L.circleMarker(here, { radius: 7, color: "#1a5fb4", fillOpacity: 0.9 })
          .bindTooltip(label("here"))
          .addTo(self.map);
        self.map.setView(here, 16);
        if (!self.list) return self.say("");
        // About 10 m: enough to sort by, and no more of the visitor's position than needed.
        self.near = here.map(function (v) { return v.toFixed(4); });
        self.loadList(filterParams(self.form), false).then(function (done) {
          if (done) self.say(label("nearSorted"));
        });
      },
      function (error) {
        self.say(label(error.code === 1 ? "nearDenied" : "nearUnavailable"));
      },
      { timeout: 15000, maximumAge: 60000 }
    );
  };

  function miniMap(container) {
    var position = [parseFloat(container.dataset.lat), parseFloat(container.dataset.lng)];
    var map = L.map(container, {
      scrollWheelZoom: false,
      dragging: !L.Browser.mobile,
      preferCanvas: true,
    }).setView(position, 16);
    germanControls(map);
    addTiles(map, container);
    L.circleMarker(position, { radius: 10, weight: 3, color: "#ffffff", fillColor: "#b3261e", fillOpacity: 1 })
      .bindTooltip(container.dataset.name || "")
      .addTo(map);
  }

  document.querySelectorAll("[data-city-map]").forEach(function (el) { el.cityMap = new CityMap(el); });
  document.querySelectorAll("[data-mini-map]").forEach(miniMap);
})();
