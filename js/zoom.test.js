import assert from "node:assert/strict";
import { test } from "node:test";
import { FakeModel, loadState } from "./fixtures/fake-model.js";
import { renderWidget } from "./fixtures/render-widget.js";
import {
  centredOn,
  clamp,
  firstScale,
  fitScale,
  MAX_SCALE,
  MIN_SCALE,
  READABLE_PX,
  readableScale,
  scaleRange,
  STEP,
  textHeight,
  zoomAbout,
} from "./zoom.js";

const near = (/** @type {number} */ a, /** @type {number} */ b, eps = 1e-6) => Math.abs(a - b) < eps;

test("zoomAbout keeps the drawing's point under the pointer where it is", () => {
  const view = { scale: 0.5, left: 100, top: 40 };
  for (const [scale, px, py] of [
    [2, 200, 50],
    [0.3, 0, 0],
    [1, 640, 300],
  ]) {
    const after = zoomAbout(view, scale, px, py);
    assert.equal(after.scale, scale);
    // the drawing point (natural px) under (px, py) before and after
    assert.ok(near((view.left + px) / view.scale, (after.left + px) / scale), `x at scale ${scale}`);
    assert.ok(near((view.top + py) / view.scale, (after.top + py) / scale), `y at scale ${scale}`);
  }
});

test("fitScale shows the whole drawing, never above 100%; the range a person may zoom in", () => {
  assert.equal(fitScale(2000, 400, 1000, 800), 0.5, "width limits");
  assert.equal(fitScale(500, 2000, 1000, 500), 0.25, "height limits");
  assert.equal(fitScale(500, 200, 1000, 800), 1, "never up");
  assert.equal(fitScale(2000, 400, 1000, Infinity), 0.5, "no max-height known: width only");
  assert.equal(fitScale(2000, 400, 0, 800), 1, "no room known: as it is");
  assert.deepEqual(scaleRange(0.8), [MIN_SCALE, MAX_SCALE]);
  assert.deepEqual(scaleRange(0.07), [0.07, MAX_SCALE], "out far enough to see all of a big graph");
  assert.equal(clamp(9, 0.25, 4), 4);
  assert.equal(clamp(0.01, 0.25, 4), 0.25);
});

test("first scale: all of it when that is readable, else the readable minimum", () => {
  const text = 11 * (4 / 3); // 11pt, Graphviz's font in the drawing
  assert.ok(near(readableScale(text), READABLE_PX / text));
  assert.equal(readableScale(6), 1, "small text is never scaled up");
  assert.deepEqual(firstScale(0.8, text), { scale: 0.8, all: true });
  assert.deepEqual(firstScale(1, text), { scale: 1, all: true });
  const small = firstScale(0.37, text); // the lecture's neuron before the redesign, in 830 px
  assert.equal(small.all, false);
  assert.ok(near(small.scale, 9 / text), `9 px text: ${small.scale}`);
  assert.ok(firstScale(9 / text, text).all, "exactly readable fits");
});

test("centredOn puts the output in the middle, or at the view's edge when it is at the drawing's", () => {
  /** @type {[number, number]} */
  const content = [2000, 1000];
  /** @type {[number, number]} */
  const view = [800, 400];
  // an output at the right end, half-way down (LR): right-aligned, centred vertically
  const right = centredOn({ x: 1900, y: 450, w: 100, h: 100 }, 1, ...content, ...view);
  assert.deepEqual(right, { left: 1200, top: 300 });
  // at the bottom, in the middle (TB): bottom-aligned, centred horizontally
  const bottom = centredOn({ x: 950, y: 900, w: 100, h: 100 }, 1, ...content, ...view);
  assert.deepEqual(bottom, { left: 600, top: 600 });
  // the scale applies to the target; content smaller than the view scrolls nowhere
  assert.deepEqual(centredOn({ x: 1900, y: 450, w: 100, h: 100 }, 0.5, 1000, 500, 800, 600), { left: 200, top: 0 });
  assert.deepEqual(centredOn({ x: 0, y: 0, w: 10, h: 10 }, 1, ...content, ...view), { left: 0, top: 0 });
});

test("textHeight reads the drawing's font size from its style, in CSS px", () => {
  const { window } = renderWidget("neuron");
  const doc = window.document;
  const canvas = doc.createElement("div");
  canvas.innerHTML = '<svg viewBox="0 0 100 50"><text style="font-size: 10px">a</text></svg>';
  doc.body.append(canvas);
  assert.ok(near(textHeight(canvas, 200), 20), "from the computed style, 2 px per user unit");
});

