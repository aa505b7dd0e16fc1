import assert from "node:assert/strict";
import { test } from "node:test";
import { Boxes } from "./boxes.js";
import { boxesGraph, N0, N1, OUT, RECORD } from "./fixtures/boxes-graph.js";
import { newWindow } from "./fixtures/dom.js";
import { pointer as mouse } from "./fixtures/pointer.js";
import { renderWidget } from "./fixtures/render-widget.js";
import { dataField } from "./format.js";
import { parseSvg } from "./svg.js";

/** The boxes graph in a widget, with handles to press and key on the drawing. */
function render() {
  const graph = boxesGraph();
  const widget = renderWidget(graph.state);
  const { window, el, model } = widget;
  const fig = /** @type {HTMLElement} */ (el.querySelector(".agw-drawing"));
  const g = (/** @type {string} */ id) => /** @type {HTMLElement} */ (el.querySelector(`g[id="${id}"]`));
  /** @param {string} type @param {Element} target @param {number} x */
  const pointer = (type, target, x) => mouse(window, type, target, x, 50);
  /** Press on target (a group: on its outline) and release after moving dx px. */
  const press = (/** @type {Element} */ target, dx = 0) => {
    const shape = target.querySelector("path") ?? target;
    pointer("pointerdown", shape, 200);
    if (dx) pointer("pointermove", fig, 200 + dx);
    pointer("pointerup", fig, 200 + dx);
  };
  const key = (/** @type {Element} */ target, /** @type {string} */ k) => {
    const e = new window.KeyboardEvent("keydown", { key: k, bubbles: true, cancelable: true });
    target.dispatchEvent(e);
    return e;
  };
  const expands = () => model.sent.filter((m) => m.type === "expand");
  return { ...widget, graph, fig, g, press, key, expands };
}

test("each box drawn is a button: a collapsed box's record, an open box's cluster", () => {
  const { g, graph, model, window } = render();
  const box = g(`n${N0}`);
  assert.deepEqual(
    ["data-scope", "aria-expanded", "role", "tabindex", "aria-label"].map((a) => box.getAttribute(a)),
    ["L0.N0", "false", "button", "0", "L0.N0: 5 nodes, press Enter to expand"],
  );
  assert.ok(box.classList.contains("agw-box") && box.classList.contains("node"));
  assert.equal(box.getAttribute("data-value"), String(Math.tanh(-1 * 0.5 + 0.25)), "patch.js writes its numbers");
  assert.ok(box.getAttribute("data-grad"));
  assert.equal(g(`n${OUT}`).getAttribute("role"), null, "a plain node is no button");
  model.kernelUpdate(graph.open);
  const cluster = g(`c${N0}`);
  assert.deepEqual(
    ["data-scope", "aria-expanded", "role", "tabindex", "aria-label"].map((a) => cluster.getAttribute(a)),
    ["L0.N0", "true", "button", "0", "L0.N0: press Enter to collapse"],
  );
  assert.equal(cluster.getAttribute("data-value"), g(`n${N0}`).getAttribute("data-value"), "its output node's numbers");
  assert.equal(cluster.getAttribute("data-grad"), g(`n${N0}`).getAttribute("data-grad"));
  const inside = g(`n${N0}`);
  assert.equal(inside.getAttribute("aria-expanded"), null, "the output inside is an ordinary record");
  assert.equal(inside.classList.contains("agw-box"), false);
  assert.equal(g(`n${N1}`).getAttribute("aria-expanded"), "false", "the other box is still one");
  assert.equal(window.document.querySelectorAll("g[aria-expanded]").length, 2);
});

test("an open box's numbers follow every patch, like its output node's", async (t) => {
  t.mock.timers.enable({ apis: ["setTimeout", "Date"] });
  const { g, graph, model, drag, frame } = render();
  model.kernelUpdate(graph.open);
  drag("x", 1.5);
  await frame();
  const want = Math.tanh(-1 * 1.5 + 0.25);
  assert.equal(g(`c${N0}`).getAttribute("data-value"), String(want));
  assert.equal(g(`n${N0}`).getAttribute("data-value"), String(want));
  assert.equal(g(`c${N0}`).getAttribute("data-grad"), g(`n${N0}`).getAttribute("data-grad"));
});

