// Numeric vs backprop: the lecture checks backprop by nudging a leaf by h and watching the
// output. Switched on, every drawn leaf gets that estimate (probe.js: the evaluator is
// asked, never moved) next to its backprop grad: on its record (data-numeric-grad, and a
// dashed outline where the two differ) and in a table that says so in words.
//
// "Backprop grad" is what a backward pass from the output gives now (Evaluator.backprop()),
// as the kernel's gradcheck() compares, not the grad the leaf holds (0 before backward()
// ran). Nothing is checked while the graph's numbers do not follow from its leaves (a
// probe reruns only what its leaf feeds: it would answer for another graph), nor while the
// learner's grads are hidden (the estimates are the answers).

import { fmt } from "./format.js";
import { agrees, GRADCHECK, numericGrad } from "./probe.js";
import { INCONSISTENT } from "./tangent.js";

const DEFAULT_H = GRADCHECK.h; // as the kernel's gradcheck()
const NODE_ID = /^n(\d+)$/;
const DISAGREE = "agw-disagree";
const ATTRIBUTE = "data-numeric-grad";

/** @type {Record<"central" | "forward", string>} */
const CAPTIONS = {
  central: "Numeric check: (f(x+h) − f(x−h)) / 2h vs backprop",
  forward: "Numeric check: (f(x+h) − f(x)) / h vs backprop",
};

/**
 * @typedef {object} NumericContext the integration contract's ctx, the parts used here
 * @property {HTMLElement} parent
 * @property {import("./evaluator.js").Evaluator} ev
 * @property {() => Element | null} canvas
 * @property {(id: number) => string} labelOf
 * @property {() => boolean} [gradsHidden] the learner's grads are hidden (the quiz): no check
 */

/**
 * The drawn leaves' records (g.node.leaf, id n{i}), by node id in tape order.
 * @param {NumericContext} ctx @returns {Map<number, Element>}
 */
function drawnLeaves(ctx) {
  /** @type {[number, Element][]} */
  const found = [];
  for (const g of ctx.canvas()?.querySelectorAll("g.node.leaf") ?? []) {
    const m = NODE_ID.exec(g.id);
    if (m && ctx.ev.isLeaf(Number(m[1]))) found.push([Number(m[1]), g]);
  }
  return new Map(found.sort((a, b) => a[0] - b[0]));
}

/**
 * Mount the "Numeric check" toggle, its h and difference controls, and (while on) the table.
 * @param {NumericContext} ctx
 */
