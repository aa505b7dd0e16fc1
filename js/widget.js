// The anywidget view: the kernel's drawing, a slider per leaf, and the loop that
// matters — slider input → evaluator at once → patch in the same animation frame —
// while moved leaves go to the kernel (sync.js), whose numbers, the truth, come back
// in kernel_state and replace ours.

import { Evaluator } from "./evaluator.js";
import { perFrame } from "./frame.js";
import { same } from "./json.js";
import { Drawing } from "./patch.js";
import { Scrub } from "./scrub.js";
import { parseSvg } from "./svg.js";
import { Sliders } from "./sliders.js";
import { Sync } from "./sync.js";
import { split, wrap } from "./tiles.js";
import { Zoom } from "./zoom.js";

export const NOT_CONNECTED = "not connected to the kernel — the drawing is no longer synced";

/** @typedef {import("./types.js").Model} Model */
/** @typedef {import("@anywidget/types").AnyModel<Model>} AnyModel */

/**
 * Everything one tape and one drawing need, mounted once: the kernel never sends a new tape or SVG to a widget.
 * @param {AnyModel} model @param {HTMLElement} root @returns {() => void} teardown
 */
function mount(model, root) {
  const doc = root.ownerDocument;
  const ev = new Evaluator(model.get("tape"));
  // kernel_state may be newer than the tape: this is a second view of a widget in use
  ev.load(model.get("kernel_state") || {});
  const specs = model.get("sliders");

  const view = /** @type {Window} */ (doc.defaultView);
  const toolbar = doc.createElement("div");
  toolbar.className = "agw-toolbar";
  const figure = doc.createElement("div");
  figure.className = "agw-drawing";
  const { canvas, width, height } = wrap(parseSvg(doc, model.get("svg")));
  figure.append(canvas);
  const drawing = new Drawing(canvas, ev, figure);
  const frame = perFrame(view, () => drawing.patch());
  const zoom =
    width > 0 && height > 0
      ? new Zoom({
          toolbar,
          box: figure,
          canvas,
          width,
          height,
          key: model.get("tape"), // the same object for every view of this model
          output: () => canvas.querySelector("g.node.output"),
        })
      : null;
  // The view may render before it is in the page: split into tiles once there is geometry.
  let tiled = false;
  const onResize = () => {
    zoom?.update();
    if (!tiled && canvas.isConnected && (tiled = split(canvas))) drawing.retile();
  };
  /** @type {typeof ResizeObserver | undefined} the page's own: anywidget may render into another window */
  const Resize = /** @type {any} */ (view).ResizeObserver;
  const resized = Resize ? new Resize(onResize) : null;
  resized?.observe(figure);

  const controls = doc.createElement("div");
  controls.className = "agw-sliders";
  const status = doc.createElement("div");
  status.className = "agw-status";
  status.setAttribute("role", "status");
  const legend = doc.createElement("div");
  legend.className = "agw-legend";
  legend.innerHTML =
    '<span class="agw-key grad-pos"></span>grad &gt; 0 <span class="agw-key grad-neg"></span>grad &lt; 0 ' +
    '<span class="agw-key grad-nonfinite"></span>nan or inf <span class="agw-key stale"></span>stale ' +
    '<span class="agw-key output"></span>output';
  if (zoom) root.append(toolbar); // a drawing with no natural size sizes itself: nothing to zoom
  root.append(figure, controls, legend, status);
  onResize();

  const sliders = new Sliders(controls, specs, (id) => ev.data[id], {
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
  // The leaves on the drawing take the sliders' own path: the same events, and the slider follows.
  const scrub = new Scrub({
    box: figure,
    leaves: new Set(specs.map((s) => s.id)),
    rangeOf(id) {
      const r = /** @type {HTMLInputElement | null} */ (controls.querySelector(`input[type="range"][data-id="${id}"]`));
      return r && { min: Number(r.min), max: Number(r.max), step: Number(r.step) };
    },
    valueOf: (id) => ev.data[id],
    events: sliders.events,
    panel: sliders,
    pan: (dx, dy) => zoom?.panBy(dx, dy),
  });

  const before = new Float64Array(specs.length);
  /** The kernel's numbers replace ours; sliders follow the leaves it moved. @param {import("./types.js").KernelState} state */
  const apply = (state) => {
    for (let k = 0; k < specs.length; k++) before[k] = ev.data[specs[k].id];
    if (!ev.load(state)) return;
    for (let k = 0; k < specs.length; k++) {
      const id = specs[k].id;
      if (!same(before[k], ev.data[id])) sliders.show(id, ev.data[id]);
    }
    frame.flush();
  };

  const showStatus = () => {
    const rejected = sync.rejected && `The kernel did not take that change: ${sync.rejected}`;
    const lost = sync.status === "lost" ? NOT_CONNECTED : "";
    status.textContent = [model.get("message"), rejected, lost].filter(Boolean).join(" ");
    root.dataset.sync = sync.status;
    root.classList.toggle("agw-lost", sync.status === "lost");
  };
  const sync = new Sync(model, { apply, changed: showStatus });

  model.on("change:message", showStatus);
  drawing.patch();
  showStatus();

  return () => {
    model.off("change:message", showStatus);
    sync.destroy();
    frame.cancel();
    resized?.disconnect();
    zoom?.destroy();
    scrub.destroy();
    drawing.destroy();
    sliders.destroy();
    root.replaceChildren();
  };
}

/** @type {import("@anywidget/types").Render<Model>} */
function render({ model, el }) {
  const root = el.ownerDocument.createElement("div");
  root.className = "agw";
  el.append(root);
  // tape, svg and sliders are set once, when the kernel builds the widget: mount once
  const teardown = mount(model, root);
  return () => {
    teardown();
    root.remove();
  };
}

export default { render };