test("a tap on a box asks the kernel to open it, once until the new drawing; a drag from it pans", () => {
  const { g, graph, model, press, expands, fig } = render();
  const box = g(`n${N0}`);
  press(box);
  assert.deepEqual(expands(), [{ type: "expand", id: N0, open: true }]);
  assert.equal(box.getAttribute("aria-busy"), "true");
  assert.equal(box.classList.contains("selected"), false, "opening is what a tap on a box does");
  press(box);
  assert.equal(expands().length, 1, "a double-click is one request");
  model.kernelSets("notice", "L0.N0 has 70,000 nodes: too many to draw open");
  assert.equal(box.getAttribute("aria-busy"), null, "an answer without a drawing: it may be pressed again");
  fig.scrollLeft = 100;
  press(g(`n${N1}`), 40);
  assert.equal(expands().length, 1, "a drag is no tap");
  assert.equal(fig.scrollLeft, 60, "it pans");
  model.kernelUpdate(graph.open);
  press(/** @type {Element} */ (g(`c${N0}`).querySelector("text")));
  assert.deepEqual(expands().at(-1), { type: "expand", id: N0, open: false }, "a tap on an open box's label closes it");
  assert.ok(
    model.sent.every((m) => m.type === "expand"),
    "no view or seq: the kernel answers with traits",
  );
});

test("a member of an open box is a node of its own: a tap selects it and sends nothing", () => {
  const { g, graph, model, press, expands } = render();
  model.kernelUpdate(graph.open);
  press(g("n1"));
  assert.ok(g("n1").classList.contains("selected"));
  assert.equal(expands().length, 0);
});

test("Enter or Space on a focused box toggles it; focus comes back on its new element", () => {
  const { g, graph, model, key, expands, window, slider } = render();
  /** @type {string[]} */
  const reached = [];
  window.document.addEventListener("keydown", (/** @type {KeyboardEvent} */ e) => reached.push(e.key));
  g(`n${N0}`).focus();
  const enter = key(g(`n${N0}`), "Enter");
  assert.equal(enter.defaultPrevented, true);
  assert.deepEqual(reached, [], "JupyterLab's command mode never sees it");
  assert.deepEqual(expands(), [{ type: "expand", id: N0, open: true }]);
  model.kernelUpdate(graph.open);
  assert.equal(window.document.activeElement, g(`c${N0}`), "the open box, by the same id");
  const space = key(g(`c${N0}`), " ");
  assert.equal(space.defaultPrevented, true, "Space does not scroll the box");
  assert.deepEqual(expands().at(-1), { type: "expand", id: N0, open: false });
  model.kernelUpdate(graph.collapsed);
  assert.equal(window.document.activeElement, g(`n${N0}`), "the collapsed box again");
  key(g(`n${N0}`), "a");
  assert.deepEqual(reached, ["a"], "other keys go on");
  const level = () => window.document.querySelector(".agw-zoom")?.textContent;
  const was = level();
  assert.equal(key(g(`n${N0}`), "+").defaultPrevented, true, "the drawing's keys work from a box too");
  assert.notEqual(level(), was);
  assert.equal(expands().length, 2);
  key(g(`n${N0}`), "Enter");
  slider("x").focus(); // the person went on elsewhere before the drawing came
  model.kernelUpdate(graph.open);
  assert.equal(window.document.activeElement, slider("x"), "focus is not taken back");
});

test("a drawing this view did not ask for (another view opened a box) moves no focus, and keeps a box's", () => {
  const { graph, model, slider, window, g, key, expands } = render();
  slider("x").focus();
  model.kernelUpdate(graph.open);
  assert.equal(window.document.activeElement, slider("x"));
  g(`n${N1}`).focus();
  model.kernelUpdate(graph.collapsed);
  assert.equal(window.document.activeElement, g(`n${N1}`), "the focused box, in the new drawing");
  key(g(`n${N0}`), "Enter");
  model.kernelSets("notice", "L0.N0 is too big to open");
  assert.equal(g(`n${N0}`).getAttribute("aria-busy"), null);
  const moved = graph.collapsed.svg.replace('width="480pt"', 'width="481pt"');
  model.kernelUpdate({ svg: moved, boxes: graph.collapsed.boxes }); // for another reason, N0 still closed
  assert.equal(window.document.activeElement, g(`n${N1}`), "the refused toggle takes nothing");
  assert.equal(expands().length, 1);
});

