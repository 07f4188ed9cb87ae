// Dashboard charts: each <div class="vl" data-spec="ID"> gets the Vega-Lite spec of the
// <script type="application/json" id="ID"> beside it (data, never executed), drawn by the Vega
// bundle this server ships (/static/vega.js, from vl-convert). A mark with an href opens it here.
(function () {
  function draw() {
    document.querySelectorAll("div.vl[data-spec]").forEach(function (el) {
      var node = document.getElementById(el.getAttribute("data-spec"));
      if (!node || typeof vegaEmbed === "undefined") { return; }
      var spec = JSON.parse(node.textContent);
      vegaEmbed(el, spec, { actions: false, renderer: "svg", loader: { target: "_self" } })
        .then(function () { el.setAttribute("data-drawn", "1"); })
        .catch(function (err) { el.textContent = "chart failed: " + err; });
    });
    // a table row with data-href opens its incident (the row's own link works without script)
    document.querySelectorAll("tr[data-href]").forEach(function (row) {
      row.addEventListener("click", function (ev) {
        if (ev.target.closest("a")) { return; }
        window.location.href = row.getAttribute("data-href");
      });
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
