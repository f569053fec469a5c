// Progressive enhancement for the static site: every page works without this script.
// Sorting and filtering of the table lists, the quoted passage named in the address shown
// as current, and search over the index that search-index.js defines (a script, not a
// fetched file, so that it works from file://).
(function () {
  "use strict";

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function words(text) {
    return fold(text).split(/\s+/).filter(Boolean);
  }

  function sortKey(cell) {
    return cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent.trim();
  }

  function enhanceList(table) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var texts = rows.map(function (row) { return fold(row.textContent); });
    var headers = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(headers, function (th, column) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = th.textContent;
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        var numeric = th.getAttribute("data-type") === "number";
        Array.prototype.forEach.call(headers, function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var sorted = rows.slice().sort(function (a, b) {
          var x = sortKey(a.cells[column]);
          var y = sortKey(b.cells[column]);
          var order;
          if (numeric) {
            order = (x === "" ? -Infinity : Number(x)) - (y === "" ? -Infinity : Number(y));
          } else {
            order = x.localeCompare(y);
          }
          return ascending ? order : -order;
        });
        sorted.forEach(function (row) { body.appendChild(row); });
      });
    });
    var input = document.querySelector('input[data-rows="' + table.id + '"]');
    if (!input) { return; }
    var shown = document.getElementById("shown");
    input.closest("[hidden]").hidden = false;
    function filter() {
      var wanted = words(input.value);
      var count = 0;
      rows.forEach(function (row, i) {
        var keep = wanted.every(function (w) { return texts[i].indexOf(w) >= 0; });
        row.hidden = !keep;
        if (keep) { count += 1; }
      });
      shown.textContent = wanted.length ? count + " of " + rows.length + " rows" : "";
    }
    input.addEventListener("input", filter);
    filter();
  }

  function showCurrent() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    document.querySelectorAll("mark.current").forEach(function (m) { m.classList.remove("current"); });
    if (!id) { return; }
    document.querySelectorAll("mark[data-c]").forEach(function (m) {
      if (m.getAttribute("data-c").split(" ").indexOf(id) >= 0) { m.classList.add("current"); }
    });
  }

  function snippet(text, word) {
    var at = fold(text).indexOf(word);
    var p = document.createElement("span");
    p.className = "detail";
    if (at < 0 || fold(text).length !== text.length) {
      p.textContent = text.slice(0, 160) + (text.length > 160 ? " …" : "");
      return p;
    }
    var start = Math.max(0, at - 70);
    var end = Math.min(text.length, at + word.length + 90);
    var mark = document.createElement("mark");
    mark.textContent = text.slice(at, at + word.length);
    p.appendChild(document.createTextNode((start > 0 ? "… " : "") + text.slice(start, at)));
    p.appendChild(mark);
    p.appendChild(document.createTextNode(text.slice(at + word.length, end) + (end < text.length ? " …" : "")));
    return p;
  }

  function enhanceSearch(form) {
    var index = window.IRR_SEARCH;
    var input = form.querySelector('input[name="q"]');
    var status = document.getElementById("status");
    var results = document.getElementById("results");
    if (!index) {
      status.textContent = "The search index (search-index.js) did not load.";
      return;
    }
    var entries = index.map(function (e) {
      return { url: e[0], title: e[1], table: e[2], text: e[3], words: fold(e[3]), name: fold(e[1]) };
    });
    function run() {
      var wanted = words(input.value);
      results.textContent = "";
      if (!wanted.length) { status.textContent = ""; return; }
      var hits = entries.filter(function (e) {
        return wanted.every(function (w) { return e.words.indexOf(w) >= 0; });
      });
      hits.sort(function (a, b) {
        var x = wanted.every(function (w) { return a.name.indexOf(w) >= 0; }) ? 0 : 1;
        var y = wanted.every(function (w) { return b.name.indexOf(w) >= 0; }) ? 0 : 1;
        return x - y || a.title.localeCompare(b.title);
      });
      status.textContent = hits.length === 1 ? "1 record found" : hits.length + " records found";
      hits.slice(0, 200).forEach(function (e) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = e.url;
        a.textContent = e.title;
        li.appendChild(a);
        li.appendChild(document.createTextNode(" (" + e.table + ")"));
        li.appendChild(snippet(e.text, wanted[0]));
        results.appendChild(li);
      });
    }
    input.value = new URLSearchParams(window.location.search).get("q") || "";
    input.addEventListener("input", run);
    form.addEventListener("submit", function (event) { event.preventDefault(); run(); });
    run();
  }

  document.querySelectorAll("table.list").forEach(enhanceList);
  if (document.querySelector("mark[data-c]")) {
    window.addEventListener("hashchange", showCurrent);
    showCurrent();
  }
  var form = document.getElementById("search");
  if (form) { enhanceSearch(form); }
}());
