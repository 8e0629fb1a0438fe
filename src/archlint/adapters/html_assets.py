"""The style sheet and the script of the HTML report, inlined into every page.

The script is the drill-down alone: it reads the module graph from a JSON block of the page
(``<script type="application/json" id="drill-data">``) and builds every element with
``textContent``, never ``innerHTML``, so a module name is text whatever it holds.
"""

from __future__ import annotations

CSS = """
:root { --red: #c62828; --green: #2e7d32; --grey: #666; --line: #ddd; --bg: #fafafa; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0;
  color: #222; background: #fff; }
header { background: #263238; color: #fff; padding: 16px 28px; }
header h1 { margin: 0 0 4px; font-size: 20px; font-weight: 600; }
header .meta { color: #b0bec5; font-size: 12px; }
nav { position: sticky; top: 0; background: #fff; border-bottom: 1px solid var(--line);
  padding: 6px 28px; z-index: 2; }
nav a { margin-right: 16px; color: #37474f; text-decoration: none; font-size: 13px; }
nav a:hover { text-decoration: underline; }
main { padding: 8px 28px 40px; max-width: 1400px; overflow-wrap: anywhere; }
section { margin-top: 24px; }
h2 { font-size: 17px; border-bottom: 2px solid #eceff1; padding-bottom: 4px; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin-top: 16px; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 10px 16px; min-width: 150px;
  background: var(--bg); }
.card .n { font-size: 24px; font-weight: 600; }
.card .l { color: var(--grey); font-size: 12px; }
.card.bad .n { color: var(--red); }
.card.good .n { color: var(--green); }
.badge { display: inline-block; font-size: 11px; font-weight: 600; padding: 1px 7px;
  border-radius: 10px; color: #fff; vertical-align: 1px; }
.badge.kept { background: var(--green); }
.badge.broken, .badge.ARC002 { background: var(--red); }
.badge.ARC001, .badge.ARC003 { background: #ef6c00; }
.badge.type { background: #78909c; }
details { border: 1px solid var(--line); border-radius: 6px; margin: 8px 0; background: #fff; }
details > summary { cursor: pointer; padding: 8px 12px; list-style-position: inside; }
details[open] > summary { border-bottom: 1px solid var(--line); background: var(--bg); }
details .body { padding: 8px 14px 12px; overflow-x: auto; }
td.mono { word-break: break-word; }
table.sites { width: 100%; }
.why { color: #37474f; background: #f3f6f8; border-left: 3px solid #90a4ae; padding: 6px 10px;
  margin: 6px 0; white-space: pre-wrap; }
.muted { color: var(--grey); font-size: 12px; }
.violation { margin: 10px 0 4px; font-weight: 600; }
ol.chain, ul.chain { margin: 4px 0 8px; padding-left: 22px; font-family: ui-monospace,
  SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; }
ol.chain li, ul.chain li { margin: 1px 0; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
  font-size: 12px; }
.loc { color: var(--grey); }
table { border-collapse: collapse; margin: 6px 0; }
th, td { border: 1px solid var(--line); padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: #eceff1; font-weight: 600; font-size: 12px; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.down { color: var(--green); }
td.up { color: var(--red); }
.diagram-box { overflow: auto; border: 1px solid var(--line); border-radius: 6px; padding: 8px;
  background: #fff; max-height: 900px; }
.diagram-box svg { max-width: none; height: auto; }
.note { background: #fff8e1; border: 1px solid #ffe082; padding: 6px 10px; border-radius: 4px; }
#drill .crumbs button, #drill td button { border: none; background: none; color: #1565c0;
  cursor: pointer; padding: 0; font: inherit; }
#drill .crumbs button:hover, #drill td button:hover { text-decoration: underline; }
#drill .crumbs span.sep { color: #999; margin: 0 4px; }
#drill table.matrix th.col { writing-mode: vertical-rl; transform: rotate(180deg);
  white-space: nowrap; font-weight: normal; }
#drill table.matrix td { text-align: center; min-width: 26px; }
#drill table.matrix td:first-child { text-align: left; }
#drill table.matrix td.self { background: #f5f5f5; }
#drill table.matrix td.has { background: #e3f2fd; }
#drill table.matrix td.bad { background: #ffebee; color: var(--red); font-weight: 600; }
.legend span { display: inline-block; width: 12px; height: 12px; vertical-align: -2px;
  margin: 0 4px 0 12px; border: 1px solid var(--line); }
"""

