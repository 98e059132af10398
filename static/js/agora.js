/* Agora: small progressive enhancements. Every feature works without this file. */
(function () {
  "use strict";

  var lang = document.documentElement.lang || "en";
  var relative = window.Intl && Intl.RelativeTimeFormat
    ? new Intl.RelativeTimeFormat(lang, { numeric: "auto" })
    : null;
  var monthDay = new Intl.DateTimeFormat(lang, { month: "long", day: "numeric" });
  var fullDate = new Intl.DateTimeFormat(lang, { year: "numeric", month: "long", day: "numeric" });

  // Same rules as forum/humanize.py, so a cached page keeps telling the truth.
  function describe(date, now) {
    var seconds = Math.max(0, Math.floor((now - date) / 1000));
    if (seconds < 60) { return relative ? relative.format(0, "second") : null; }
    var minutes = Math.floor(seconds / 60);
    if (minutes < 60) { return relative.format(-minutes, "minute"); }
    var hours = Math.floor(minutes / 60);
    if (hours < 24) { return relative.format(-hours, "hour"); }
    var days = Math.floor(hours / 24);
    if (days < 7) { return relative.format(-days, "day"); }
    return date.getFullYear() === now.getFullYear() ? monthDay.format(date) : fullDate.format(date);
  }

  function refreshTimes(root) {
    if (!relative) { return; }
    var now = new Date();
    var nodes = (root || document).querySelectorAll("time[data-relative]");
    for (var i = 0; i < nodes.length; i++) {
      var node = nodes[i];
      var date = new Date(node.getAttribute("datetime"));
      if (isNaN(date.getTime())) { continue; }
      var seconds = (now - date) / 1000;
      // Under a minute the server's wording ("just now") is kept.
      if (seconds < 60) { continue; }
      var text = describe(date, now);
      if (text && node.textContent !== text) { node.textContent = text; }
    }
  }

  // Close an open <details> menu on Escape or a click elsewhere.
  document.addEventListener("click", function (event) {
    var open = document.querySelectorAll("details.menu[open]");
    for (var i = 0; i < open.length; i++) {
      if (!open[i].contains(event.target)) { open[i].removeAttribute("open"); }
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    var open = document.querySelectorAll("details.menu[open]");
    for (var i = 0; i < open.length; i++) {
      open[i].removeAttribute("open");
      var summary = open[i].querySelector("summary");
      if (summary) { summary.focus(); }
    }
  });

  document.addEventListener("DOMContentLoaded", function () { refreshTimes(document); });
  document.body && document.body.addEventListener("htmx:afterSwap", function (event) {
    refreshTimes(event.target);
  });
  window.setInterval(function () { refreshTimes(document); }, 60 * 1000);

  window.Agora = { refreshTimes: refreshTimes };
})();