// The neuron fixture as a real page would lay it out: text 11 user units (pt), the box
// `room.w` px wide and `room.h` tall, its output node at OUTPUT (natural px).
const OUTPUT = { x: 1060, y: 160, w: 100, h: 80 };

/** @param {{w: number, h: number}} room @param {FakeModel} [model] */
function render(room, model) {
  const state = loadState("neuron");
  state.svg = state.svg.replace(/<text\b/g, '<text style="font-size: 11px"'); // widget.css's, which happy-dom lacks
  /** @type {Function[]} */
  const observers = [];
  const widget = renderWidget(model ?? new FakeModel(state), (window) => {
    const w = /** @type {any} */ (window);
    const drawing = (/** @type {Element} */ el) => el.classList.contains("agw-drawing");
    Object.defineProperty(w.HTMLElement.prototype, "clientWidth", {
      get() {
        return drawing(this) ? room.w : 0;
      },
    });
    for (const key of ["clientHeight", "offsetHeight"]) {
      Object.defineProperty(w.HTMLElement.prototype, key, {
        get() {
          return drawing(this) ? room.h : 0;
        },
      });
    }
    // Boxes in client px: the scroll box at (0, 0), the canvas moved by the scroll offsets.
    const rect = (
      /** @type {number} */ x,
      /** @type {number} */ y,
      /** @type {number} */ w,
      /** @type {number} */ h,
    ) => ({ left: x, top: y, right: x + w, bottom: y + h, width: w, height: h, x, y });
    w.Element.prototype.getBoundingClientRect = function () {
      const fig = this.ownerDocument.querySelector(".agw-drawing");
      const canvas = fig?.querySelector(".agw-canvas");
      if (this === fig) return rect(0, 0, room.w, room.h);
      const natural = Number(/width="([\d.]+)pt"/.exec(state.svg)?.[1]) * (4 / 3);
      const s = canvas ? parseFloat(canvas.style.width) / natural : 1;
      const [cx, cy] = [-(fig?.scrollLeft ?? 0), -(fig?.scrollTop ?? 0)];
      if (this === canvas) return rect(cx, cy, natural * s, 100);
      if (this.matches?.("g.node.output"))
        return rect(cx + OUTPUT.x * s, cy + OUTPUT.y * s, OUTPUT.w * s, OUTPUT.h * s);
      return rect(0, 0, 0, 0);
    };
    w.ResizeObserver = class {
      constructor(/** @type {Function} */ callback) {
        observers.push(callback);
      }
      observe() {}
      disconnect() {}
    };
  });
  const { el, window } = widget;
  const natural = Number(/width="([\d.]+)pt"/.exec(state.svg)?.[1]) * (4 / 3);
  const box = /** @type {HTMLElement} */ (el.querySelector(".agw-drawing"));
  const canvas = /** @type {HTMLElement} */ (el.querySelector(".agw-canvas"));
  const button = (/** @type {string} */ label) =>
    /** @type {HTMLButtonElement} */ (el.querySelector(`.agw-toolbar button[aria-label="${label}"]`));
  const resize = (/** @type {number} */ w) => {
    room.w = w;
    for (const f of observers) f([]);
  };
  const scale = () => parseFloat(canvas.style.width) / natural;
  const level = () => el.querySelector(".agw-zoom")?.textContent;
  const key = (/** @type {string} */ k, /** @type {Record<string, any>} */ more = {}) => {
    const e = new window.KeyboardEvent("keydown", { key: k, bubbles: true, cancelable: true, ...more });
    box.dispatchEvent(e);
    return e;
  };
  /** A wheel event at (x, y) of the box; happy-dom's WheelEvent drops ctrlKey and clientX. */
  const wheel = (/** @type {number} */ deltaY, /** @type {number} */ x, /** @type {number} */ y, ctrlKey = true) => {
    const e = new window.Event("wheel", { bubbles: true, cancelable: true });
    Object.assign(e, { deltaY, deltaMode: 0, clientX: x, clientY: y, ctrlKey, metaKey: false });
    box.dispatchEvent(e);
    return e;
  };
  const scrolled = (/** @type {number} */ left, /** @type {number} */ top) => {
    box.scrollLeft = left;
    box.scrollTop = top;
    box.dispatchEvent(new window.Event("scroll"));
  };
  return { ...widget, natural, box, canvas, button, resize, scale, level, key, wheel, scrolled };
}

