/* The network page: Cytoscape.js over /network/graph.json. Plain JS, no build step.
 *
 * The view starts from the member's neighbourhood; double-clicking a colleague (or
 * "Expand" in the side panel) fetches that colleague's neighbourhood and adds it.
 * Filters reload the view. Clicking a return edge highlights the path the client took.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var urls = {
    graph: script.dataset.graph,
    colleague: script.dataset.colleague, // ends in /0.json
    search: script.dataset.search,
    profile: script.dataset.profile, // ends in /0
    downloads: script.dataset.downloads,
  };
  var $ = function (id) { return document.getElementById(id); };
  var panel = $("panel");
  var state = { center: null };

  var cy = cytoscape({
    container: $("cy"),
    wheelSensitivity: 0.3,
    minZoom: 0.05,
    maxZoom: 4,
    style: [
      { selector: "node", style: {
        "label": "data(name)", "font-size": 10, "text-valign": "bottom", "text-margin-y": 3,
        "background-color": "#2f6f5e", "width": "mapData(degree, 0, 30, 16, 40)", "height": "mapData(degree, 0, 30, 16, 40)",
        "text-outline-color": "#fff", "text-outline-width": 2, "color": "#1f2933" } },
      { selector: "node[!available]", style: { "background-color": "#cbd2d9" } },
      { selector: "node[?me]", style: { "background-color": "#b44d12", "font-weight": "bold" } },
      { selector: "node.center", style: { "border-width": 3, "border-color": "#1f2933" } },
      { selector: "node:selected", style: { "border-width": 4, "border-color": "#f0b429" } },
      { selector: "node.nolabel", style: { "label": "" } },
      { selector: "node.nolabel:selected, node.nolabel.center, node.nolabel.hover", style: { "label": "data(name)", "z-index": 20 } },
      { selector: "edge", style: { "curve-style": "bezier", "width": 1, "line-color": "#cbd2d9" } },
      { selector: "edge[kind = 'referral']", style: {
        "line-color": "#3e6fb0", "target-arrow-color": "#3e6fb0", "target-arrow-shape": "triangle",
        "width": "mapData(count, 1, 5, 1.5, 5)" } },
      { selector: "edge[kind = 'return']", style: {
        "line-color": "#1e7a46", "target-arrow-color": "#1e7a46", "target-arrow-shape": "triangle",
        "line-style": "dashed", "width": "mapData(count, 1, 5, 2, 5)" } },
      { selector: ".path", style: { "line-color": "#f0b429", "target-arrow-color": "#f0b429", "width": 5, "z-index": 10 } },
      { selector: "node.path", style: { "border-width": 4, "border-color": "#f0b429" } },
      { selector: ".faded", style: { "opacity": 0.25 } },
    ],
  });
  window.networkGraph = cy; // for the browser tests and the curious

  function params(extra) {
    var p = new URLSearchParams();
    if (state.center !== null) p.set("center", state.center);
    p.set("depth", $("depth").value);
    if ($("specialty").value.trim()) p.set("specialty", $("specialty").value.trim());
    if ($("available").checked) p.set("available", "true");
    if ($("mine").checked) p.set("mine", "true");
    if ($("all").checked) p.set("all", "true");
    Object.keys(extra || {}).forEach(function (k) { p.set(k, extra[k]); });
    return p;
  }

  function fetchJSON(url) {
    return fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" }).then(function (r) {
      if (!r.ok) return r.json().catch(function () { return {}; }).then(function (b) {
        throw new Error(b.message || ("The server answered " + r.status));
      });
      return r.json();
    });
  }

  function elements(view) {
    var out = [];
    view.nodes.forEach(function (n) { out.push({ group: "nodes", data: Object.assign({}, n, { id: String(n.id) }) }); });
    view.edges.forEach(function (e) {
      out.push({ group: "edges", data: Object.assign({}, e, { id: e.id, source: String(e.source), target: String(e.target) }) });
    });
    return out;
  }

  function runLayout(eles, fresh) {
    var name = $("layout").value;
    var opts = name === "concentric"
      ? { name: "concentric", concentric: function (n) { return 10 - (n.data("hops") == null ? 5 : n.data("hops")); },
          levelWidth: function () { return 1; }, minNodeSpacing: 20, animate: false }
      : { name: "cose", animate: false, nodeRepulsion: function () { return 20000; }, idealEdgeLength: function () { return 90; },
          numIter: cy.nodes().length > 1500 ? 200 : 1000, randomize: !!fresh, nodeOverlap: 20 };
    (eles || cy.elements()).layout(opts).run();
  }

  // Labels that would overlap an already placed one are hidden, most important first (you, the
  // centre, the nearest, the best connected): a name shows again on hover and selection, and
  // every name is in the list under the graph. Label boxes are in model units, so this holds at any zoom.
  function declutterLabels() {
    var placed = [];
    cy.nodes().removeClass("nolabel");
    var order = cy.nodes().sort(function (a, b) {
      var rank = function (n) { return [n.data("me") ? 0 : 1, n.hasClass("center") ? 0 : 1, n.data("hops") == null ? 9 : n.data("hops"), -n.degree()]; };
      var ra = rank(a), rb = rank(b);
      for (var i = 0; i < ra.length; i++) { if (ra[i] !== rb[i]) return ra[i] - rb[i]; }
      return a.data("name") < b.data("name") ? -1 : 1;
    });
    order.forEach(function (n) {
      var box = n.boundingBox({ includeNodes: false, includeEdges: false, includeLabels: true });
      var clash = placed.some(function (p) { return box.x1 < p.x2 && p.x1 < box.x2 && box.y1 < p.y2 && p.y1 < box.y2; });
      if (clash) n.addClass("nolabel"); else placed.push(box);
    });
  }

  function updateList() {
    var list = $("shown");
    list.textContent = "";
    cy.nodes().sort(function (a, b) { return a.data("name").localeCompare(b.data("name")); }).forEach(function (n) {
      var li = document.createElement("li");
      var button = el("button", n.data("name") + (n.data("me") ? " (you)" : ""), "link");
      button.type = "button";
      button.dataset.id = n.id();
      button.addEventListener("click", function () {
        cy.nodes().unselect();
        n.select();
        cy.animate({ center: { eles: n } }, { duration: 200 });
        showColleague(n.id()).then(function () { panel.focus(); });
      });
      li.appendChild(button);
      list.appendChild(li);
    });
  }

  function updateSummary(view) {
    $("summary").textContent = cy.nodes().length + " colleagues, " + cy.edges().length + " links" +
      (view && view.center !== null ? "" : " (whole network)");
    var names = $("names");
    names.textContent = "";
    cy.nodes().forEach(function (n) {
      var o = document.createElement("option");
      o.value = n.data("name");
      names.appendChild(o);
    });
    updateList();
    var p = params();
    $("download-graphml").href = urls.downloads + "?" + p.toString();
    $("download-gexf").href = urls.downloads.replace(/graphml$/, "gexf") + "?" + p.toString();
  }

  function load() {
    $("summary").textContent = "loading…";
    return fetchJSON(urls.graph + "?" + params().toString()).then(function (view) {
      cy.elements().remove();
      cy.add(elements(view));
      if (view.center !== null) {
        state.center = view.center;
        cy.getElementById(String(view.center)).addClass("center");
      }
      runLayout(null, true);
      declutterLabels();
      cy.fit(undefined, 30);
      clearError();
      updateSummary(view);
    }).catch(showError);
  }

  function expand(id) {
    return fetchJSON(urls.graph + "?" + params({ center: id, depth: 1, all: "false" }).toString()).then(function (view) {
      var fresh = elements(view).filter(function (el) { return cy.getElementById(el.data.id).empty(); });
      var added = cy.add(fresh);
      var node = cy.getElementById(String(id));
      if (added.nodes().length) {
        var pos = node.position();
        added.nodes().forEach(function (n, i) {
          var a = (2 * Math.PI * i) / added.nodes().length;
          n.position({ x: pos.x + 120 * Math.cos(a), y: pos.y + 120 * Math.sin(a) });
        });
        runLayout(added.nodes().union(node.closedNeighborhood()));
        declutterLabels();
      }
      clearError();
      updateSummary(view);
      return added;
    }).catch(showError);
  }

  // One place for errors, above the graph, emptied by the next load that works.
  function showError(err) {
    var box = $("graph-error");
    box.textContent = "Could not load the graph: " + err.message + ". Please try again.";
    box.hidden = false;
  }

  function clearError() {
    var box = $("graph-error");
    box.textContent = "";
    box.hidden = true;
  }

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }

  function facts(list, pairs) {
    pairs.forEach(function (p) { list.appendChild(el("dt", p[0])); list.appendChild(el("dd", p[1])); });
  }

  function showColleague(id) {
    panel.textContent = "";
    panel.appendChild(el("p", "Loading…", "muted"));
    return fetchJSON(urls.colleague.replace(/0\.json$/, id + ".json")).then(function (data) {
      var c = data.colleague, l = data.ledger;
      clearError();
      panel.textContent = "";
      panel.dataset.colleague = c.id;
      panel.appendChild(el("h2", c.name));
      var profile = el("dl");
      var today = new Date().toISOString().slice(0, 10);
      var paused = c.paused_until && c.paused_until >= today;
      facts(profile, [
        ["Specialties", c.specialties.join(", ")],
        ["Wants to serve", c.target_clientele || "—"],
        ["Where", (c.location || "no fixed place") + (c.remote ? " · serves clients anywhere" : " · local clients only")],
        ["Places", Math.max(c.capacity - c.open_referrals, 0) + " of " + c.capacity + " places free" +
          (paused ? " · paused until " + c.paused_until : "")],
      ]);
      profile.id = "panel-profile";
      panel.appendChild(profile);
      panel.appendChild(el("h3", "Your ledger with " + c.name.split(" ")[0]));
      var ledger = el("dl");
      ledger.id = "panel-ledger";
      facts(ledger, [
        ["Given", String(l.given)], ["Received", String(l.received)],
        ["Returned", String(l.returned) + (l.returned_through_network ? " (" + l.returned_through_network + " through the network)" : "")],
        ["Balance", (l.balance > 0 ? "+" : "") + l.balance],
        ["You owe", l.owed ? String(l.owed) : "nothing"],
      ]);
      panel.appendChild(ledger);
      var buttons = el("div", null, "buttons");
      var expandBtn = el("button", "Expand");
      expandBtn.type = "button";
      expandBtn.onclick = function () { expand(c.id); };
      var centerBtn = el("button", "Center here", "secondary");
      centerBtn.type = "button";
      centerBtn.onclick = function () { state.center = c.id; $("all").checked = false; load(); };
      var link = el("a", "Full profile");
      link.href = urls.profile.replace(/0$/, c.id);
      buttons.appendChild(expandBtn);
      buttons.appendChild(centerBtn);
      buttons.appendChild(link);
      panel.appendChild(buttons);
    }).catch(showError);
  }

  function highlightReturn(edge) {
    cy.elements().removeClass("path faded");
    var paths = edge.data("paths") || [];
    var lit = edge.union(edge.source()).union(edge.target());
    paths.forEach(function (path) {
      for (var i = 0; i < path.length; i++) {
        lit = lit.union(cy.getElementById(String(path[i])));
        if (i + 1 < path.length) {
          lit = lit.union(cy.edges("[kind != 'knows'][source = '" + path[i] + "'][target = '" + path[i + 1] + "']"));
        }
      }
    });
    cy.elements().not(lit).addClass("faded");
    lit.addClass("path");
    panel.textContent = "";
    panel.appendChild(el("h2", "A return"));
    var names = function (ids) {
      return ids.map(function (i) { var n = cy.getElementById(String(i)); return n.nonempty() ? n.data("name") : "#" + i; });
    };
    var from = edge.source().data("name"), to = edge.target().data("name");
    panel.appendChild(el("p", from + " sent " + to + " " + edge.data("count") + " client" + (edge.data("count") > 1 ? "s" : "") +
      " that returned earlier referrals."));
    paths.forEach(function (path) {
      panel.appendChild(el("p", "Through the network: " + names(path).concat([names([path[0]])[0]]).join(" → ")));
    });
  }

  cy.on("tap", "node", function (evt) {
    cy.elements().removeClass("path faded");
    showColleague(evt.target.id());
  });
  cy.on("dbltap", "node", function (evt) { expand(evt.target.id()); });
  cy.on("tap", "edge[kind = 'return']", function (evt) { highlightReturn(evt.target); });
  cy.on("tap", function (evt) { if (evt.target === cy) cy.elements().removeClass("path faded"); });

  $("controls").addEventListener("submit", function (e) { e.preventDefault(); });
  ["depth", "available", "mine", "all"].forEach(function (id) { $(id).addEventListener("change", load); });
  $("layout").addEventListener("change", function () { runLayout(); declutterLabels(); cy.fit(undefined, 30); });
  cy.on("mouseover", "node", function (evt) { evt.target.addClass("hover"); });
  cy.on("mouseout", "node", function (evt) { evt.target.removeClass("hover"); });
  var typing;
  $("specialty").addEventListener("input", function () { clearTimeout(typing); typing = setTimeout(load, 350); });
  $("home").addEventListener("click", function () { state.center = null; $("all").checked = false; load(); });

  function find() {
    var q = $("search").value.trim().toLowerCase();
    if (!q) return;
    var hit = cy.nodes().filter(function (n) { return n.data("name").toLowerCase().indexOf(q) >= 0; });
    if (hit.nonempty()) {
      cy.nodes().unselect();
      hit[0].select();
      cy.animate({ center: { eles: hit[0] }, zoom: Math.max(cy.zoom(), 1.2) }, { duration: 300 });
      showColleague(hit[0].id());
      return;
    }
    fetchJSON(urls.search + "?q=" + encodeURIComponent(q)).then(function (rows) {
      if (!rows.length) { showError(new Error("no colleague matches " + JSON.stringify(q))); return; }
      state.center = rows[0].id;
      $("all").checked = false;
      load().then(function () { showColleague(rows[0].id); });
    }).catch(showError);
  }
  $("search").addEventListener("change", find);
  $("search").addEventListener("keydown", function (e) { if (e.key === "Enter") { e.preventDefault(); find(); } });

  load();
})();
