import assert from "node:assert/strict";
import { test } from "node:test";
import { Boxes } from "./boxes.js";
import { newWindow } from "./fixtures/dom.js";
import { parseSvg } from "./svg.js";

// Opening a box keeps its output where it was on screen, then scrolls on just enough to show
// the whole frame when it fits the view: a frame grown from its output could otherwise hang
// out of view with blank space on the other side (found on the tour's 398-node loss).

const RECORD = '<g id="n12" class="agw-box" data-scope="L1.N2"><path d="M500,400h100v60h-100z"/><text>L1.N2</text></g>';
// open: the output n12 at the frame's bottom; the frame reaches 300 px above it
const FRAME = '<g id="c12" class="cluster"><rect x="450" y="120" width="200" height="360"/><text>L1.N2</text></g>'
  + '<g id="n12" class="node"><path d="M500,400h100v60h-100z"/></g>';

/**
 * A scroll box of `view` px with the drawing at 100%, and Boxes on it.
 * @param {import("node:test").TestContext} t @param {{width: number, height: number}} view
 */
function setUp(t, view) {
  const window = /** @type {any} */ (newWindow());
  const doc = window.document;
  const fig = doc.createElement("div");
  doc.body.append(fig);
  const scroll = { x: 0, y: 0 };
  Object.defineProperty(fig, "clientWidth", { value: view.width });
  Object.defineProperty(fig, "clientHeight", { value: view.height });
  const proto = window.Element.prototype;
  const was = proto.getBoundingClientRect;
  proto.getBoundingClientRect = function () {
    if (this === fig) return { left: 0, top: 0, width: view.width, height: view.height, right: view.width,
      bottom: view.height, x: 0, y: 0 }; // the scroll box stays; what it holds moves by the scroll
    const path = /^M(\d+),(\d+)h(\d+)v(\d+)/.exec(this.querySelector?.(":scope > path")?.getAttribute("d") ?? "");
    const rect = this.querySelector?.(":scope > rect");
    const n = (/** @type {string} */ k) => Number(rect?.getAttribute(k));
    const [x, y, w, h] = path ? path.slice(1).map(Number) : rect ? ["x", "y", "width", "height"].map(n) : [0, 0, 0, 0];
    const [left, top] = [x - scroll.x, y - scroll.y];
    return { left, top, width: w, height: h, right: left + w, bottom: top + h, x: left, y: top };
  };
  t.after(() => {
    proto.getBoundingClientRect = was;
    window.close();
  });
  const boxes = new Boxes({ box: fig, send() {} });
  const draw = (/** @type {string} */ body, /** @type {boolean} */ expanded) => {
    fig.replaceChildren(parseSvg(doc, `<svg xmlns="http://www.w3.org/2000/svg">${body}</svg>`));
    boxes.decorate(fig, [{ id: 12, name: "L1.N2", size: 9, expanded }]);
  };
  /** Open the box with the view scrolled to `at`; what restore() scrolls by. */
  const open = (/** @type {{x: number, y: number}} */ at) => {
    Object.assign(scroll, at);
    draw(RECORD, false);
    boxes.tap(fig.querySelector('g[id="n12"] path'));
    const focus = boxes.focusBefore();
    draw(FRAME, true);
    /** @type {[number, number][]} */
    const scrolled = [];
    boxes.restore(fig, focus, (dx, dy) => scrolled.push([dx, dy]));
    return scrolled;
  };
  return { open };
}

test("an opened frame that fits is scrolled into view, with a margin, its output kept as near as that allows", (t) => {
  // view 400×400 scrolled to (300, 250): the record at (200..300, 150..210) in view; open, the
  // output stays put and the frame's top (120 - 250 = -130 px) would be out of view: 138 px more
  const { open } = setUp(t, { width: 400, height: 400 });
  assert.deepEqual(open({ x: 300, y: 250 }), [[0, -130 - 8]]);
});

test("a frame already in view, or bigger than the view, moves nothing beyond keeping its output in place", (t) => {
  assert.deepEqual(setUp(t, { width: 800, height: 800 }).open({ x: 0, y: 0 }), [[0, 0]]);
  assert.deepEqual(setUp(t, { width: 300, height: 300 }).open({ x: 400, y: 250 }), [[0, 0]], "360 px tall in 300");
});