test("the toolbar: four labelled buttons, JupyterLab's shortcuts kept off them; the drawing is one focus stop", () => {
  const { el, box } = render({ w: 1000, h: 400 });
  const labels = [...el.querySelectorAll(".agw-toolbar button")].map((b) => b.getAttribute("aria-label"));
  assert.deepEqual(labels, ["Zoom out", "Zoom in", "Fit", "100%"]);
  for (const b of el.querySelectorAll(".agw-toolbar button")) {
    assert.equal(/** @type {HTMLButtonElement} */ (b).type, "button");
    assert.equal(b.getAttribute("data-lm-suppress-shortcuts"), "true");
  }
  assert.equal(box.tabIndex, 0);
  assert.equal(box.hasAttribute("data-lm-suppress-shortcuts"), false, "Shift+Enter, Ctrl+S still reach JupyterLab");
  assert.ok(box.getAttribute("aria-label"));
});

test("the drawing's own keys stop at the drawing; the others go on to JupyterLab", () => {
  const { box, window } = render({ w: 1000, h: 400 });
  /** @type {string[]} */
  const reached = [];
  window.document.addEventListener("keydown", (/** @type {KeyboardEvent} */ e) => reached.push(e.key));
  for (const key of ["0", "+", "-", "f", "ArrowLeft", "Enter", "s"]) {
    box.dispatchEvent(new window.KeyboardEvent("keydown", { key, bubbles: true, cancelable: true }));
  }
  assert.deepEqual(reached, ["Enter", "s"]);
});

test("first paint: a drawing that fits at a readable size is fitted, and never scaled up", () => {
  const wide = render({ w: 1000, h: 400 });
  assert.ok(near(wide.scale(), 1000 / wide.natural, 1e-3), `fitted: ${wide.scale()}`);
  assert.equal(wide.level(), `${Math.round((1000 / wide.natural) * 100)}%`);
  assert.deepEqual([wide.box.scrollLeft, wide.box.scrollTop], [0, 0]);
  const roomy = render({ w: 4000, h: 400 });
  assert.equal(roomy.scale(), 1, "100% at most");
  assert.equal(roomy.level(), "100%");
});

test("first paint: too wide to fit readably, 9 px text and the output node in view", () => {
  const { scale, box, natural } = render({ w: 500, h: 300 });
  const readable = 9 / (11 * (4 / 3));
  assert.ok(near(scale(), readable, 2 / natural), `readable minimum: ${scale()}`);
  const s = scale();
  const left = box.scrollLeft;
  assert.ok(OUTPUT.x * s >= left && (OUTPUT.x + OUTPUT.w) * s <= left + 500, `output in view at scroll ${left}`);
  assert.ok(left > 0, "not the top-left corner");
});

test("until a person zooms, the view follows the room; after, it stays", () => {
  const { scale, resize, button, natural } = render({ w: 500, h: 300 });
  resize(1000);
  assert.ok(near(scale(), 1000 / natural, 1e-3), "wider output: now it fits");
  button("Zoom in").click();
  const chosen = scale();
  resize(600);
  assert.equal(scale(), chosen, "a person's zoom stays");
});

test("buttons zoom in and out by a step, stop at 100% on the way, fit, and go back to 100%", () => {
  const { scale, button, natural, level } = render({ w: 1000, h: 400 });
  const fit = 1000 / natural;
  button("Zoom in").click();
  assert.equal(scale(), 1, `${fit} × ${STEP} crosses 100%: stops there`);
  button("Zoom in").click();
  assert.ok(near(scale(), STEP, 1e-3));
  button("Zoom out").click();
  button("Zoom out").click();
  assert.ok(near(scale(), 1 / STEP, 1e-3));
  button("Fit").click();
  assert.ok(near(scale(), fit, 1e-3));
  button("100%").click();
  assert.equal(scale(), 1);
  assert.equal(level(), "100%");
  for (let k = 0; k < 20; k++) button("Zoom in").click();
  assert.equal(scale(), MAX_SCALE, "clamped");
  assert.equal(button("Zoom in").getAttribute("aria-disabled"), "true");
  for (let k = 0; k < 40; k++) button("Zoom out").click();
  assert.ok(near(scale(), MIN_SCALE, 1e-2), `clamped: ${scale()}`);
});