test("the box toggled stays where it was on screen: the scroll box moves by what its node moved", () => {
  const window = newWindow();
  const doc = window.document;
  const graph = boxesGraph();
  const fig = doc.createElement("div");
  fig.tabIndex = 0;
  doc.body.append(fig);
  // client boxes from the drawing's own coordinates (100%), the scroll box at (0, 0)
  window.Element.prototype.getBoundingClientRect = function () {
    const d = /^M(\d+),(\d+)h(\d+)v(\d+)/.exec(this.querySelector?.(":scope > path")?.getAttribute("d") ?? "");
    const [x, y, w, h] = d ? d.slice(1).map(Number) : [0, 0, 0, 0];
    const [left, top] = [x - fig.scrollLeft, y - fig.scrollTop];
    const rect = { left, top, width: w, height: h, right: left + w, bottom: top + h, x: left, y: top };
    return /** @type {DOMRect} what boxes.js reads of one (no toJSON) */ (rect);
  };
  /** @type {import("./types.js").ViewMessage[]} */
  const sent = [];
  const boxes = new Boxes({ box: fig, send: (m) => sent.push(m) });
  const mountSvg = (/** @type {string} */ svg, /** @type {any[]} */ list) => {
    fig.replaceChildren(parseSvg(doc, svg));
    boxes.decorate(fig, list);
  };
  mountSvg(graph.state.svg, graph.state.boxes);
  fig.scrollLeft = 30;
  assert.equal(boxes.tap(fig.querySelector(`g[id="n${N0}"] text`)), true);
  assert.deepEqual(sent, [{ type: "expand", id: N0, open: true }]);
  fig.focus(); // a click focuses the drawing (scrub.js)
  const focus = boxes.focusBefore();
  assert.deepEqual(focus, { inside: true, box: null });
  mountSvg(graph.open.svg, graph.open.boxes);
  /** @type {[number, number][]} */
  const scrolled = [];
  boxes.restore(fig, focus, (dx, dy) => scrolled.push([dx, dy]));
  // n5: corner (170, 10) collapsed, (490, 70) open, both RECORD-sized: the same shift for its centre
  assert.deepEqual(scrolled, [[490 - 170, 70 - 10]]);
  assert.equal(doc.activeElement, fig.querySelector(`g[id="c${N0}"]`));
  boxes.restore(fig, focus, (dx, dy) => scrolled.push([dx, dy]));
  assert.equal(scrolled.length, 1, "once per toggle");
  assert.equal(boxes.tap(fig.querySelector('g[id="n1"] path')), false, "a member is no box");
  window.close();
});

test("in the widget, that shift scrolls the drawing (the zoom's pan): the box is where it was", () => {
  const graph = boxesGraph();
  const { el, model } = renderWidget(graph.state, (window) => {
    // a record's client box from its outline at 100%, less the scroll box's scroll offsets
    /** @type {any} */ (window).Element.prototype.getBoundingClientRect = function () {
      const fig = this.ownerDocument.querySelector(".agw-drawing");
      const d = /^M(\d+),(\d+)h(\d+)v(\d+)/.exec(this.querySelector?.(":scope > path")?.getAttribute("d") ?? "");
      const [x, y, w, h] = d && this !== fig ? d.slice(1).map(Number) : [0, 0, 0, 0];
      const [left, top] = [x - (this === fig ? 0 : fig.scrollLeft), y - (this === fig ? 0 : fig.scrollTop)];
      return { left, top, width: w, height: h, right: left + w, bottom: top + h, x: left, y: top };
    };
  });
  const fig = /** @type {HTMLElement} */ (el.querySelector(".agw-drawing"));
  const box = () => /** @type {Element} */ (el.querySelector(`g[id="n${N0}"]`));
  const where = () => box().getBoundingClientRect();
  const before = where();
  box().dispatchEvent(
    new /** @type {any} */ (el.ownerDocument.defaultView).KeyboardEvent("keydown", { key: "Enter", bubbles: true }),
  );
  model.kernelUpdate(graph.open);
  assert.deepEqual([fig.scrollLeft, fig.scrollTop], [490 - 170, 70 - 10]);
  assert.deepEqual([where().left, where().top], [before.left, before.top], "its output node did not move on screen");
  assert.ok(RECORD.w > 0 && where().width === RECORD.w);
});

