// Filters findings by severity and status without a server; the report works without it too.
(function () {
  "use strict";
  var form = document.querySelector("form.filters");
  if (!form) { return; }
  function checked(name) {
    var values = {};
    form.querySelectorAll("input[name='" + name + "']").forEach(function (box) { values[box.value] = box.checked; });
    return values;
  }
  function apply() {
    var sev = checked("sev"), status = checked("status");
    document.querySelectorAll("div.target").forEach(function (group) {
      var visible = 0;
      group.querySelectorAll("tr.f").forEach(function (row) {
        var show = sev[row.getAttribute("data-sev")] && status[row.getAttribute("data-status")];
        row.classList.toggle("hidden", !show);
        if (show) { visible += 1; }
      });
      group.classList.toggle("hidden", visible === 0);
    });
  }
  form.addEventListener("change", apply);
  apply();
  form.setAttribute("data-ready", "1");
}());
