// Search, filters, sorting and permalinks of the findings table, without a server or a library.
// The report reads fine without it: every row is in the HTML and printing shows them all.
(function () {
  "use strict";
  var form = document.getElementById("filters");
  var table = document.getElementById("findings-table");
  if (!form || !table) { return; }
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var shown = document.getElementById("shown");
  var noMatch = document.getElementById("no-match");
  var fields = ["sev", "status", "family", "host"];
  rows.forEach(function (row) { row.searchText = row.textContent.toLowerCase(); });

  function apply() {
    var query = form.elements.q.value.trim().toLowerCase();
    var req = form.elements.req.value;
    var visible = 0;
    rows.forEach(function (row) {
      var show = (!query || row.searchText.indexOf(query) !== -1) &&
        (!req || row.getAttribute("data-req").split("|").indexOf(req) !== -1) &&
        fields.every(function (name) {
          var want = form.elements[name].value;
          return !want || row.getAttribute("data-" + name) === want;
        });
      row.classList.toggle("hidden", !show);
      if (show) { visible += 1; }
    });
    shown.textContent = shown.getAttribute("data-template").replace("%s", visible).replace("%s", rows.length);
    noMatch.classList.toggle("hidden", visible !== 0);
  }

  var keys = {
    order: function (row) { return Number(row.getAttribute("data-order")); },
    sev: function (row) { return -Number(row.getAttribute("data-sev-rank")); },
    status: function (row) { return Number(row.getAttribute("data-status-rank")); },
    host: function (row) { return row.getAttribute("data-host"); },
    check: function (row) { return row.cells[4].textContent.trim(); },
    req: function (row) { return row.getAttribute("data-req") || "\uffff"; }
  };
  function sortBy(th) {
    var key = keys[th.getAttribute("data-sort")];
    var descending = th.getAttribute("aria-sort") === "ascending";
    table.querySelectorAll("th[aria-sort]").forEach(function (other) { other.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", descending ? "descending" : "ascending");
    rows.slice().sort(function (a, b) {
      var x = key(a), y = key(b);
      var order = typeof x === "number" ? x - y : String(x).localeCompare(String(y), document.documentElement.lang);
      return (descending ? -order : order) || keys.order(a) - keys.order(b);
    }).forEach(function (row) { body.appendChild(row); });
  }
  table.querySelectorAll("th[data-sort]").forEach(function (th) {
    th.addEventListener("click", function () { sortBy(th); });
    th.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " ") { event.preventDefault(); sortBy(th); }
    });
  });

  // A permalink to a finding the filters hide clears the filters, so the link always lands on its row.
  function reveal() {
    var target = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (target && target.classList.contains("hidden")) {
      form.reset();
      apply();
      target.scrollIntoView();
    }
  }

  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("reset", function () { setTimeout(apply, 0); });
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  window.addEventListener("hashchange", reveal);
  apply();
  reveal();
  form.setAttribute("data-ready", "1");
}());
