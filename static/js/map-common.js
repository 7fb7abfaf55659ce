/*
 * What the city map (map.js), its list (map-list.js) and the small map on a merchant page share:
 * the words (#map-labels), DOM helpers, the filter form's parameters, Leaflet controls and tiles,
 * and Points, the client of the clustering worker (map-worker.js). Exported as window.PortalMap.
 * The small map on a merchant page needs nothing else and starts here.
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

  window.PortalMap = {
    FILTERS: FILTERS,
    NARROW: NARROW,
    label: label,
    counted: counted,
    byId: byId,
    text: text,
    onActivate: onActivate,
    germanControls: germanControls,
    addTiles: addTiles,
    filterParams: filterParams,
    applyParamsToForm: applyParamsToForm,
    clusterIcon: clusterIcon,
    keyOf: keyOf,
    popupContent: popupContent,
    absolute: absolute,
    loadScript: loadScript,
    Points: Points,
  };

  document.querySelectorAll("[data-mini-map]").forEach(miniMap);
})();
