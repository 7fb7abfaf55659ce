/*
 * The map's points and their clusters, off the main thread: a Web Worker (classic script) that
 * fetches the compact feed (/api/map/points: {"points": [[id, lon, lat, categoryIndex], ...]}),
 * parses it and builds the Supercluster index, so that a country's 100,000 merchants never block
 * scrolling, typing or the screen reader. map.js sends it the view and draws the few clusters and
 * markers it answers with; names come separately (the labels endpoint), for the markers in view.
 *
 * Memory: the points live in three typed arrays; Supercluster gets one tiny object per point
 * whose coordinates are read from those arrays when it builds its index.
 *
 * Speed: the zoom levels up to the map's current one come first (one index, built straight from
 * the points: less than half of the whole work at 100,000 points), so the first clusters can be
 * drawn; the closer levels, where nearly every merchant is a point of its own and building is
 * slowest, follow in a second index right after (or at once when asked for first). A cluster's
 * id tells which index made it: Supercluster keeps the zoom it was made at in its low 5 bits.
 *
 * Without Web Workers (very old browsers) map.js loads this file as a normal script and calls
 * the same handlers on the main thread (window.PortalMapPoints).
 *
 * Messages (all answers carry the request's `ticket`):
 *   {type: "init", supercluster: url}             -> {}
 *   {type: "load", url | buffer, zoom}             -> {count, bounds: [w, s, e, n] | null}
 *   {type: "clusters", bbox, zoom}                 -> {items: [[clusterId|0, id, lon, lat, n], ...]}
 *   {type: "expansion", clusterId}                 -> {zoom, first: "c<clusterId>" | "p<id>"}
 *   {type: "labels", ids}                          -> {labels: {id: {name, url}}} (GeoJSON feed only)
 *   {type: "children", clusterId} / {type: "leaves", clusterId, limit, offset}
 *                                                  -> {items: [...] as for "clusters"}
 * An item is a cluster when its first field is a cluster id (never 0), else a merchant.
 */
