// The explorer's earlier renderer, kept for benchmarks/explorer_bench.py only: Cytoscape.js draws
// on a canvas the network the server computed, with the positions of the printed map. Everything here is display:
// colour, size, filters, search and a person's own (ego) network. Texts come translated from
// data-text-* attributes on #explorer.
(function () {
  "use strict";
  const root = document.getElementById("explorer");
  if (!root || typeof window.cytoscape !== "function") return;
  const text = function (key) { return root.dataset["text" + key.charAt(0).toUpperCase() + key.slice(1)] || key; };
  const PALETTE = ["#0b5c8e", "#d05a1f", "#1e7a3c", "#7b3294", "#c2185b", "#00838f", "#8d6e00",
    "#5d4037", "#455a64", "#e64a19", "#3949ab", "#689f38"];
  const FILTERED = ["stakeholder_group", "layer", "organisation", "domain", "kind"];
  const panel = document.getElementById("ex-panel");
  const count = document.getElementById("ex-count");
  const colourSelect = document.getElementById("ex-colour");
  const sizeSelect = document.getElementById("ex-size");
  const search = document.getElementById("ex-search");
  let data = null;
  let cy = null;

  function label(value) { return (data.labels && data.labels[value]) || value || "—"; }

  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) { node.append(c); });
    return node;
  }

  function colourBy(attr) {
    const values = Array.from(new Set(data.nodes.map(function (n) { return n.attrs[attr] || ""; }))).sort();
    const colour = {};
    values.forEach(function (v, i) { colour[v] = PALETTE[i % PALETTE.length]; });
    cy.batch(function () {
      cy.nodes().forEach(function (n) { n.data("colour", colour[n.data("attrs")[attr] || ""]); });
    });
    const legend = document.getElementById("ex-legend");
    legend.replaceChildren.apply(legend, values.map(function (v) {
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
    const values = data.nodes.map(function (n) { return n.metrics[metric]; }).filter(function (v) { return v !== null; });
    // each measure on its own range: betweenness, closeness and constraint lie between 0 and 1
    const lo = values.length ? Math.min.apply(null, values) : 0;
    const hi = values.length ? Math.max.apply(null, values) : 0;
    cy.batch(function () {
      cy.nodes().forEach(function (n) {
        const v = n.data("metrics")[metric];
        n.data("size", v === null ? 10 : 10 + 30 * (v - lo) / ((hi - lo) || 1));
      });
    });
  }

  function buildFilters() {
    const box = document.getElementById("ex-filters");
    data.attributes.filter(function (a) { return FILTERED.includes(a); }).forEach(function (attr) {
      const values = Array.from(new Set(data.nodes.map(function (n) { return n.attrs[attr] || ""; }))).sort();
      if (values.length < 2) return;
      const list = el("div", { class: "filter-values" });
      values.forEach(function (v) {
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
    cy.batch(function () {
      cy.nodes().forEach(function (n) {
        const attrs = n.data("attrs");
        const hidden = Object.keys(off).some(function (a) { return off[a].has(attrs[a] || ""); });
        n.toggleClass("hidden", hidden);
      });
    });
    count.textContent = text("found").replace("{n}", String(cy.nodes().not(".hidden").length));
  }

  function metricRow(name, value) {
    return el("tr", {}, [el("th", { scope: "row" }, [name]),
      el("td", { class: "num" }, [value === null || value === undefined ? "—" : Number(value).toLocaleString(document.documentElement.lang, { maximumFractionDigits: 3 })])]);
  }

  function showEgo(node) {
    const ego = node.closedNeighborhood();
    cy.batch(function () {
      cy.elements().addClass("faded").removeClass("ego");
      ego.removeClass("faded").addClass("ego");
    });
    cy.animate({ fit: { eles: ego, padding: 40 } }, { duration: 250 });
    const d = node.data();
    const rows = ["degree", "betweenness", "closeness", "constraint"].map(function (m) { return metricRow(text(m), d.metrics[m]); });
    const score = d.score
      ? [metricRow(text("trust"), d.score.trust), metricRow(text("value"), d.score.value),
         metricRow(text("respondents"), d.score.respondents)]
      : [];
    const attrs = data.attributes.map(function (a) { return el("li", {}, [text(a) + ": " + label(d.attrs[a])]); });
    const neighbours = node.neighborhood("node").sort(function (a, b) { return a.data("label").localeCompare(b.data("label")); })
      .map(function (n) {
        const b = el("button", { type: "button", class: "linkish" }, [n.data("label")]);
        b.addEventListener("click", function () { select(n); });
        return el("li", {}, [b]);
      });
    panel.replaceChildren(
      el("h2", { id: "ex-who" }, [d.label]),
      el("ul", { class: "plain" }, attrs),
      el("table", { class: "compact" }, [el("tbody", {}, rows.concat(score))]),
      d.score ? "" : el("p", { class: "muted" }, [text("noscore")]),
      el("h3", {}, [text("degree") + " (" + neighbours.length + ")"]),
      el("ul", { class: "plain ego-list" }, neighbours)
    );
  }

  function select(node) {
    cy.$(":selected").unselect();
    node.select();
    showEgo(node);
  }

  function reset() {
    lastQuery = search.value = "";
    cy.elements().removeClass("faded ego");
    document.querySelectorAll("#ex-filters input").forEach(function (i) { i.checked = true; });
    applyFilters();
    cy.fit(undefined, 20);
  }

  let lastQuery = "";

  function findPerson() {
    // "change" also fires when the box loses focus: a query already shown is not repeated
    const q = search.value.trim().toLowerCase();
    if (!q || q === lastQuery) return;
    lastQuery = q;
    const exact = cy.nodes().filter(function (n) { return n.data("label").toLowerCase() === q; });
    const match = exact.length ? exact : cy.nodes().filter(function (n) { return n.data("label").toLowerCase().includes(q); });
    if (match.length) select(match[0]);
  }

  function start(json) {
    data = json;
    const canvas = document.getElementById("ex-canvas");
    const many = data.nodes.length > 150;
    // room per node grows with the network, so names stay readable when zoomed to fit
    const side = Math.max(400, Math.sqrt(data.nodes.length) * 110);
    cy = window.cytoscape({
      container: canvas,
      elements: data.nodes.map(function (n) {
        return { group: "nodes", data: { id: n.id, label: n.name, attrs: n.attrs, metrics: n.metrics, score: n.score, colour: PALETTE[0], size: 12 },
          position: { x: n.x * side, y: n.y * side } };
      }).concat(data.edges.map(function (e, i) {
        return { group: "edges", data: { id: "e" + i, source: e.source, target: e.target }, classes: "tie-" + e.status };
      })),
      layout: { name: "preset", fit: false },
      minZoom: 0.1, maxZoom: 6, textureOnViewport: many, hideEdgesOnViewport: many,
      pixelRatio: many ? 1 : "auto",
      style: [
        { selector: "node", style: { "background-color": "data(colour)", width: "data(size)", height: "data(size)",
          label: "data(label)", "font-size": 11, "text-valign": "bottom", "text-margin-y": 3, color: "#1d2733",
          "text-outline-color": "#fff", "text-outline-width": 2, "min-zoomed-font-size": many ? 9 : 0 } },
        { selector: "edge", style: { width: 1, "line-color": "#b8c2cc", opacity: 0.7, "curve-style": "haystack" } },
        { selector: "edge.tie-new", style: { "line-color": "#1e7a3c", width: 2, opacity: 1 } },
        { selector: "edge.tie-gone", style: { "line-color": "#a4262c", "line-style": "dashed", width: 2, opacity: 1, "curve-style": "straight" } },
        { selector: ".hidden", style: { display: "none" } },
        { selector: ".faded", style: { opacity: 0.12 } },
        { selector: "node.ego", style: { "min-zoomed-font-size": 0 } },
        { selector: "node:selected", style: { "border-width": 3, "border-color": "#1d2733" } }
      ]
    });
    data.attributes.forEach(function (a) {
      colourSelect.append(el("option", { value: a }, [text(a)]));
    });
    const names = document.getElementById("ex-names");
    data.nodes.map(function (n) { return n.name; }).sort().forEach(function (name) {
      names.append(el("option", { value: name }));
    });
    colourBy(colourSelect.value);
    sizeBy(sizeSelect.value);
    buildFilters();
    applyFilters();
    colourSelect.addEventListener("change", function () { colourBy(colourSelect.value); });
    sizeSelect.addEventListener("change", function () { sizeBy(sizeSelect.value); });
    search.addEventListener("change", findPerson);
    search.addEventListener("keydown", function (e) { if (e.key === "Enter") { e.preventDefault(); findPerson(); } });
    document.getElementById("ex-reset").addEventListener("click", reset);
    cy.on("tap", "node", function (e) { select(e.target); });
    root.querySelector(".explorer-controls").hidden = false;
    cy.resize();
    cy.fit(undefined, 20);
    cy.one("render", function () {
      requestAnimationFrame(function () {
        requestAnimationFrame(function () {
          performance.mark("explorer-ready");
          root.dataset.ready = "1";
        });
      });
    });
    window.samenspelExplorer = cy;
  }

  fetch(root.dataset.url, { credentials: "same-origin" })
    .then(function (r) { return r.json(); })
    .then(start);
})();
