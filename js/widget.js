// The anywidget view: the kernel's drawing, a slider per leaf, and the loop that
// matters — slider input → evaluator at once → patch in the same animation frame —
// while moved leaves go to the kernel (sync.js), whose numbers, the truth, come back
// in kernel_state and replace ours. A big graph is drawn in boxes (boxes.js) that the
// kernel opens and closes by laying it out again: the drawing is then replaced in place,
// the evaluator never is (the tape does not change). Its leaves get sliders on request
// (find.js), and the slider panel grows.

import { Boxes } from "./boxes.js";
import { Evaluator } from "./evaluator.js";
import { Find } from "./find.js";
import { perFrame } from "./frame.js";
import { same } from "./json.js";
import { mountLesson } from "./lesson.js";
import { Drawing } from "./patch.js";
import { Scrub } from "./scrub.js";
import { parseSvg } from "./svg.js";
import { Sliders } from "./sliders.js";
import { namer } from "./names.js";
import { Sync } from "./sync.js";
import { split, wrap } from "./tiles.js";
import { Zoom } from "./zoom.js";

export const NOT_CONNECTED = "not connected to the kernel — the drawing is no longer synced";

/** @typedef {import("./types.js").Model} Model */
/** @typedef {import("@anywidget/types").AnyModel<Model>} AnyModel */

/**
 * Everything one tape needs, mounted once; the drawing is mounted again whenever the kernel sends a new one.
 * @param {AnyModel} model @param {HTMLElement} root @returns {() => void} teardown
 */