test("keys on the focused drawing: + - 0 F zoom, arrows pan; with Ctrl they are the browser's", () => {
  const { scale, key, box, natural } = render({ w: 500, h: 300 });
  const first = scale();
  assert.equal(key("+").defaultPrevented, true);
  assert.ok(scale() > first);
  key("-");
  key("-");
  assert.ok(scale() < first);
  key("0");
  assert.equal(scale(), 1);
  key("f");
  assert.ok(near(scale(), 500 / natural, 1e-2));
  key("0");
  const [left, top] = [box.scrollLeft, box.scrollTop];
  key("ArrowRight");
  assert.equal(box.scrollLeft, left + 40);
  key("ArrowDown");
  assert.equal(box.scrollTop, top + 40);
  key("ArrowRight", { shiftKey: true });
  assert.equal(box.scrollLeft, left + 40 + 400, "Shift: most of the view");
  key("ArrowLeft");
  assert.equal(box.scrollLeft, left + 400);
  const ctrl = key("0", { ctrlKey: true });
  key("+", { ctrlKey: true });
  assert.equal(ctrl.defaultPrevented, false);
  assert.equal(scale(), 1, "Ctrl + key left alone");
});

test("Ctrl+wheel (a pinch) zooms about the pointer; a plain wheel is left to scroll the page", () => {
  const { scale, wheel, box } = render({ w: 500, h: 300 });
  const s0 = scale();
  const [l0, t0] = [box.scrollLeft, box.scrollTop];
  const [px, py] = [120, 80];
  const before = [(l0 + px) / s0, (t0 + py) / s0];
  assert.equal(wheel(-100, px, py).defaultPrevented, true, "the page does not zoom");
  const s1 = scale();
  assert.ok(near(s1 / s0, STEP, 0.02), `one notch is one step: ${s1 / s0}`);
  const after = [(box.scrollLeft + px) / s1, (box.scrollTop + py) / s1];
  assert.ok(Math.abs(after[0] - before[0]) < 2 && Math.abs(after[1] - before[1]) < 2, `${before} → ${after}`);
  const pinch = wheel(5, px, py); // a pinch sends small deltas: a small, exact change
  assert.equal(pinch.defaultPrevented, true);
  assert.ok(near(scale() / s1, Math.exp(-0.05), 0.01));
  const plain = wheel(100, px, py, false);
  assert.equal(plain.defaultPrevented, false);
  assert.ok(near(scale() / s1, Math.exp(-0.05), 0.01), "unchanged");
});

test("zoom and scroll survive a re-render of the same model; another model opens fresh", () => {
  const room = { w: 500, h: 300 };
  const first = render(room);
  first.button("Zoom in").click();
  first.scrolled(37, 11);
  const { scale } = first;
  const kept = [scale(), first.box.scrollLeft, first.box.scrollTop];
  const shown = first.level();
  first.cleanup?.();
  const again = render(room, first.model);
  assert.deepEqual([again.scale(), again.box.scrollLeft, again.box.scrollTop], kept);
  assert.equal(again.level(), shown);
  const other = render(room, new FakeModel(first.model.state)); // same numbers, another widget
  assert.notEqual(other.scale(), kept[0], "its own first paint");
});

test("zooming keeps the scroll box's height (and a re-render too); Fit lets it wrap the drawing again", () => {
  const room = { w: 500, h: 300 };
  const first = render(room);
  assert.equal(first.box.style.height, "", "first paint: it wraps the drawing");
  first.button("Zoom in").click();
  assert.equal(first.box.style.height, "300px", "the page below does not move while zooming");
  first.cleanup?.();
  const again = render(room, first.model);
  assert.equal(again.box.style.height, "300px");
  again.button("Fit").click();
  assert.equal(again.box.style.height, "");
});

test("a scroll by a person (scrollbar, touch) is a choice too: kept across re-renders", () => {
  const room = { w: 500, h: 300 };
  const first = render(room);
  first.scrolled(5, 7);
  first.cleanup?.();
  const again = render(room, first.model);
  assert.deepEqual([again.box.scrollLeft, again.box.scrollTop], [5, 7]);
});

test("a drawing with no natural size gets no toolbar and sizes itself", () => {
  const state = loadState("neuron");
  state.svg = state.svg.replace(/ width="[^"]*pt" height="[^"]*pt"/, "");
  const { el } = renderWidget(state);
  assert.equal(el.querySelector(".agw-toolbar"), null);
  const svg = el.querySelector(".agw-canvas > svg");
  assert.ok(svg && !svg.classList.contains("agw-tile"), "in the flow, not laid over a sized canvas");
  assert.equal(/** @type {HTMLElement} */ (el.querySelector(".agw-canvas")).style.width, "");
});