(function (scope) {
  "use strict";

  var RADIUS = 80; // px: big enough for fingers and for a keyboard to cross the map quickly
  var MAX_ZOOM = 17; // from zoom 18 on every merchant is a marker of its own

  function parse(text, points) {
    var data = JSON.parse(text);
    if (data && Array.isArray(data.points)) return data.points;
    if (!data || !Array.isArray(data.features)) throw new Error("not a points feed");
    // The GeoJSON feed, where a page has no compact feed to offer: names come along.
    points.names = {};
    return data.features.map(function (f) {
      var c = f.geometry.coordinates;
      points.names[f.properties.id] = { name: f.properties.name, url: f.properties.url };
      return [f.properties.id, c[0], c[1], -1];
    });
  }

  function Points() {
    this.low = null; // zoom 0 to this.split
    this.high = null; // from this.split + 1 on
    this.points = [];
    this.ids = new Float64Array(0);
  }

  Points.prototype.load = function (rows, zoom) {
    var n = rows.length;
    var ids = new Float64Array(n);
    var lon = new Float64Array(n);
    var lat = new Float64Array(n);
    var west = 180, south = 90, east = -180, north = -90;
    for (var i = 0; i < n; i++) {
      var row = rows[i];
      ids[i] = row[0];
      lon[i] = row[1];
      lat[i] = row[2];
      if (row[1] < west) west = row[1];
      if (row[1] > east) east = row[1];
      if (row[2] < south) south = row[2];
      if (row[2] > north) north = row[2];
    }
    // One small object per point (a single number); Supercluster reads `geometry` once, while
    // building, and hands the object back for single points: its `i` finds the merchant id.
    function Point(index) { this.i = index; }
    Object.defineProperty(Point.prototype, "geometry", {
      get: function () { return { coordinates: [lon[this.i], lat[this.i]] }; },
    });
    var points = new Array(n);
    for (var k = 0; k < n; k++) points[k] = new Point(k);
    this.ids = ids;
    this.points = points;
    this.split = Math.max(0, Math.min(MAX_ZOOM, Math.round(zoom) || 0));
    this.high = null;
    this.low = new scope.Supercluster({ radius: RADIUS, maxZoom: this.split }).load(points);
    this.later(1000); // in case the map asks for nothing soon
    return { count: n, bounds: n ? [west, south, east, north] : null };
  };

  Points.prototype.later = function (delay) {
    // The second index, once the first clusters have been answered: a macrotask, so the answer
    // (a microtask) goes out before it.
    var self = this;
    var low = this.low;
    clearTimeout(this.timer);
    this.timer = setTimeout(function () { if (self.low === low) self.highIndex(); }, delay);
  };

  Points.prototype.highIndex = function () {
    if (!this.high && this.split < MAX_ZOOM) {
      this.high = new scope.Supercluster({ radius: RADIUS, minZoom: this.split + 1, maxZoom: MAX_ZOOM })
        .load(this.points);
    }
    return this.high || this.low;
  };

  Points.prototype.atZoom = function (zoom) {
    return Math.round(zoom) <= this.split ? this.low : this.highIndex();
  };

  Points.prototype.owner = function (clusterId) {
    // Supercluster's cluster ids: (position << 5) + (zoom made at + 1) + number of points.
    return (clusterId - this.points.length) % 32 <= this.split + 1 ? this.low : this.highIndex();
  };

  Points.prototype.items = function (features) {
    var ids = this.ids;
    return features.map(function (f) {
      var c = f.geometry.coordinates;
      return f.properties && f.properties.cluster
        ? [f.properties.cluster_id, 0, c[0], c[1], f.properties.point_count]
        : [0, ids[f.i], c[0], c[1], 1];
    });
  };

  Points.prototype.handle = function (message) {
    var self = this;
    switch (message.type) {
      case "init":
        if (!scope.Supercluster) scope.importScripts(message.supercluster);
        return {};
      case "load":
        this.names = null;
        if (message.buffer) return this.load(parse(new TextDecoder().decode(message.buffer), this), message.zoom);
        return fetch(message.url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
          .then(function (response) {
            if (!response.ok) throw new Error("points " + response.status);
            return response.text();
          })
          .then(function (body) { return self.load(parse(body, self), message.zoom); });
      case "clusters":
        if (!this.low) return { items: [] };
        if (!this.high) this.later(0);
        return { items: this.items(this.atZoom(message.zoom).getClusters(message.bbox, Math.round(message.zoom))) };
      case "expansion": {
        var index = this.owner(message.clusterId);
        var first = index.getChildren(message.clusterId)[0];
        return {
          zoom: index.getClusterExpansionZoom(message.clusterId),
          first: !first ? null : first.properties && first.properties.cluster
            ? "c" + first.properties.cluster_id : "p" + this.ids[first.i],
        };
      }
      case "labels": {
        // As the labels endpoint answers, from the GeoJSON feed's names.
        var labels = {};
        message.ids.forEach(function (id) { if (self.names && self.names[id]) labels[id] = self.names[id]; });
        return { labels: labels };
      }
      case "children":
        return { items: this.items(this.owner(message.clusterId).getChildren(message.clusterId)) };
      case "leaves": {
        var leaves = this.owner(message.clusterId).getLeaves(message.clusterId, message.limit, message.offset);
        return { items: this.items(leaves) };
      }
      default:
        throw new Error("unknown message " + message.type);
    }
  };

  function answer(points, message, reply) {
    // Replies are {ticket, result} or {ticket, error}; a promise (the fetch) is awaited first.
    Promise.resolve()
      .then(function () { return points.handle(message); })
      .then(
        function (result) { reply({ ticket: message.ticket, result: result }); },
        function (error) { reply({ ticket: message.ticket, error: String(error && error.message || error) }); }
      );
  }

  if (typeof document === "undefined" && typeof scope.importScripts === "function") {
    var points = new Points();
    scope.onmessage = function (event) {
      answer(points, event.data, function (data) { scope.postMessage(data); });
    };
  } else {
    scope.PortalMapPoints = { Points: Points, answer: answer };
  }
})(self);