test("a new drawing replaces the old in place, patched at once with the evaluator's numbers", async (t) => {
  t.mock.timers.enable({ apis: ["setTimeout", "Date"] });
  const { g, graph, model, drag, frame, el, fig, press } = render();
  press(g(`n${OUT}`)); // selected
  drag("x", 1);
  await frame();
  model.kernelUpdate(graph.open); // the kernel's picture still shows x = 0.5
  assert.equal(fig.querySelectorAll(".agw-canvas").length, 1, "one drawing");
  assert.equal(g("n0").getAttribute("data-value"), "1", "no frame waited for");
  assert.equal([...g("n0").querySelectorAll("text")].at(-2)?.textContent, dataField(1));
  const n1 = Math.tanh(-1 * 1 + 0.25);
  assert.equal(g(`n${N0}`).getAttribute("data-value"), String(n1));
  assert.ok(g(`n${OUT}`).classList.contains("output"));
  assert.ok(g("n0").classList.contains("agw-scrub"), "x still scrubs");
  assert.ok(g(`n${OUT}`).classList.contains("selected"), "the selection too");
  assert.equal(fig.querySelectorAll(".selected").length, 1);
  assert.equal(el.querySelectorAll("pattern").length, 1, "one hatch: the old drawing's went with it");
  assert.equal(g("n1").getAttribute("data-label"), "L0.N0.w");
});

test("the zoom a person chose stays across a new drawing", () => {
  const { graph, model, el } = render();
  const canvas = () => /** @type {HTMLElement} */ (el.querySelector(".agw-canvas"));
  const zoomIn = /** @type {HTMLButtonElement} */ (el.querySelector('.agw-toolbar button[aria-label="Zoom in"]'));
  zoomIn.click();
  assert.equal(el.querySelector(".agw-zoom")?.textContent, "125%");
  model.kernelUpdate(graph.open);
  assert.equal(el.querySelectorAll(".agw-toolbar").length, 1);
  assert.equal(el.querySelectorAll(".agw-toolbar button").length, 4, "the same four buttons");
  assert.equal(canvas().style.width, `${Math.floor(760 * (4 / 3) * 1.25)}px`, "the new drawing at 125%");
  assert.equal(el.querySelector(".agw-zoom")?.textContent, "125%");
});

test("the notice shows in a line of its own, not with the warnings, and follows its trait", () => {
  const { status, notice, model, graph, el } = render();
  assert.equal(notice(), graph.state.notice);
  assert.equal(status(), "", "no warning");
  const line = /** @type {Element} */ (el.querySelector(".agw-notice"));
  assert.equal(line.getAttribute("role"), "status");
  assert.equal(line.previousElementSibling, el.querySelector(".agw-drawing"), "under the drawing");
  model.kernelSets("message", "an op has no rule");
  assert.equal(status(), "an op has no rule");
  assert.equal(notice(), graph.state.notice);
  model.kernelSets("notice", "L0.N0 is too big to open");
  assert.equal(notice(), "L0.N0 is too big to open");
  assert.equal(status(), "an op has no rule");
  model.kernelSets("notice", "");
  assert.equal(notice(), "");
});

test("with boxes, the legend explains one; without, it does not", () => {
  const { model, graph, el } = render();
  const entry = /** @type {HTMLElement} */ (el.querySelector(".agw-legend .agw-key.box")?.parentElement);
  assert.equal(entry.textContent?.trim(), "box (n nodes inside): click or Enter to open");
  assert.equal(entry.hidden, false);
  model.kernelSets("boxes", []);
  assert.equal(entry.hidden, true, "the whole graph drawn: no box to explain");
  model.kernelSets("boxes", graph.state.boxes);
  assert.equal(entry.hidden, false);
  const neuron = renderWidget("neuron").el; // a small graph: never boxes
  assert.equal(/** @type {HTMLElement} */ (neuron.querySelector(".agw-key.box")?.parentElement).hidden, true);
});

/**
 * Give happy-dom's elements this getBoundingClientRect for the rest of test t (its classes,
 * prototypes included, are shared by every Window: the one before comes back after).
 * @param {any} t @param {any} window @param {(this: Element) => object} rect
 */
function clientRects(t, window, rect) {
  const proto = window.Element.prototype;
  const was = proto.getBoundingClientRect;
  proto.getBoundingClientRect = rect;
  t.after(() => (proto.getBoundingClientRect = was));
}