export function mountNumeric(ctx) {
  const { parent, ev } = ctx;
  const doc = parent.ownerDocument;
  let on = false;
  let h = DEFAULT_H;
  /** @type {"central" | "forward"} */
  let kind = "central";
  /** @type {Map<number, Element>} the records marked now */
  let records = new Map();
  /** @type {Map<number, {grad: HTMLElement, numeric: HTMLElement, verdict: HTMLElement}>} */
  let rows = new Map();

  const bar = doc.createElement("div");
  bar.className = "agw-numeric";
  const toggle = doc.createElement("button");
  toggle.type = "button";
  toggle.className = "agw-tool";
  toggle.textContent = "Numeric check";
  toggle.setAttribute("aria-pressed", "false");

  const options = doc.createElement("span");
  options.className = "agw-numeric-options";
  options.hidden = true;
  const hLabel = doc.createElement("label");
  const hInput = doc.createElement("input");
  hInput.type = "number";
  hInput.step = "any";
  hInput.min = "0";
  hInput.value = String(DEFAULT_H);
  hInput.setAttribute("aria-label", "h (finite-difference step)");
  hLabel.append("h ", hInput);
  const kindLabel = doc.createElement("label");
  const kindSelect = doc.createElement("select");
  kindSelect.setAttribute("aria-label", "Difference");
  for (const value of ["central", "forward"]) {
    const option = doc.createElement("option");
    option.value = value;
    option.textContent = value;
    kindSelect.append(option);
  }
  kindSelect.value = kind;
  kindLabel.append("Difference ", kindSelect);
  options.append(hLabel, kindLabel);
  bar.append(toggle, options);
  // their keys are their own, not JupyterLab's command mode's
  for (const el of [toggle, hInput, kindSelect]) el.setAttribute("data-lm-suppress-shortcuts", "true");

  const table = doc.createElement("table");
  table.className = "agw-numeric-table";
  const caption = doc.createElement("caption");
  const head = doc.createElement("thead");
  const body = doc.createElement("tbody");
  const headRow = doc.createElement("tr");
  for (const name of ["leaf", "backprop grad", "numeric", "agrees"]) {
    const th = doc.createElement("th");
    th.scope = "col";
    th.textContent = name;
    headRow.append(th);
  }
  head.append(headRow);
  table.append(caption, head, body);
  const stale = doc.createElement("p");
  stale.className = "agw-numeric-inconsistent";
  stale.textContent = INCONSISTENT;
  parent.append(bar);
  /** Whether the records and rows hold marks for the numbers as they are shown now. */
  let live = false;
  const hidden = () => ctx.gradsHidden?.() === true;

  /** One row per drawn leaf, made when the drawn leaves change. */
  function buildRows() {
    rows = new Map();
    body.replaceChildren();
    for (const id of records.keys()) {
      const tr = doc.createElement("tr");
      const th = doc.createElement("th");
      th.scope = "row";
      th.textContent = ctx.labelOf(id);
      const cell = () => doc.createElement("td");
      const grad = cell();
      const numeric = cell();
      const verdict = cell();
      tr.append(th, grad, numeric, verdict);
      body.append(tr);
      rows.set(id, { grad, numeric, verdict });
    }
  }

  /** The estimates for the leaves drawn now, onto their records and rows. */
  function compute() {
    caption.textContent = CAPTIONS[kind];
    const fresh = ev.backprop();
    for (const [id, g] of records) {
      const numeric = numericGrad(ev, id, h, kind);
      const grad = fresh[id];
      // a stale grad is a last known number, not backprop's answer here: nothing to judge
      const unknown = ev.staleGrad[id] === 1;
      const differs = !unknown && !agrees(numeric, grad);
      g.setAttribute(ATTRIBUTE, String(numeric));
      g.classList.toggle(DISAGREE, differs);
      const row = rows.get(id);
      if (!row) continue;
      row.grad.textContent = fmt(grad);
      row.numeric.textContent = fmt(numeric);
      row.verdict.textContent = unknown ? "? grad stale" : differs ? "✗ differs" : "✓";
      row.verdict.className = differs ? "agw-differs" : "";
    }
  }

  /** Take the marks off the records marked now. */
  function unmark() {
    for (const g of records.values()) {
      g.removeAttribute(ATTRIBUTE);
      g.classList.remove(DISAGREE);
    }
    records = new Map();
  }

  /** Find the drawn leaves again (a new drawing), rows to match, and mark them. */
  function refresh() {
    unmark();
    records = drawnLeaves(ctx);
    buildRows();
    compute();
    live = true;
  }

  /** No marks, no rows, no table. */
  function clear() {
    unmark();
    rows = new Map();
    body.replaceChildren();
    table.remove();
    stale.remove();
    live = false;
  }

  /**
   * Show what may be shown now: nothing while off or while grads are hidden (the button is
   * disabled then), one line while the numbers do not follow from the leaves, else the
   * marks and the table, computed again (`again`: the records found again too).
   * @param {boolean} [again]
   */
  function show(again = false) {
    const hide = hidden();
    if (hide) toggle.setAttribute("aria-disabled", "true");
    else toggle.removeAttribute("aria-disabled");
    options.hidden = !on || hide;
    if (!on || hide) return clear();
    if (!ev.consistent) {
      clear();
      bar.after(stale);
      return;
    }
    stale.remove();
    if (!table.isConnected) bar.after(table);
    if (again || !live) refresh();
    else compute();
  }

  /** @param {boolean} next */
  function setOn(next) {
    on = next;
    toggle.setAttribute("aria-pressed", String(on));
    show(true);
  }

  toggle.addEventListener("click", () => {
    if (!hidden()) setOn(!on);
  });
  const readH = () => {
    const text = hInput.value.trim();
    const x = Number(text);
    if (text === "" || !Number.isFinite(x) || x <= 0) {
      hInput.setAttribute("aria-invalid", "true"); // the last good h stays in use
      return;
    }
    hInput.removeAttribute("aria-invalid");
    if (x === h) return;
    h = x;
    if (on) show();
  };
  hInput.addEventListener("input", readH);
  hInput.addEventListener("change", readH);
  kindSelect.addEventListener("change", () => {
    kind = kindSelect.value === "forward" ? "forward" : "central";
    if (on) show();
  });

  return {
    /** The evaluator's numbers changed (or whether grads are hidden): new estimates, on the same records. */
    update: () => show(),
    /** A new drawing: its leaves' records get the marks. */
    redraw: () => show(true),
    destroy() {
      clear();
      bar.remove();
    },
  };
}
