/*
 * The city map: Leaflet for the map, Supercluster for clustering (smooth with 100,000 points),
 * the GeoJSON feed for the data. Filters live in a normal GET form that also works without
 * JavaScript (it then filters the server-rendered list); with JavaScript the map follows the
 * form and the URL follows the map's filters, so a filtered view can be shared and survives reload.
 */
(function () {
  "use strict";

  var FILTERS = ["category", "district", "initiative", "offers", "open_now", "q"];

  function text(tag, className, content) {
    var el = document.createElement(tag);
    if (className) el.className = className;
    if (content) el.textContent = content; // never innerHTML: names come from users
    return el;
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
      html: "<span>" + (count >= 1000 ? Math.round(count / 1000) + "k" : count) + "</span>",
      className: "map-cluster",
      iconSize: L.point(size, size),
    });
  }

  function popupContent(container, detail) {
    var box = text("div", "map-popup");
    box.appendChild(text("strong", "map-popup__name", detail.name));
    box.appendChild(text("div", "map-popup__category", detail.category));
    if (detail.intro) box.appendChild(text("p", "map-popup__intro", detail.intro));
    var link = text("a", "map-popup__link", container.dataset.labelMore || "Mehr erfahren");
    link.href = detail.url;
    if (container.dataset.linkTarget) link.target = container.dataset.linkTarget;
    box.appendChild(link);
    return box;
  }

  function CityMap(container) {
    this.container = container;
    this.form = document.getElementById(container.dataset.filterForm || "");
    this.status = document.getElementById(container.dataset.status || "");
    this.map = L.map(container, { preferCanvas: true, zoomControl: true }).setView(
      [parseFloat(container.dataset.lat), parseFloat(container.dataset.lng)],
      parseInt(container.dataset.zoom || "13", 10)
    );
    addTiles(this.map, container);
    this.layer = L.layerGroup().addTo(this.map);
    this.index = null;
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
    var near = document.getElementById(container.dataset.nearMe || "");
    if (near && "geolocation" in navigator) {
      near.hidden = false;
      near.addEventListener("click", function () { self.locate(); });
    }
    this.update(false);
  }

  CityMap.prototype.update = function (pushUrl) {
    var params = filterParams(this.form);
    if (pushUrl) {
      var query = params.toString();
      window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : ""));
    }
    var self = this;
    var url = new URL(this.container.dataset.feedUrl, window.location.href);
    params.forEach(function (value, key) { url.searchParams.set(key, value); });
    fetch(url, { headers: { Accept: "application/geo+json" } })
      .then(function (response) {
        if (!response.ok) throw new Error("feed " + response.status);
        return response.json();
      })
      .then(function (collection) {
        self.index = new Supercluster({ radius: 80, maxZoom: 17 }).load(collection.features);
        self.announce(collection.features.length);
        if (pushUrl && collection.features.length) {
          // A visitor who filtered wants to see every result, not the old view.
          self.map.fitBounds(
            L.latLngBounds(collection.features.map(function (f) {
              return [f.geometry.coordinates[1], f.geometry.coordinates[0]];
            })),
            { padding: [24, 24], maxZoom: 16 }
          );
        }
        self.render();
      })
      .catch(function () { self.announce(null); });
  };

  CityMap.prototype.announce = function (count) {
    if (!this.status) return;
    var template = count === null ? this.status.dataset.error : this.status.dataset.found;
    this.status.textContent = (template || "").replace("{count}", count);
  };

  CityMap.prototype.render = function () {
    if (!this.index) return;
    var bounds = this.map.getBounds();
    var clusters = this.index.getClusters(
      [bounds.getWest(), bounds.getSouth(), bounds.getEast(), bounds.getNorth()],
      Math.round(this.map.getZoom())
    );
    this.layer.clearLayers();
    var self = this;
    clusters.forEach(function (feature) {
      var lng = feature.geometry.coordinates[0];
      var lat = feature.geometry.coordinates[1];
      var props = feature.properties;
      if (props.cluster) {
        L.marker([lat, lng], {
          icon: clusterIcon(props.point_count),
          title: (self.container.dataset.labelCluster || "{count}").replace("{count}", props.point_count),
          keyboard: true,
        })
          .on("click", function () {
            var zoom = self.index.getClusterExpansionZoom(props.cluster_id);
            self.map.flyTo([lat, lng], Math.min(zoom, 18));
          })
          .addTo(self.layer);
      } else {
        // DOM markers rather than canvas: they can be reached by keyboard and are announced by
        // name. Supercluster keeps their number small whatever the zoom.
        L.marker([lat, lng], {
          icon: L.divIcon({ className: "map-point", iconSize: L.point(22, 22) }),
          title: props.name,
          alt: props.name,
          keyboard: true,
          riseOnHover: true,
        })
          .on("click", function (event) { self.openPopup(props, event.latlng); })
          .addTo(self.layer);
      }
    });
  };

  CityMap.prototype.openPopup = function (props, latlng) {
    var self = this;
    var url = this.container.dataset.detailUrl.replace(/0$/, String(props.id));
    var popup = L.popup().setLatLng(latlng).setContent(popupContent(this.container, {
      name: props.name, category: "", url: props.url,
    })).openOn(this.map);
    fetch(url)
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (detail) { if (detail) popup.setContent(popupContent(self.container, detail)); });
  };

  CityMap.prototype.locate = function () {
    var self = this;
    navigator.geolocation.getCurrentPosition(function (position) {
      var here = [position.coords.latitude, position.coords.longitude];
      if (self.here) self.here.remove();
      self.here = L.circleMarker(here, { radius: 7, color: "#1a5fb4", fillOpacity: 0.9 })
        .bindTooltip(self.container.dataset.labelHere || "")
        .addTo(self.map);
      self.map.setView(here, 16);
    });
  };

  function miniMap(container) {
    var position = [parseFloat(container.dataset.lat), parseFloat(container.dataset.lng)];
    var map = L.map(container, {
      scrollWheelZoom: false,
      dragging: !L.Browser.mobile,
      preferCanvas: true,
    }).setView(position, 16);
    addTiles(map, container);
    L.circleMarker(position, { radius: 10, weight: 3, color: "#ffffff", fillColor: "#b3261e", fillOpacity: 1 })
      .bindTooltip(container.dataset.name || "")
      .addTo(map);
  }

  document.querySelectorAll("[data-city-map]").forEach(function (el) { el.cityMap = new CityMap(el); });
  document.querySelectorAll("[data-mini-map]").forEach(miniMap);
})();