test("a layer box says how many neurons it holds; open, it reads as any open box", (t) => {
  const window = /** @type {any} */ (newWindow());
  const doc = window.document;
  clientRects(t, window, () => ({ left: 0, top: 0, width: 0, height: 0, right: 0, bottom: 0, x: 0, y: 0 }));
  const fig = doc.createElement("div");
  doc.body.append(fig);
  const layer = { id: 12, name: "L1", size: 1234, expanded: false, outputs: [5, 10, 11] };
  fig.replaceChildren(
    parseSvg(
      doc,
      '<svg xmlns="http://www.w3.org/2000/svg"><g id="n12" class="agw-box agw-layer" data-outputs="5 10 11">' +
        '<path d="M0,0h100v60h-100z"/><text>L1 ×3 (1,234)</text><text>data</text><text>grad</text></g>' +
        '<g id="n5" class="agw-box"><path d="M0,0h100v60h-100z"/><text>L0.N0 (5)</text></g></svg>',
    ),
  );
  /** @type {import("./types.js").ViewMessage[]} */
  const sent = [];
  const boxes = new Boxes({ box: fig, send: (m) => sent.push(m) });
  boxes.decorate(fig, [layer, { id: N0, name: "L0.N0", size: 5, expanded: false }]);
  const box = /** @type {Element} */ (fig.querySelector('g[id="n12"]'));
  assert.equal(box.getAttribute("aria-label"), "L1: 3 neurons, 1234 nodes, press Enter to expand");
  assert.equal(box.getAttribute("role"), "button");
  const other = fig.querySelector(`g[id="n${N0}"]`);
  assert.equal(other?.getAttribute("aria-label"), "L0.N0: 5 nodes, press Enter to expand", "an ordinary box: as ever");
  assert.equal(boxes.tap(box.querySelector("text")), true);
  assert.deepEqual(sent, [{ type: "expand", id: 12, open: true }]);
  fig.replaceChildren(
    parseSvg(
      doc,
      '<svg xmlns="http://www.w3.org/2000/svg"><g id="c12" class="cluster agw-layer" data-outputs="5 10 11">' +
        '<rect x="0" y="0" width="300" height="200"/><text>L1</text></g></svg>',
    ),
  );
  boxes.decorate(fig, [{ ...layer, expanded: true }]);
  assert.equal(fig.querySelector('g[id="c12"]')?.getAttribute("aria-label"), "L1: press Enter to collapse");
  window.close();
});

test("a layer box toggled stays where it was: with no node of its own open, its own element is the anchor", (t) => {
  const window = /** @type {any} */ (newWindow());
  const doc = window.document;
  const fig = doc.createElement("div");
  fig.tabIndex = 0;
  doc.body.append(fig);
  // client boxes from the outline's coordinates (a record's path, a cluster's rect), the scroll box at (0, 0)
  clientRects(t, window, function () {
    const path = /^M(\d+),(\d+)h(\d+)v(\d+)/.exec(this.querySelector?.(":scope > path")?.getAttribute("d") ?? "");
    const rect = this.querySelector?.(":scope > rect");
    const n = (/** @type {string} */ k) => Number(rect?.getAttribute(k));
    const [x, y, w, h] = path
      ? path.slice(1).map(Number)
      : rect
        ? [n("x"), n("y"), n("width"), n("height")]
        : [0, 0, 0, 0];
    const [left, top] = [x - fig.scrollLeft, y - fig.scrollTop];
    return { left, top, width: w, height: h, right: left + w, bottom: top + h, x: left, y: top };
  });
  const record =
    '<g id="n12" class="agw-box agw-layer" data-outputs="5 10"><path d="M200,100h100v60h-100z"/><text>L1</text></g>';
  const cluster =
    '<g id="c12" class="cluster agw-layer" data-outputs="5 10"><rect x="400" y="300" width="300" height="200"/>';
  const svg = (/** @type {string} */ body) => parseSvg(doc, `<svg xmlns="http://www.w3.org/2000/svg">${body}</svg>`);
  const layer = { id: 12, name: "L1", size: 10, expanded: false, outputs: [5, 10] };
  const boxes = new Boxes({ box: fig, send() {} });
  fig.replaceChildren(svg(record));
  boxes.decorate(fig, [layer]);
  boxes.tap(fig.querySelector('g[id="n12"] path'));
  const focus = boxes.focusBefore();
  fig.replaceChildren(svg(`${cluster}<text>L1</text></g>`));
  boxes.decorate(fig, [{ ...layer, expanded: true }]);
  /** @type {[number, number][]} */
  const scrolled = [];
  boxes.restore(fig, focus, (dx, dy) => scrolled.push([dx, dy]));
  // the record's centre (250, 130), the cluster's (550, 400)
  assert.deepEqual(scrolled, [[550 - 250, 400 - 130]]);
  boxes.tap(fig.querySelector('g[id="c12"] rect'));
  fig.replaceChildren(svg(record));
  boxes.decorate(fig, [layer]);
  boxes.restore(fig, boxes.focusBefore(), (dx, dy) => scrolled.push([dx, dy]));
  assert.deepEqual(scrolled[1], [250 - 550, 130 - 400], "and back on closing");
  window.close();
});
