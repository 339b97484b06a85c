// The network explorer: sigma.js draws, with WebGL, the network the server computed (graphology
// holds it), at the positions of the printed map. Both libraries are installed from npm and
// served by the app. Everything here is display: colour, size, filters, search and a person's
// own (ego) network. Texts come translated from data-text-* attributes on #explorer.
(function () {
  "use strict";
  const root = document.getElementById("explorer");
  if (!root) return;
  function unavailable() {
    // no WebGL in this browser: the link to the printed map, and the table below, stay
    root.style.display = "none";
    document.getElementById("ex-fallback").hidden = false;
  }
  // sigma.js does not even load in a browser without WebGL
  if (typeof window.Sigma !== "function" || !window.graphology) { unavailable(); return; }
  const text = function (key) { return root.dataset["text" + key.charAt(0).toUpperCase() + key.slice(1)] || key; };
  const PALETTE = ["#0b5c8e", "#d05a1f", "#1e7a3c", "#7b3294", "#c2185b", "#00838f", "#8d6e00",
    "#5d4037", "#455a64", "#e64a19", "#3949ab", "#689f38"];
  const TIE = { kept: "#b8c2cc", new: "#1e7a3c", gone: "#a4262c" };
  const FADED = "#e6eaee";
  const EGO_TIE = "#5b6b7a";  // the chosen person's ties, darker than the rest
  const FILTERED = ["stakeholder_group", "layer", "organisation", "domain", "kind"];
  // a tap within this many pixels of a node selects it: a 44 px target even for a small node
  const TAP_RADIUS = 22;
  // sizes are diameters in pixels at the zoom that shows the whole network (sigma draws radii)
  const SMALLEST = 10, LARGEST = 40;
  const panel = document.getElementById("ex-panel");
  const count = document.getElementById("ex-count");
  const colourSelect = document.getElementById("ex-colour");
  const sizeSelect = document.getElementById("ex-size");
  const search = document.getElementById("ex-search");
  let data = null;
  let graph = null;
  let renderer = null;
  let ego = null;  // the selected person and their neighbours, or null
  let selected = null;
  let narrow = false;  // a phone-width map

  function label(value) { return (data.labels && data.labels[value]) || value || "—"; }

  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) { node.append(c); });
    return node;
  }

  function values(attr) {
    return Array.from(new Set(data.nodes.map(function (n) { return n.attrs[attr] || ""; }))).sort();
  }

  function colourBy(attr) {
    const shown = values(attr);
    const colour = {};
    shown.forEach(function (v, i) { colour[v] = PALETTE[i % PALETTE.length]; });
    graph.updateEachNodeAttributes(function (id, a) { a.color = colour[a.attrs[attr] || ""]; return a; });
    const legend = document.getElementById("ex-legend");
    legend.replaceChildren.apply(legend, shown.map(function (v) {
      const swatch = el("span", { class: "swatch" });
      swatch.style.background = colour[v];
      return el("span", { class: "legend" }, [swatch, label(v)]);
    }).concat(changeLegend()));
  }

  function changeLegend() {
    const statuses = new Set(data.edges.map(function (e) { return e.status; }));
    if (!statuses.has("new") && !statuses.has("gone")) return [];
    return ["kept", "new", "gone"].map(function (s) {
      return el("span", { class: "legend tie-" + s }, [el("span", { class: "tie-line" }), text(s)]);
    });
  }

  function sizeBy(metric) {
    const measured = data.nodes.map(function (n) { return n.metrics[metric]; }).filter(function (v) { return v !== null; });
    // each measure on its own range: betweenness, closeness and constraint lie between 0 and 1
    const lo = measured.length ? Math.min.apply(null, measured) : 0;
    const hi = measured.length ? Math.max.apply(null, measured) : 0;
    graph.updateEachNodeAttributes(function (id, a) {
      const v = a.metrics[metric];
      a.diameter = v === null ? SMALLEST : SMALLEST + (LARGEST - SMALLEST) * (v - lo) / ((hi - lo) || 1);
      a.size = a.diameter / 2;
      return a;
    });
  }

  function buildFilters() {
    const box = document.getElementById("ex-filters");
    data.attributes.filter(function (a) { return FILTERED.includes(a); }).forEach(function (attr) {
      const shown = values(attr);
      if (shown.length < 2) return;
      const list = el("div", { class: "filter-values" });
      shown.forEach(function (v) {
        const input = el("input", { type: "checkbox", checked: "", "data-attr": attr, value: v });
        input.addEventListener("change", applyFilters);
        list.append(el("label", {}, [input, " " + label(v)]));
      });
      box.append(el("details", { class: "filter" }, [el("summary", {}, [text(attr)]), list]));
    });
  }

  function applyFilters() {
    const off = {};
    document.querySelectorAll("#ex-filters input:not(:checked)").forEach(function (i) {
      (off[i.dataset.attr] = off[i.dataset.attr] || new Set()).add(i.value);
    });
    let shown = 0;
    graph.updateEachNodeAttributes(function (id, a) {
      a.hidden = Object.keys(off).some(function (k) { return off[k].has(a.attrs[k] || ""); });
      if (!a.hidden) shown += 1;
      return a;
    });
    count.textContent = text("found").replace("{n}", String(shown));
  }

  function metricRow(name, value) {
    return el("tr", {}, [el("th", { scope: "row" }, [name]),
      el("td", { class: "num" }, [value === null || value === undefined ? "—" : Number(value).toLocaleString(document.documentElement.lang, { maximumFractionDigits: 3 })])]);
  }

  function frame(nodes) {
    // the camera moves to the box around these nodes, in sigma's normalised coordinates
    const xs = [], ys = [];
    nodes.forEach(function (n) {
      const d = renderer.getNodeDisplayData(n);
      if (d) { xs.push(d.x); ys.push(d.y); }
    });
    if (!xs.length) return;
    const lo = [Math.min.apply(null, xs), Math.min.apply(null, ys)];
    const hi = [Math.max.apply(null, xs), Math.max.apply(null, ys)];
    const ratio = Math.min(1, Math.max(0.08, 1.3 * Math.max(hi[0] - lo[0], hi[1] - lo[1])));
    renderer.getCamera().animate({ x: (lo[0] + hi[0]) / 2, y: (lo[1] + hi[1]) / 2, ratio: ratio }, { duration: 250 });
  }

  function showEgo(id) {
    const d = graph.getNodeAttributes(id);
    const neighbours = graph.neighbors(id);
    ego = new Set(neighbours.concat([id]));
    renderer.refresh();
    frame(Array.from(ego));
    const rows = ["degree", "betweenness", "closeness", "constraint"].map(function (m) { return metricRow(text(m), d.metrics[m]); });
    const score = d.score
      ? [metricRow(text("trust"), d.score.trust), metricRow(text("value"), d.score.value),
         metricRow(text("respondents"), d.score.respondents)]
      : [];
    const attrs = data.attributes.map(function (a) { return el("li", {}, [text(a) + ": " + label(d.attrs[a])]); });
    const items = neighbours
      .sort(function (a, b) { return graph.getNodeAttribute(a, "label").localeCompare(graph.getNodeAttribute(b, "label")); })
      .map(function (n) {
        const b = el("button", { type: "button", class: "linkish" }, [graph.getNodeAttribute(n, "label")]);
        b.addEventListener("click", function () { select(n); });
        return el("li", {}, [b]);
      });
    panel.replaceChildren(
      el("h2", { id: "ex-who" }, [d.label]),
      el("ul", { class: "plain" }, attrs),
      el("table", { class: "compact" }, [el("tbody", {}, rows.concat(score))]),
      d.score ? "" : el("p", { class: "muted" }, [text("noscore")]),
      el("h3", {}, [text("degree") + " (" + items.length + ")"]),
      el("ul", { class: "plain ego-list" }, items)
    );
  }

  function select(id) {
    selected = id;
    showEgo(id);
  }

  function reset() {
    lastQuery = search.value = "";
    ego = selected = null;
    document.querySelectorAll("#ex-filters input").forEach(function (i) { i.checked = true; });
    applyFilters();
    renderer.getCamera().animatedReset({ duration: 250 });
  }

  let lastQuery = "";

  function findPerson() {
    // "change" also fires when the box loses focus: a query already shown is not repeated
    const q = search.value.trim().toLowerCase();
    if (!q || q === lastQuery) return;
    lastQuery = q;
    const names = graph.nodes().map(function (n) { return [n, graph.getNodeAttribute(n, "label").toLowerCase()]; });
    const exact = names.filter(function (p) { return p[1] === q; });
    const match = exact.length ? exact : names.filter(function (p) { return p[1].includes(q); });
    if (match.length) select(match[0][0]);
  }

  function nearest(x, y) {
    // the visible node nearest to a tap on the stage, if it lies within TAP_RADIUS
    let best = null, distance = TAP_RADIUS;
    graph.forEachNode(function (id, a) {
      if (a.hidden) return;
      const p = renderer.graphToViewport(a);
      const d = Math.hypot(p.x - x, p.y - y);
      if (d <= distance) { best = id; distance = d; }
    });
    return best;
  }

  function nodeReducer(id, a) {
    if (ego && !ego.has(id)) {
      a.color = FADED;
      a.label = "";
      a.zIndex = 0;
    } else if (ego) {
      a.forceLabel = !narrow;  // on a phone the panel lists the contacts; their names would overlap
      a.zIndex = 1;
    }
    if (id === selected) { a.highlighted = true; a.forceLabel = true; }
    return a;  // sigma passes a copy
  }

  function edgeReducer(id, a) {
    if (!ego) return a;
    const ends = graph.extremities(id);
    // ties among the person's contacts stay as they are; the person's own are darker
    if (!(ego.has(ends[0]) && ego.has(ends[1]))) a.color = FADED;
    else if (a.status === "kept" && (ends[0] === selected || ends[1] === selected)) a.color = EGO_TIE;
    return a;  // sigma passes a copy
  }

  // What tests and benchmarks read: every node as it is now drawn.
  function state() {
    return graph.mapNodes(function (id, a) {
      return { label: a.label, size: a.diameter, hidden: !!a.hidden, faded: !!ego && !ego.has(id) };
    });
  }

  function start(json) {
    data = json;
    const many = data.nodes.length > 150;
    graph = new window.graphology.Graph({ type: "undirected" });
    data.nodes.forEach(function (n) {
      // the printed map's y runs down, sigma's up
      graph.addNode(n.id, { x: n.x, y: -n.y, label: n.name, attrs: n.attrs, metrics: n.metrics,
        score: n.score, color: PALETTE[0], size: SMALLEST / 2, diameter: SMALLEST });
    });
    data.edges.forEach(function (e) {
      graph.addEdge(e.source, e.target, { status: e.status, color: TIE[e.status] || TIE.kept, size: e.status === "kept" ? 1 : 2,
        zIndex: e.status === "kept" ? 0 : 1 });
    });
    data.attributes.forEach(function (a) {
      colourSelect.append(el("option", { value: a }, [text(a)]));
    });
    // the names to pick from are added when the search box is first used
    search.addEventListener("focus", function () {
      const names = document.getElementById("ex-names");
      names.replaceChildren.apply(names, data.nodes.map(function (n) { return n.name; }).sort()
        .map(function (name) { return el("option", { value: name }); }));
    }, { once: true });
    colourBy(colourSelect.value);
    sizeBy(sizeSelect.value);
    buildFilters();
    applyFilters();
    const controls = root.querySelector(".explorer-controls");
    controls.hidden = false;  // before the map is made, so the map gets its own column's width
    narrow = document.getElementById("ex-canvas").offsetWidth < 600;
    try {
      renderer = new window.Sigma(graph, document.getElementById("ex-canvas"), {
        nodeReducer: nodeReducer,
        edgeReducer: edgeReducer,
        zIndex: true,
        minCameraRatio: 0.03,
        maxCameraRatio: 3,
        labelFont: "system-ui, sans-serif",
        labelSize: 12,
        labelColor: { color: "#1d2733" },
        // a small network on a wide screen shows every name; otherwise names that would overlap
        // wait until you zoom in (the chosen person and their contacts always show theirs)
        labelDensity: many ? 0.5 : narrow ? 1.5 : 10,
        labelRenderedSizeThreshold: many ? 9 : 0,
        // a large network: ties as thin lines (without a GPU several times cheaper to draw than
        // sigma's default shapes), hidden while the map is dragged or zoomed
        hideEdgesOnMove: many,
        edgeProgramClasses: many ? { line: window.Sigma.rendering.EdgeLineProgram } : {},
      });
    } catch (error) {
      unavailable();
      return;
    }
    colourSelect.addEventListener("change", function () { colourBy(colourSelect.value); });
    sizeSelect.addEventListener("change", function () { sizeBy(sizeSelect.value); });
    search.addEventListener("change", findPerson);
    search.addEventListener("keydown", function (e) { if (e.key === "Enter") { e.preventDefault(); findPerson(); } });
    document.getElementById("ex-reset").addEventListener("click", reset);
    renderer.on("clickNode", function (e) { select(e.node); });
    renderer.on("clickStage", function (e) {
      const id = nearest(e.event.x, e.event.y);
      if (id !== null) select(id);
    });
    renderer.on("enterNode", function () { renderer.getContainer().style.cursor = "pointer"; });
    renderer.on("leaveNode", function () { renderer.getContainer().style.cursor = ""; });
    window.samenspelExplorer = { nodes: state, renderer: renderer, graph: graph };
    // sigma drew the first picture in its constructor; ready once it is on the screen
    requestAnimationFrame(function () {
      requestAnimationFrame(function () {
        performance.mark("explorer-ready");
        root.dataset.ready = "1";
      });
    });
  }

  // the page preloads this request (same URL and credentials), so it is already under way
  fetch(root.dataset.url, { credentials: "include" })
    .then(function (r) { return r.json(); })
    .then(start);
})();
