/*
 * The list side of the city map: the server-rendered list fetched again for new filters and
 * swapped in, its pagination, "search this area", "near me", the map/list toggle on phones and
 * the status lines. Methods that map.js mixes into CityMap (window.PortalMap.listView).
 */
(function () {
  "use strict";

  var M = window.PortalMap;
  var NARROW = M.NARROW;
  var label = M.label;
  var byId = M.byId;
  var text = M.text;
  var filterParams = M.filterParams;

  var listView = {};

  listView.bboxField = function () {
    return this.form ? this.form.querySelector('[name="bbox"]') : null;
  };

  listView.searchArea = function () {
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

  listView.listControls = function () {
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

  listView.focusList = function () {
    var heading = this.list.querySelector("h2");
    if (heading) heading.focus();
  };

  listView.viewToggle = function (toggle) {
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

  listView.showView = function (view, scroll) {
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

  listView.loadList = function (params, focus) {
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

  listView.announce = function (message) {
    if (this.status) this.status.textContent = message;
  };

  listView.say = function (message) {
    if (this.nearStatus) this.nearStatus.textContent = message;
  };

  listView.locate = function () {
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

  window.PortalMap.listView = listView;
})();
