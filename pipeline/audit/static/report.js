/* newsletter-extract audit report: boxes <-> rows, filtering, sorting, decision lines.
   Runs from file:// with no network; every page carries this script inline. */
(function () {
  "use strict";
  const $ = (selector, root) => (root || document).querySelector(selector);
  const $$ = (selector, root) => Array.from((root || document).querySelectorAll(selector));
  const keyed = (tag, key) => $$(`${tag}[data-key="${CSS.escape(key)}"]`);

  // --- show a mention: highlight its box(es) and row(s) ---------------------
  function showPanelOf(row) {
    const panel = row.closest(".panel");
    if (panel && panel.hidden) {
      const tab = $(`.tabs button[data-panel="${CSS.escape(panel.id)}"]`);
      if (tab) tab.click();
    }
  }

  function show(key, options) {
    const { scrollBox = true, scrollRow = false } = options || {};
    $$(".active").forEach((element) => element.classList.remove("active"));
    const boxes = keyed(".box", key);
    const rows = keyed("tr", key);
    boxes.forEach((box) => box.classList.add("active"));
    rows.forEach((row) => { row.classList.add("active"); showPanelOf(row); });
    if (scrollBox && boxes.length) boxes[0].scrollIntoView({ block: "center", inline: "nearest" });
    if (scrollRow && rows.length) rows[0].scrollIntoView({ block: "nearest" });
    if (history.replaceState) history.replaceState(null, "", "#" + encodeURIComponent(key));
    return boxes.length;
  }
  window.auditShow = show;

  document.addEventListener("click", (event) => {
    const box = event.target.closest(".box[data-key]");
    if (box) { show(box.dataset.key, { scrollBox: false, scrollRow: true }); return; }
    if (event.target.closest("button, a, input, select, textarea")) return;
    const row = event.target.closest("tr[data-key]");
    if (row) show(row.dataset.key);
  });

  // --- tabs -----------------------------------------------------------------
  $$(".tabs button[data-panel]").forEach((tab) => {
    tab.addEventListener("click", () => {
      const tabs = tab.closest(".tabs");
      $$("button[data-panel]", tabs).forEach((other) => {
        const selected = other === tab;
        other.setAttribute("aria-selected", String(selected));
        const panel = document.getElementById(other.dataset.panel);
        if (panel) panel.hidden = !selected;
      });
    });
  });

  // --- layers ---------------------------------------------------------------
  $$("input.layer[data-kind]").forEach((toggle) => {
    toggle.addEventListener("change", () => document.body.classList.toggle("hide-" + toggle.dataset.kind, !toggle.checked));
  });

  // --- filter: text in any cell, and audit status; boxes of hidden rows fade -
  function applyFilter(panel) {
    const query = ($("input[type=search]", panel) || {}).value || "";
    const wanted = ($("select.status", panel) || {}).value || "";
    const needle = query.trim().toLowerCase();
    $$("tbody tr", panel).forEach((row) => {
      const textOk = !needle || row.textContent.toLowerCase().includes(needle);
      const statusOk = !wanted || row.dataset.status === wanted;
      row.hidden = !(textOk && statusOk);
      if (row.dataset.key) keyed(".box", row.dataset.key).forEach((box) => box.classList.toggle("filtered", row.hidden));
    });
    const shown = $(".shown", panel);
    if (shown) shown.textContent = String($$("tbody tr", panel).filter((row) => !row.hidden).length);
  }
  $$(".panel, .filterable").forEach((panel) => {
    $$("input[type=search], select.status", panel).forEach((input) => input.addEventListener("input", () => applyFilter(panel)));
  });

  // --- sort: click a header; numbers as numbers, empty cells last -----------
  function sortValue(cell) {
    if (!cell) return "";
    return cell.dataset.sort !== undefined ? cell.dataset.sort : cell.textContent.trim();
  }
  $$("table.data th[data-sortable]").forEach((header) => {
    header.addEventListener("click", () => {
      const table = header.closest("table");
      const column = Array.from(header.parentNode.children).indexOf(header);
      const ascending = header.getAttribute("aria-sort") !== "ascending";
      $$("th", table).forEach((other) => other.removeAttribute("aria-sort"));
      header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      const body = table.tBodies[0];
      const rows = Array.from(body.rows);
      rows.sort((left, right) => {
        const a = sortValue(left.cells[column]);
        const b = sortValue(right.cells[column]);
        if (a === "" || b === "") return a === b ? 0 : a === "" ? 1 : -1;
        const numberA = Number(a), numberB = Number(b);
        const order = !Number.isNaN(numberA) && !Number.isNaN(numberB) ? numberA - numberB : a.localeCompare(b, "ja");
        return ascending ? order : -order;
      });
      rows.forEach((row) => body.appendChild(row));
    });
  });

  // --- decision lines for audit/decisions.csv --------------------------------
  function csvCell(value) {
    const text = value == null ? "" : String(value);
    return /[",\r\n]/.test(text) || text !== text.trim() ? '"' + text.replace(/"/g, '""') + '"' : text;
  }
  const csvLine = (values) => values.map(csvCell).join(",");
  window.auditCsvLine = csvLine;

  const bar = $("#decision-bar");
  const lineInput = $("#decision-line");
  const list = $("#decision-list");
  const storageKey = "newsletter-extract-audit-lines:" + location.pathname.replace(/[^/]*$/, "");

  function copy(text, button) {
    const done = () => { if (button) { const label = button.textContent; button.textContent = "Copied"; setTimeout(() => (button.textContent = label), 1200); } };
    const fallback = () => {
      const scratch = document.createElement("textarea");
      scratch.value = text; document.body.appendChild(scratch); scratch.select();
      try { document.execCommand("copy"); done(); } finally { scratch.remove(); }
    };
    if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(text).then(done, fallback);
    else fallback();
  }
  function saveList() {
    try { localStorage.setItem(storageKey, list.value); } catch (error) { /* file:// storage may be off */ }
    const count = $("#n-lines");
    if (count) count.textContent = String(list.value.split("\n").filter((line) => line.trim()).length);
  }

  if (bar && lineInput && list) {
    try { list.value = localStorage.getItem(storageKey) || ""; } catch (error) { /* ignore */ }
    saveList();
    $$("td.decide button[data-decision]").forEach((button) => {
      button.addEventListener("click", (event) => {
        event.stopPropagation();
        const row = button.closest("tr");
        const data = row.dataset;
        const decision = button.dataset.decision;
        const corrected = decision === "corrected";
        lineInput.value = csvLine([data.id, data.table, decision, corrected ? data.field : "", corrected ? data.value : "", data.surface, ""]);
        bar.hidden = false;
        document.body.classList.add("has-bar");
        lineInput.focus();
        if (corrected) lineInput.setSelectionRange(0, lineInput.value.length);
        show(row.dataset.key, { scrollBox: false });
      });
    });
    $("#copy-line").addEventListener("click", (event) => copy(lineInput.value, event.target));
    $("#add-line").addEventListener("click", () => {
      if (!lineInput.value.trim()) return;
      list.value = (list.value.trim() ? list.value.replace(/\s*$/, "\n") : "") + lineInput.value + "\n";
      saveList();
    });
    $("#copy-list").addEventListener("click", (event) => copy(list.value, event.target));
    $("#clear-list").addEventListener("click", () => { list.value = ""; saveList(); });
    $("#close-bar").addEventListener("click", () => { bar.hidden = true; document.body.classList.remove("has-bar"); });
    list.addEventListener("input", saveList);
  }

  // --- open at #key ----------------------------------------------------------
  if (location.hash.length > 1) {
    const key = decodeURIComponent(location.hash.slice(1));
    if (keyed("tr", key).length || keyed(".box", key).length) window.addEventListener("load", () => show(key));
  }
})();
