// The partnership map (templates/includes/world_map.html), made zoomable: progressive enhancement
// over the server-drawn SVG, which stays a complete map with links and a text alternative without
// this file. No library, no tiles, no request: only the SVG's viewBox changes.
//
// - Buttons: zoom in, zoom out, back to the first view; the keyboard inside the map: + and - zoom, the
//   arrow keys pan, 0 goes back to the first view; a point or line that gets the focus is brought into view.
// - Pointer: drag pans (on touch once zoomed in: before, a vertical swipe scrolls the page),
//   two fingers pinch, Ctrl + wheel (a trackpad's pinch) zooms at the pointer, double click zooms in.
// - The first view fits the points drawn (an organisation's partners), or on a region's or region
//   pair's page the region's own organisations (data-map-fit).
// - Points that overlap at the current zoom are drawn as one cluster with their number; choosing
//   the cluster zooms into it. Points and lines keep their size on the screen.
(function () {
  "use strict";
  var MAX_ZOOM = 64;
  var CLUSTER_PX = 14; // points closer than this on the screen are one cluster

  function parseBox(text) {
    var v = text.trim().split(/[\s,]+/).map(Number);
    return { x: v[0], y: v[1], w: v[2], h: v[3] };
  }

  function ZoomableMap(figure) {
    var svg = figure.querySelector("svg.map");
    this.figure = figure;
    this.svg = svg;
    this.world = parseBox(svg.getAttribute("viewBox"));
    this.points = Array.prototype.map.call(svg.querySelectorAll(".map-points a"), function (link) {
      var circle = link.querySelector("circle");
      return {
        link: link,
        circle: circle,
        text: link.querySelector("text"),
        x: Number(circle.getAttribute("cx")),
        y: Number(circle.getAttribute("cy")),
        r: Number(circle.getAttribute("r"))
      };
    });
    this.clusterLayer = document.createElementNS("http://www.w3.org/2000/svg", "g");
    this.clusterLayer.setAttribute("class", "map-js-clusters");
    svg.appendChild(this.clusterLayer);
    figure.classList.add("map-zoomable");
    var keys = figure.querySelector("[data-map-keys]");
    if (keys) { keys.hidden = false; }
    this.addControls();
    this.home = this.extent();
    this.view = this.home;
    this.draw();
    this.listen();
  }

  ZoomableMap.prototype.ratio = function () {
    var rect = this.svg.getBoundingClientRect();
    return rect.width > 0 && rect.height > 0 ? rect.width / rect.height : this.world.w / this.world.h;
  };

  // A box of the SVG's on-screen proportions around (cx, cy), kept on the world; when it is
  // taller or wider than the world (zoomed out on a phone), the world is centred in it.
  ZoomableMap.prototype.box = function (cx, cy, w) {
    var world = this.world;
    var ratio = this.ratio();
    w = Math.max(world.w / MAX_ZOOM, Math.min(w, world.w));
    var h = w / ratio;
    var x = w >= world.w ? world.x : Math.max(world.x, Math.min(cx - w / 2, world.x + world.w - w));
    var y = h >= world.h ? world.y + (world.h - h) / 2
      : Math.max(world.y, Math.min(cy - h / 2, world.y + world.h - h));
    return { x: x, y: y, w: w, h: h };
  };

  // The points drawn, with a margin; the whole world for a single point far away from others.
  // A region's or region pair's page names its own extent (data-map-fit="x y w h": its
  // organisations' box, partnerships/maps.py map_fit): the first view fits that instead.
  ZoomableMap.prototype.extent = function () {
    var world = this.world;
    var fit = this.figure.getAttribute("data-map-fit");
    if (fit) {
      var f = parseBox(fit);
      var span = Math.max(f.w, f.h * this.ratio(), world.w / 24) * 1.4;
      return this.box(f.x + f.w / 2, f.y + f.h / 2, span);
    }
    if (!this.points.length) { return this.box(world.x + world.w / 2, world.y + world.h / 2, world.w); }
    if (this.points.length === 1) { return this.box(this.points[0].x, this.points[0].y, world.w / 6); }
    var xs = this.points.map(function (p) { return p.x; });
    var ys = this.points.map(function (p) { return p.y; });
    var minX = Math.min.apply(null, xs), maxX = Math.max.apply(null, xs);
    var minY = Math.min.apply(null, ys), maxY = Math.max.apply(null, ys);
    var ratio = this.ratio();
    var w = Math.max(maxX - minX, (maxY - minY) * ratio, world.w / 8) * 1.5;
    return this.box((minX + maxX) / 2, (minY + maxY) / 2, w);
  };

  ZoomableMap.prototype.scale = function () {
    return this.svg.getBoundingClientRect().width / this.view.w; // screen px per map unit
  };

  ZoomableMap.prototype.set = function (view) {
    this.view = view;
    this.draw();
  };

  ZoomableMap.prototype.zoom = function (factor, cx, cy) {
    var v = this.view;
    if (cx === undefined) { cx = v.x + v.w / 2; cy = v.y + v.h / 2; }
    var w = v.w / factor;
    // Keep the map point under (cx, cy) where it is on the screen.
    var nx = cx - (cx - v.x) * (w / v.w);
    var ny = cy - (cy - v.y) * (w / v.w);
    this.set(this.box(nx + w / 2, ny + (w / this.ratio()) / 2, w));
  };

  ZoomableMap.prototype.pan = function (dx, dy) {
    var v = this.view;
    this.set(this.box(v.x + v.w / 2 + dx, v.y + v.h / 2 + dy, v.w));
  };

  ZoomableMap.prototype.draw = function () {
    var v = this.view;
    var svg = this.svg;
    svg.setAttribute("viewBox", [v.x, v.y, v.w, v.h].map(function (n) { return n.toFixed(1); }).join(" "));
    var k = this.world.w / v.w; // zoom factor: points and labels keep their size on the screen
    svg.style.setProperty("--map-zoom", k);
    this.points.forEach(function (p) {
      p.circle.setAttribute("r", (p.r / k).toFixed(2));
      if (p.text) { p.text.style.fontSize = (9 / k) + "px"; }
    });
    svg.style.touchAction = k > 1.05 ? "none" : "pan-y";
    this.zoomOut.disabled = v.w >= this.world.w - 0.5;
    this.zoomIn.disabled = k >= MAX_ZOOM - 0.01;
    this.cluster();
  };

  // Greedy clustering on the screen: each point joins the first cluster within CLUSTER_PX.
  ZoomableMap.prototype.cluster = function () {
    var scale = this.scale();
    var layer = this.clusterLayer;
    var k = this.world.w / this.view.w;
    var self = this;
    while (layer.firstChild) { layer.removeChild(layer.firstChild); }
    if (!scale) { return; }
    var clusters = [];
    var distance = k >= MAX_ZOOM - 0.01 ? 0 : CLUSTER_PX; // fully zoomed in: every point apart
    this.points.forEach(function (p) {
      var found = null;
      for (var i = 0; i < clusters.length; i++) {
        var c = clusters[i];
        if (Math.hypot((c.x - p.x) * scale, (c.y - p.y) * scale) < distance) { found = c; break; }
      }
      if (found) { found.members.push(p); } else { clusters.push({ x: p.x, y: p.y, members: [p] }); }
    });
    clusters.forEach(function (c) {
      var single = c.members.length === 1;
      c.members.forEach(function (p) { p.link.classList.toggle("map-clustered", !single); });
      if (single) { return; }
      var count = c.members.reduce(function (n, p) { return n + (p.text ? Number(p.text.textContent) || 1 : 1); }, 0);
      var names = c.members.map(function (p) { return p.link.querySelector("title").textContent; });
      var g = document.createElementNS("http://www.w3.org/2000/svg", "g");
      g.setAttribute("class", "map-js-cluster");
      g.setAttribute("role", "button");
      g.setAttribute("tabindex", "0");
      g.setAttribute("aria-label", self.label("zoomCluster") + ": " + names.join("; "));
      var title = document.createElementNS("http://www.w3.org/2000/svg", "title");
      title.textContent = names.join("\n");
      var circle = document.createElementNS("http://www.w3.org/2000/svg", "circle");
      circle.setAttribute("cx", c.x);
      circle.setAttribute("cy", c.y);
      circle.setAttribute("r", ((6 + 2.5 * Math.sqrt(count)) / k).toFixed(2));
      var text = document.createElementNS("http://www.w3.org/2000/svg", "text");
      text.setAttribute("x", c.x);
      text.setAttribute("y", c.y);
      text.setAttribute("dy", ".35em");
      text.style.fontSize = (9 / k) + "px";
      text.textContent = String(count);
      g.appendChild(title);
      g.appendChild(circle);
      g.appendChild(text);
      var open = function () {
        var xs = c.members.map(function (p) { return p.x; });
        var ys = c.members.map(function (p) { return p.y; });
        var span = Math.max(Math.max.apply(null, xs) - Math.min.apply(null, xs),
          (Math.max.apply(null, ys) - Math.min.apply(null, ys)) * self.ratio());
        var w = Math.min(self.view.w / 3, Math.max(span * 3, 1));
        self.set(self.box(c.x, c.y, w));
      };
      g.addEventListener("click", open);
      g.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") { event.preventDefault(); open(); }
      });
      layer.appendChild(g);
    });
  };

  ZoomableMap.prototype.label = function (name) {
    return this.figure.getAttribute("data-" + name.replace(/[A-Z]/g, function (c) { return "-" + c.toLowerCase(); })) || name;
  };

  ZoomableMap.prototype.addControls = function () {
    var self = this;
    var bar = document.createElement("div");
    bar.className = "map-controls";
    var button = function (text, label, action) {
      var b = document.createElement("button");
      b.type = "button";
      b.textContent = text;
      if (label) { b.setAttribute("aria-label", label); b.title = label; }
      b.addEventListener("click", action);
      bar.appendChild(b);
      return b;
    };
    this.zoomIn = button("+", this.label("zoomIn"), function () { self.zoom(2); });
    this.zoomOut = button("\u2212", this.label("zoomOut"), function () { self.zoom(0.5); });
    button(this.label("zoomReset"), null, function () { self.set(self.home); });
    this.svg.parentNode.insertBefore(bar, this.svg);
  };

  ZoomableMap.prototype.toMap = function (clientX, clientY) {
    var rect = this.svg.getBoundingClientRect();
    return {
      x: this.view.x + (clientX - rect.left) / rect.width * this.view.w,
      y: this.view.y + (clientY - rect.top) / rect.height * this.view.h
    };
  };

  ZoomableMap.prototype.listen = function () {
    var self = this;
    var svg = this.svg;
    svg.addEventListener("keydown", function (event) {
      var step = 0.25;
      var v = self.view;
      var handled = true;
      switch (event.key) {
        case "+": case "=": self.zoom(2); break;
        case "-": case "_": self.zoom(0.5); break;
        case "0": self.set(self.home); break;
        case "ArrowLeft": self.pan(-v.w * step, 0); break;
        case "ArrowRight": self.pan(v.w * step, 0); break;
        case "ArrowUp": self.pan(0, -v.h * step); break;
        case "ArrowDown": self.pan(0, v.h * step); break;
        default: handled = false;
      }
      if (handled) { event.preventDefault(); }
    });
    // A point or line reached with Tab is brought into view.
    svg.addEventListener("focusin", function (event) {
      var target = event.target.closest("a");
      if (!target || !target.getBBox) { return; }
      var b = target.getBBox();
      var v = self.view;
      if (b.x >= v.x && b.y >= v.y && b.x + b.width <= v.x + v.w && b.y + b.height <= v.y + v.h) { return; }
      self.set(self.box(b.x + b.width / 2, b.y + b.height / 2, Math.max(v.w, b.width * 1.2)));
    });
    svg.addEventListener("wheel", function (event) {
      if (!event.ctrlKey) { return; } // plain wheel scrolls the page
      event.preventDefault();
      var at = self.toMap(event.clientX, event.clientY);
      self.zoom(Math.exp(-event.deltaY / 200), at.x, at.y);
    }, { passive: false });
    svg.addEventListener("dblclick", function (event) {
      var at = self.toMap(event.clientX, event.clientY);
      self.zoom(2, at.x, at.y);
    });
    svg.addEventListener("dragstart", function (event) { event.preventDefault(); });
    var pointers = {};
    var moved = 0;
    var last = null;
    svg.addEventListener("pointerdown", function (event) {
      if (event.pointerType === "mouse" && event.button !== 0) { return; }
      pointers[event.pointerId] = { x: event.clientX, y: event.clientY };
      moved = 0;
      last = null;
    });
    svg.addEventListener("pointermove", function (event) {
      var previous = pointers[event.pointerId];
      if (!previous) { return; }
      var ids = Object.keys(pointers);
      var rect = svg.getBoundingClientRect();
      var unit = self.view.w / rect.width;
      if (ids.length === 1) {
        var dx = event.clientX - previous.x, dy = event.clientY - previous.y;
        moved += Math.abs(dx) + Math.abs(dy);
        if (moved > 4) {
          if (!svg.hasPointerCapture(event.pointerId)) { svg.setPointerCapture(event.pointerId); }
          self.pan(-dx * unit, -dy * unit);
        }
      } else if (ids.length === 2) {
        pointers[event.pointerId] = { x: event.clientX, y: event.clientY };
        var a = pointers[ids[0]], b = pointers[ids[1]];
        var distance = Math.hypot(a.x - b.x, a.y - b.y);
        if (last) {
          var at = self.toMap((a.x + b.x) / 2, (a.y + b.y) / 2);
          self.zoom(distance / last, at.x, at.y);
        }
        last = distance;
        moved = 100;
        return;
      }
      pointers[event.pointerId] = { x: event.clientX, y: event.clientY };
    });
    var end = function (event) { delete pointers[event.pointerId]; last = null; };
    svg.addEventListener("pointerup", end);
    svg.addEventListener("pointercancel", end);
    // A drag is not a click on the point or line where it ended.
    svg.addEventListener("click", function (event) {
      if (moved > 4) { event.preventDefault(); event.stopPropagation(); moved = 0; }
    }, true);
    var resized = null;
    window.addEventListener("resize", function () {
      window.clearTimeout(resized);
      resized = window.setTimeout(function () {
        var v = self.view;
        self.set(self.box(v.x + v.w / 2, v.y + v.h / 2, v.w));
      }, 100);
    });
  };

  function start() {
    document.querySelectorAll(".map-figure").forEach(function (figure) {
      var svg = figure.querySelector("svg.map");
      if (svg && typeof svg.getBBox === "function" && window.matchMedia) {
        figure.zoomableMap = new ZoomableMap(figure);
      }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