function mount(model, root) {
  const doc = root.ownerDocument;
  const ev = new Evaluator(model.get("tape"));
  // kernel_state may be newer than the tape: this is a second view of a widget in use
  ev.load(model.get("kernel_state") || {});

  const view = /** @type {Window} */ (doc.defaultView);
  const toolbar = doc.createElement("div");
  toolbar.className = "agw-toolbar";
  const figure = doc.createElement("div");
  figure.className = "agw-drawing";
  const finder = doc.createElement("div");
  finder.className = "agw-finder";
  const controls = doc.createElement("div");
  controls.className = "agw-sliders";
  const status = doc.createElement("div");
  status.className = "agw-status";
  status.setAttribute("role", "status");
  // The kernel's word on how the graph is drawn: news, not a warning, so not in the status line.
  const notice = doc.createElement("div");
  notice.className = "agw-notice";
  notice.setAttribute("role", "status");
  const legend = doc.createElement("div");
  legend.className = "agw-legend";
  legend.innerHTML =
    '<span class="agw-key grad-pos"></span>grad &gt; 0 <span class="agw-key grad-neg"></span>grad &lt; 0 ' +
    '<span class="agw-key grad-nonfinite"></span>nan or inf <span class="agw-key stale"></span>stale ' +
    '<span class="agw-key output"></span>output<span class="agw-legend-box" hidden> ' +
    '<span class="agw-key box"></span>box (n nodes inside): click or Enter to open</span>';
  const boxKey = /** @type {HTMLElement} */ (legend.querySelector(".agw-legend-box"));
  const lessonPanel = doc.createElement("div");
  lessonPanel.className = "agw-lesson";
  root.append(toolbar, figure, notice, finder, controls, legend, lessonPanel, status);

  // The drawing, and what is built on its elements: replaced together by show().
  /** @type {HTMLElement | undefined} */
  let canvas;
  /** @type {Drawing | undefined} */
  let drawing;
  /** @type {Zoom | null} */
  let zoom = null;
  /** @type {string | undefined} the `svg` trait drawn now */
  let shown;
  let tiled = false;
  /** @type {ReturnType<typeof mountLesson> | undefined} */
  let lesson;
  const frame = perFrame(view, () => {
    drawing?.patch();
    lesson?.update();
  });
  const boxes = new Boxes({ box: figure, send: (msg) => sync.post(msg) });

  /**
   * A drag recomputes the data of what the moved leaf feeds, and the grads of what is drawn
   * (a layer box: its outputs) and what lies between it and the root, not the whole tape.
   * A slider adds nothing: its leaf's grad is shown only if the leaf is drawn. The lesson's
   * tools may ask for more (the tangent's leaf).
   */
  /** @type {Map<string, number[]>} */
  const extra = new Map();
  const watch = () => ev.watch([...(drawing?.watched ?? []), ...[...extra.values()].flat()]);

  /** Mount the `svg` trait in place of the drawing there is: parse, wrap, patch with the evaluator's numbers, decorate. */
  const show = () => {
    const parsed = wrap(parseSvg(doc, model.get("svg"))); // throws on a broken drawing, before the old one goes
    drawing?.destroy();
    canvas?.remove();
    canvas = parsed.canvas;
    figure.append(canvas);
    drawing = new Drawing(canvas, ev, figure);
    watch();
    drawing.patch();
    boxes.decorate(canvas, model.get("boxes") || []);
    lesson?.redraw();
    shown = model.get("svg");
    tiled = false;
    const { width, height } = parsed;
    if (!(width > 0 && height > 0)) {
      // a drawing with no natural size sizes itself: nothing to zoom
      zoom?.destroy();
      zoom = null;
      toolbar.replaceChildren();
    } else if (zoom) zoom.replace(canvas, width, height);
    else {
      zoom = new Zoom({
        toolbar,
        box: figure,
        canvas,
        width,
        height,
        key: model.get("tape"), // the same object for every view of this model
        output: () => figure.querySelector("g.node.output"),
      });
    }
    if (!zoom) toolbar.remove();
    else if (!toolbar.isConnected) figure.before(toolbar);
  };

  // The view may render before it is in the page: split into tiles once there is geometry.
  const onResize = () => {
    zoom?.update();
    if (!tiled && canvas?.isConnected && (tiled = split(canvas))) drawing?.retile();
  };
  show();
  /** @type {typeof ResizeObserver | undefined} the page's own: anywidget may render into another window */
  const Resize = /** @type {any} */ (view).ResizeObserver;
  const resized = Resize ? new Resize(onResize) : null;
  resized?.observe(figure);
  onResize();

  /** A new drawing from the kernel (a box opened or closed): in place of the old, the zoom kept. */
  const onSvg = () => {
    const focus = boxes.focusBefore();
    try {
      show();
    } catch (err) {
      console.warn("autograd-widget: the kernel's new drawing could not be shown; the last one stays", err);
      boxes.settle(); // and its boxes may be pressed again
      return;
    }
    onResize();
    scrub.refresh();
    boxes.restore(/** @type {HTMLElement} */ (canvas), focus, (dx, dy) => {
      if (zoom) zoom.panBy(dx, dy);
      else figure.scrollBy?.(dx, dy);
    });
  };
  /**
   * New boxes. With a new drawing in the same update, change:boxes may come first: the old
   * drawing is left alone (re-decorated, its focused box would lose focus before onSvg
   * saw it), and show() decorates the new one.
   */
  const onBoxes = () => {
    showKey();
    if (canvas && model.get("svg") === shown) boxes.decorate(canvas, model.get("boxes") || []);
  };
  /** The legend explains a box only while there are boxes. */
  const showKey = () => (boxKey.hidden = !(model.get("boxes") || []).length);

  const sliders = new Sliders(controls, model.get("sliders"), (id) => ev.data[id], {
    onInput(id, x) {
      ev.setLeaf(id, x);
      frame.schedule();
      sync.input(id, x);
    },
    onCommit(id, x) {
      if (!same(x, ev.data[id])) ev.setLeaf(id, x);
      frame.flush(); // the released state is drawn now, whatever the frame
      sync.commit(id, x);
    },
    onPoint: (id) => scrub.link(id), // only ever called from an event, after scrub exists
  });
  const leaves = new Set(sliders.rows.keys());
  /** A leaf's slider range as it is now (it widens), null without a slider. @param {number} id */
  const rangeOf = (id) => {
    const r = /** @type {HTMLInputElement | null} */ (controls.querySelector(`input[type="range"][data-id="${id}"]`));
    return r && { min: Number(r.min), max: Number(r.max), step: Number(r.step) };
  };
  // The leaves on the drawing take the sliders' own path: the same events, and the slider follows.
  const scrub = new Scrub({
    box: figure,
    leaves,
    rangeOf,
    valueOf: (id) => ev.data[id],
    events: sliders.events,
    panel: sliders,
    pan: (dx, dy) => zoom?.panBy(dx, dy),
    tap: (target) => boxes.tap(target), // a box opens or closes; the rest is scrub's
    onSelect: (node) => lesson?.select(node ? node.id : null),
  });
  const find = new Find({
    parent: finder,
    leaves: ev.labelledLeaves(),
    labelOf: (id) => ev.labelOf(id),
    has: (id) => sliders.has(id),
    focus: (id) => sliders.focus(id, true),
    ask: (id) => sync.post({ type: "slider", id }),
  });

  /** The kernel added sliders (or took back a closed box's): rows and leaves to scrub follow; the others stay as they are. */
  const onSliders = () => {
    const { added, removed } = sliders.update(model.get("sliders"));
    for (const id of added) leaves.add(id);
    for (const id of removed) leaves.delete(id);
    if (added.length || removed.length) scrub.refresh();
    find.update();
  };

  /** The kernel's numbers replace ours; sliders follow the leaves it moved. @param {import("./types.js").KernelState} state */
  const apply = (state) => {
    const ids = [...sliders.rows.keys()];
    const before = ids.map((id) => ev.data[id]);
    if (!ev.load(state)) return;
    ids.forEach((id, k) => {
      if (!same(before[k], ev.data[id])) sliders.show(id, ev.data[id]);
    });
    frame.flush();
  };

  /** Leaves set by a lesson tool (a nudge step, a reset): as a released slider sets one. @param {Map<number, number>} values */
  const moveLeaves = (values) => {
    if (!values.size) return;
    ev.setLeaves(Object.fromEntries(values));
    for (const [id, x] of values) sliders.show(id, x);
    frame.flush();
    const ids = [...values.keys()];
    for (const id of ids.slice(0, -1)) sync.input(id, /** @type {number} */ (values.get(id)));
    sync.commit(ids[ids.length - 1], /** @type {number} */ (values.get(ids[ids.length - 1]))); // one final message with all
  };
  lesson = mountLesson(lessonPanel, {
    ev,
    canvas: () => canvas ?? null,
    leaves: () => [...sliders.rows.keys()],
    moveLeaves,
    requestPatch: () => frame.flush(),
    watch(owner, ids) {
      if (ids.length) extra.set(owner, ids);
      else extra.delete(owner);
      watch();
    },
    labelOf: namer(ev, (id) => sliders.has(id)),
    rangeOf,
    clearSelection: () => scrub.select(null),
  });
  // A slider's name, pressed: that leaf's tangent (the drawing's leaf does the same on a tap).
  controls.addEventListener("click", (e) => {
    const name = /** @type {Element} */ (e.target).closest?.(".agw-slider-label");
    const id = name?.parentElement?.querySelector("input[type=range]")?.getAttribute("data-id");
    if (id) lesson?.tangentOf(Number(id));
  });
  /** The leaf of a slider's range input, null for anything else. @param {EventTarget | null} target */
  const rangeLeaf = (target) => {
    const el = /** @type {Element | null} */ (target);
    const id = el?.matches?.("input[type=range]") ? el.getAttribute("data-id") : null;
    return id === null ? null : Number(id);
  };
  // The keyboard's way: t on a slider opens its leaf's tangent; while a tangent is open,
  // focusing another slider moves the tangent to that slider's leaf.
  controls.addEventListener("keydown", (e) => {
    const id = rangeLeaf(e.target);
    if (id === null || e.key !== "t" || e.ctrlKey || e.metaKey || e.altKey) return;
    e.preventDefault();
    lesson?.tangentOf(id);
  });
  controls.addEventListener("focusin", (e) => {
    const id = rangeLeaf(e.target);
    const open = lesson?.tangentLeaf ?? null;
    if (id !== null && open !== null && open !== id) lesson?.tangentOf(id);
  });

  const showStatus = () => {
    const rejected = sync.rejected && `The kernel did not take that change: ${sync.rejected}`;
    const lost = sync.status === "lost" ? NOT_CONNECTED : "";
    status.textContent = [model.get("message"), rejected, lost].filter(Boolean).join(" ");
    root.dataset.sync = sync.status;
    root.classList.toggle("agw-lost", sync.status === "lost");
  };
  const sync = new Sync(model, { apply, changed: showStatus });
  /** A notice can be the kernel's answer to a box it would not open: the boxes may be pressed again. */
  const onNotice = () => {
    boxes.settle();
    showNotice();
  };
  const showNotice = () => (notice.textContent = model.get("notice") || "");

  const listeners = /** @type {[string, () => void][]} */ ([
    ["change:message", showStatus],
    ["change:notice", onNotice],
    ["change:svg", onSvg],
    ["change:boxes", onBoxes],
    ["change:sliders", onSliders],
  ]);
  for (const [event, f] of listeners) model.on(event, f);
  showStatus();
  showNotice();
  showKey();

  return () => {
    for (const [event, f] of listeners) model.off(event, f);
    sync.destroy();
    frame.cancel();
    resized?.disconnect();
    zoom?.destroy();
    scrub.destroy();
    boxes.destroy();
    find.destroy();
    drawing?.destroy();
    sliders.destroy();
    lesson?.destroy();
    root.replaceChildren();
  };
}

/** @type {import("@anywidget/types").Render<Model>} */
function render({ model, el }) {
  const root = el.ownerDocument.createElement("div");
  root.className = "agw";
  el.append(root);
  const teardown = mount(model, root);
  return () => {
    teardown();
    root.remove();
  };
}

export default { render };
