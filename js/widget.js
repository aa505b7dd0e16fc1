// The anywidget view: the kernel's drawing, a slider per leaf, and the loop that
// matters — slider input → evaluator at once → patch in the same animation frame —
// while leaf values go to the kernel debounced, and its numbers come back in kernel_state.

import { debounce } from "./debounce.js";
import { Evaluator } from "./evaluator.js";
import { perFrame } from "./frame.js";
import { fromJson, same, toJson } from "./json.js";
import { Fit } from "./fit.js";
import { Drawing } from "./patch.js";
import { parseSvg } from "./svg.js";
import { Sliders } from "./sliders.js";
import { split, wrap } from "./tiles.js";

export const SEND_WAIT_MS = 100;
export const SEND_MAX_WAIT_MS = 400;

/** @typedef {import("./types.js").Model} Model */
/** @typedef {import("@anywidget/types").AnyModel<Model>} AnyModel */

/**
 * Everything one tape and one drawing need; rebuilt whole if the kernel sends new ones.
 * @param {AnyModel} model @param {HTMLElement} root @returns {() => void} teardown
 */
function mount(model, root) {
  const doc = root.ownerDocument;
  const ev = new Evaluator(model.get("tape"));
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
  const fit = width > 0 && height > 0 ? new Fit(toolbar, figure, canvas, width, height) : null;
  // The view may render before it is in the page: split into tiles once there is geometry.
  let tiled = false;
  const onResize = () => {
    fit?.update();
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
    '<span class="agw-key grad-nonfinite"></span>nan or inf <span class="agw-key stale"></span>stale';
  if (fit) root.append(toolbar); // a drawing with no natural size sizes itself: nothing to toggle
  root.append(figure, controls, legend, status);
  onResize();

  const showMessage = () => {
    const kernelOnly = ev.kernelOps.length
      ? `Computed by the kernel only: ${ev.kernelOps.join(", ")} (updates as the kernel answers).`
      : "";
    status.textContent = [model.get("message"), kernelOnly].filter(Boolean).join(" ");
  };

  /** @param {Record<string, import("./types.js").JsonNumber>} values */
  const sliderValues = (values) => JSON.stringify(specs.map((s) => values[String(s.id)]));
  /** @type {string[]} what we sent during this drag: an echo of one is no move of the kernel's */
  const sent = [];
  let dragging = false;
  const send = () => {
    const current = model.get("values") || {};
    const values = { ...current };
    for (const s of specs) values[String(s.id)] = toJson(ev.data[s.id]);
    if (Object.keys(values).every((k) => same(fromJson(values[k]), fromJson(current[k])))) return;
    if (dragging) sent.push(sliderValues(values));
    model.set("values", values);
    model.save_changes();
  };
  const sender = debounce(send, SEND_WAIT_MS, SEND_MAX_WAIT_MS);

  const sliders = new Sliders(controls, specs, (id) => ev.data[id], {
    onInput(id, x) {
      dragging = true;
      ev.setLeaf(id, x);
      frame.schedule();
      sender.schedule();
    },
    onCommit(id, x) {
      if (!same(x, ev.data[id])) ev.setLeaf(id, x);
      frame.flush(); // the released state is drawn now, whatever the frame
      sender.flush();
      dragging = false;
      sent.length = 0;
    },
  });

  // The kernel moved leaves (GraphWidget.set_leaf), or echoes what we sent.
  const onValues = () => {
    const values = model.get("values") || {};
    // ipywidgets drops stale echoes itself; other hosts may not, and one must not pull
    // the slider back mid-drag. After release every value from the kernel counts.
    if (dragging && sent.includes(sliderValues(values))) return;
    /** @type {Record<string, number>} */
    const moved = {};
    for (const s of specs) {
      const key = String(s.id);
      if (!(key in values)) continue;
      const x = fromJson(values[key]);
      if (!same(x, ev.data[s.id])) moved[key] = x;
    }
    if (!Object.keys(moved).length) return;
    sender.cancel(); // the kernel's word wins over a value not sent yet
    ev.setLeaves(moved);
    for (const [key, x] of Object.entries(moved)) sliders.show(Number(key), x);
    frame.flush();
  };
  const onKernelState = () => {
    if (ev.applyKernel(model.get("kernel_state") || {})) frame.flush();
  };

  model.on("change:values", onValues);
  model.on("change:kernel_state", onKernelState);
  model.on("change:message", showMessage);
  onKernelState();
  drawing.patch();
  showMessage();

  return () => {
    model.off("change:values", onValues);
    model.off("change:kernel_state", onKernelState);
    model.off("change:message", showMessage);
    sender.cancel();
    frame.cancel();
    resized?.disconnect();
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
