/* Operator console: the rematch progress panel and highlighting on the network map.
   The CSP forbids inline scripts and style attributes: widths are set through the CSSOM here. */
(function () {
  "use strict";

  function setBar(panel, percent) {
    var bar = panel.querySelector(".progress-bar");
    var holder = panel.querySelector(".progress");
    if (bar) { bar.style.width = Math.max(0, Math.min(100, percent)) + "%"; bar.textContent = percent + "%"; }
    if (holder) { holder.setAttribute("aria-valuenow", String(percent)); }
  }

  function poll(panel) {
    var url = panel.getAttribute("data-run-url");
    fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (run) {
        setBar(panel, run.percent);
        panel.setAttribute("data-status", run.status);
        var status = panel.querySelector(".run-status");
        if (status) { status.textContent = panel.getAttribute("data-label-" + run.status) || run.status; }
        var phase = panel.querySelector(".run-phase");
        if (phase) { phase.textContent = run.phase || ""; }
        var count = panel.querySelector(".run-count");
        if (count) { count.textContent = run.done + " / " + run.total; }
        if (run.status === "running") { window.setTimeout(function () { poll(panel); }, 1000); }
        else { var button = document.querySelector("[data-testid=start-rematch]"); if (button) { button.disabled = false; } }
      })
      .catch(function () { window.setTimeout(function () { poll(panel); }, 5000); });
  }

  document.querySelectorAll(".run-panel").forEach(function (panel) {
    var bar = panel.querySelector(".progress-bar");
    setBar(panel, parseInt(bar ? bar.getAttribute("data-percent") : "0", 10) || 0);
    if (panel.getAttribute("data-status") === "running") { poll(panel); }
  });

  /* Network map: hovering a node highlights it, its links and its partners. */
  document.querySelectorAll("svg.network-map").forEach(function (svg) {
    var edges = Array.prototype.slice.call(svg.querySelectorAll(".edge"));
    function clear() {
      svg.classList.remove("focus");
      svg.querySelectorAll(".hl").forEach(function (el) { el.classList.remove("hl"); });
    }
    svg.querySelectorAll(".node").forEach(function (node) {
      node.addEventListener("mouseenter", function () {
        var id = node.getAttribute("data-node-id");
        svg.classList.add("focus");
        node.classList.add("hl");
        edges.forEach(function (edge) {
          var lead = edge.getAttribute("data-lead"), sme = edge.getAttribute("data-sme");
          if (lead === id || sme === id) {
            edge.classList.add("hl");
            var other = svg.querySelector('.node[data-node-id="' + (lead === id ? sme : lead) + '"]');
            if (other) { other.classList.add("hl"); }
          }
        });
      });
      node.addEventListener("mouseleave", clear);
    });
  });
})();