JS = """
(function () {
  "use strict";
  var holder = document.getElementById("drill");
  var source = document.getElementById("drill-data");
  if (!holder || !source) { return; }
  var data = JSON.parse(source.textContent);
  var names = data.modules, edges = data.edges;
  var kids = { "": {} }, size = {};
  names.forEach(function (name) {
    var parts = name.split("."), parent = "";
    for (var k = 0; k < parts.length; k++) {
      var here = k ? parent + "." + parts[k] : parts[k];
      (kids[parent] = kids[parent] || {})[here] = true;
      size[here] = (size[here] || 0) + 1;
      parent = here;
    }
  });
  function childOf(pkg, name) {
    if (pkg === "") { return name.split(".")[0]; }
    if (name === pkg) { return pkg; }
    if (name.indexOf(pkg + ".") !== 0) { return null; }
    var rest = name.slice(pkg.length + 1), dot = rest.indexOf(".");
    return pkg + "." + (dot < 0 ? rest : rest.slice(0, dot));
  }
  function short(pkg, name) {
    return name === pkg ? "(__init__)" : (pkg === "" ? name : name.slice(pkg.length + 1));
  }
  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    if (cls) { node.className = cls; }
    return node;
  }
  function show(pkg) {
    var children = Object.keys(kids[pkg] || {}).sort();
    if (pkg !== "" && names.indexOf(pkg) >= 0) { children.unshift(pkg); }
    var index = {}, count = {}, bad = {}, out = {}, into = {};
    children.forEach(function (c, i) { index[c] = i; out[c] = 0; into[c] = 0; });
    for (var e = 0; e < edges.length; e += 3) {
      var a = childOf(pkg, names[edges[e]]), b = childOf(pkg, names[edges[e + 1]]);
      if (a === null && b === null) { continue; }
      if (a !== null && b === null) { out[a] += 1; continue; }
      if (a === null && b !== null) { into[b] += 1; continue; }
      var key = index[a] + ":" + index[b];
      count[key] = (count[key] || 0) + 1;
      if (edges[e + 2]) { bad[key] = (bad[key] || 0) + 1; }
    }
    holder.textContent = "";
    var crumbs = el("div", null, "crumbs");
    var path = pkg === "" ? [] : pkg.split(".");
    var top = el("button", "(all root packages)");
    top.addEventListener("click", function () { show(""); });
    crumbs.appendChild(top);
    path.forEach(function (part, i) {
      crumbs.appendChild(el("span", "\\u203a", "sep"));
      var target = path.slice(0, i + 1).join(".");
      var button = el("button", part);
      button.addEventListener("click", function () { show(target); });
      crumbs.appendChild(button);
    });
    holder.appendChild(crumbs);
    holder.appendChild(el("p", children.length + " children; a cell counts the module " +
      "imports from the row into the column; red cells hold imports that break a contract. " +
      "Click a package to open it.", "muted"));
    var table = el("table", null, "matrix");
    var head = el("tr");
    head.appendChild(el("th", "importer \\u2193 / imported \\u2192"));
    head.appendChild(el("th", "modules", "num"));
    var wide = children.length <= 40;
    if (wide) {
      children.forEach(function (c) {
        var th = el("th", short(pkg, c), "col"); th.title = c; head.appendChild(th);
      });
    }
    head.appendChild(el("th", "out of here", "num"));
    head.appendChild(el("th", "into here", "num"));
    table.appendChild(head);
    children.forEach(function (row, i) {
      var tr = el("tr"), th = el("td");
      if (row !== pkg && kids[row] && Object.keys(kids[row]).length) {
        var open = el("button", short(pkg, row));
        open.title = row;
        open.addEventListener("click", function () { show(row); });
        th.appendChild(open);
      } else { th.textContent = short(pkg, row); th.title = row; }
      tr.appendChild(th);
      tr.appendChild(el("td", row === pkg ? 1 : (size[row] || 1), "num"));
      if (wide) {
        children.forEach(function (col, j) {
          var key = i + ":" + j, n = count[key] || 0;
          var td = el("td", n ? n : "");
          td.className = i === j ? "self" : (bad[key] ? "bad" : (n ? "has" : ""));
          td.title = row + " \\u2192 " + col + ": " + n + " imports" +
            (bad[key] ? ", " + bad[key] + " breaking a contract" : "");
          tr.appendChild(td);
        });
      }
      tr.appendChild(el("td", out[row], "num"));
      tr.appendChild(el("td", into[row], "num"));
      table.appendChild(tr);
    });
    holder.appendChild(table);
  }
  show(data.start || "");
})();
"""
