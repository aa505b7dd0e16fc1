// Save the drawing as it is now: one standalone SVG file (or a PNG of it), numbers as
// they are drawn at this moment, looking as it does in the page but outside it.
//
// The page's drawing is not one SVG: tiles.js moves the nodes into <svg> tiles laid over
// the base <svg> (edges, background, open boxes' clusters), and widget.css, not the
// drawing, says how everything looks. The file puts the tiles' groups back into the
// base's coordinates and carries its own <style>.

import { dataField, gradField, rangeField } from "./format.js";
import { gradAlpha } from "./patch.js";
import { SVG_NS } from "./svg.js";
import { cssPx } from "./tiles.js";

export const SVG_FILE = "autograd-graph.svg";
export const PNG_FILE = "autograd-graph.png";
const XMLNS_NS = "http://www.w3.org/2000/xmlns/";
const NODE_ID = /^n\d+$/;
const GRAD_CLASSES = ["grad-zero", "grad-pos", "grad-neg", "grad-nonfinite"];

/** The PNG's scale: 2×, less if the canvas would pass what browsers draw
 * (Chromium: 16,384 px a side; Safari: less area). */
export const PNG_SCALE = 2;
const MAX_SIDE = 16384;
const MAX_AREA = 2 ** 26; // 67 Mpx: 8,192² at 2×

/**
 * widget.css's .agw-graph rules with its light theme's colours written out (a file has no
 * theme and no CSS variables), on a white ground as picture.py's STYLE draws it.
 * @param {string | null} hatch the id of the hatch pattern for NaN/inf grads, if the drawing has one
 */
export function exportStyle(hatch) {
  const fg = "#000";
  const muted = "#757575";
  const line = "#9e9e9e";
  const s = ".agw-export";
  return [
    `${s} text{font:11px Courier,"Courier New",monospace;text-anchor:middle;white-space:pre;fill:${fg}}`,
    `${s} .bg{fill:#fff}`,
    `${s} .node ellipse,${s} .node circle,${s} .node path,${s} .node polygon{stroke:${line};fill:none}`,
    `${s} .edges path{stroke:${muted};fill:none}`,
    `${s} marker path{stroke:none;fill:${muted}}`,
    `${s} .node.grad-pos>path{fill:#e66101}`,
    `${s} .node.grad-neg>path{fill:#5e3c99}`,
    `${s} .node.agw-value.grad-nonfinite>path{fill:${hatch ? `url(#${hatch})` : muted}}`,
    `${s} .agw-hatch-bg{fill:${muted};fill-opacity:0.25}`,
    `${s} .agw-hatch-line{fill:${muted};fill-opacity:0.7}`,
    `${s} .node.data-nonfinite text:nth-last-of-type(2){fill:${muted};font-weight:bold}`,
    `${s} .node.output>path{stroke:${fg};stroke-width:2.5}`,
    `${s} .node.output text:first-of-type{font-weight:bold}`,
    `${s} .node.stale{opacity:0.45}`,
    `${s} .node.stale>path{stroke-dasharray:4 3}`,
    `${s} .node.stale-grad text:last-of-type{fill:${muted}}`,
    `${s} .node.agw-box>path{stroke:${fg};stroke-width:1.5;filter:drop-shadow(3px 3px 0 ${line})}`,
    `${s} .node.agw-box text:first-of-type{font-weight:bold}`,
    `${s} .cluster>rect,${s} .cluster>path{fill:rgba(25,118,210,0.05);stroke:${line};stroke-width:1}`,
    `${s} .cluster>text{fill:${muted};font-weight:bold}`,
  ].join("\n");
}

/**
 * The drawing's base <svg> and its tiles.
 * @param {Element} canvas @returns {{base: Element, tiles: Element[]} | null}
 */
function parts(canvas) {
  if (canvas.localName === "svg") return { base: canvas, tiles: [] };
  const base = canvas.querySelector(":scope > svg.agw-base") ?? canvas.querySelector(":scope > svg");
  if (!base) return null;
  const tiles = [...canvas.querySelectorAll(":scope > svg.agw-tile")].filter((t) => t !== base);
  return { base, tiles };
}

/**
 * A layer box's data-value/-grad ("[0.5,-1]") as its range, NaN for both if any is NaN, as patch.js draws it.
 * @param {string} list @returns {[number, number]}
 */
function rangeOfList(list) {
  const xs = list.replace(/^\[|\]$/g, "").split(",").filter(Boolean).map(Number);
  if (!xs.length || xs.some((x) => x !== x)) return [NaN, NaN];
  return [Math.min(...xs), Math.max(...xs)];
}

/**
 * Bring the copy's numbers up to date from data-value/-grad, which patch.js keeps current on
 * every drawn node: it writes text, grad classes and fill only where a tile can be seen, so
 * a node scrolled out of view may still show older numbers. Stale flags are left as drawn.
 * @param {Element} svg
 */
function refresh(svg) {
  for (const g of svg.querySelectorAll("g.node[data-value]")) {
    const texts = g.querySelectorAll(":scope > text");
    const value = g.getAttribute("data-value") ?? "";
    const grad = g.getAttribute("data-grad") ?? "";
    if (g.classList.contains("agw-layer")) {
      if (texts.length >= 2) {
        texts[texts.length - 2].textContent = rangeField("data", ...rangeOfList(value));
        texts[texts.length - 1].textContent = rangeField("grad", ...rangeOfList(grad));
      }
      continue;
    }
    const x = Number(value);
    const d = Number(grad);
    const bits = d !== d || d === Infinity || d === -Infinity ? 3 : d > 0 ? 1 : d < 0 ? 2 : 0;
    for (const c of GRAD_CLASSES) g.classList.toggle(c, c === GRAD_CLASSES[bits]);
    if (!NODE_ID.test(g.id)) continue; // an op's circle: no fields, no fill
    g.classList.toggle("data-nonfinite", !Number.isFinite(x));
    const outline = g.querySelector(":scope > path, :scope > ellipse, :scope > circle");
    const shape = /** @type {SVGElement | null} */ (outline);
    if (shape && (bits === 1 || bits === 2)) shape.style.setProperty("fill-opacity", gradAlpha(d));
    else shape?.style.removeProperty("fill-opacity");
    if (texts.length >= 2) {
      texts[texts.length - 2].textContent = dataField(x);
      texts[texts.length - 1].textContent = gradField(d);
    }
  }
}

/**
 * The drawing now, as one standalone SVG document: the base <svg>'s viewBox and size, the
 * tiles' node groups back in it (each tile's group carries the graph's transform and its
 * viewBox is in the base's coordinates, so the group goes straight under the root), a
 * <style> for the look, and nothing of the page's interaction (roles, tab stops, tooltips).
 * @param {Element} canvas the drawing's root: tiles.js's canvas of <svg>s, or one <svg>
 * @returns {string}
 */
export function standaloneSvg(canvas) {
  const found = parts(canvas);
  if (!found) throw new Error("there is no drawing to export");
  const doc = canvas.ownerDocument;
  const svg = /** @type {Element} */ (found.base.cloneNode(true));
  for (const tile of found.tiles) for (const child of tile.children) svg.append(child.cloneNode(true));
  for (const a of ["class", "style", "preserveAspectRatio"]) svg.removeAttribute(a);
  svg.setAttribute("class", "agw-export");
  svg.setAttributeNS(XMLNS_NS, "xmlns", SVG_NS);
  if (!svg.getAttribute("viewBox")) {
    const [w, h] = [cssPx(svg.getAttribute("width")), cssPx(svg.getAttribute("height"))];
    if (w > 0 && h > 0) svg.setAttribute("viewBox", `0 0 ${w} ${h}`);
  }
  for (const t of svg.querySelectorAll("title")) t.remove();
  for (const el of [svg, ...svg.querySelectorAll("*")]) {
    for (const name of el.getAttributeNames()) {
      if (name === "tabindex" || name === "role" || name.startsWith("aria-")) el.removeAttribute(name);
    }
  }
  refresh(svg);
  const hatch = svg.querySelector("pattern[id]")?.id ?? null;
  const style = doc.createElementNS(SVG_NS, "style");
  style.textContent = exportStyle(hatch);
  svg.prepend(style);
  const text = new /** @type {any} */ (doc.defaultView).XMLSerializer().serializeToString(svg);
  // happy-dom writes U+00A0 (the fields' padding) as the HTML entity, which XML lacks.
  return `<?xml version="1.0" encoding="UTF-8"?>\n${text.replace(/&nbsp;/g, "&#160;")}`;
}

/**
 * The drawing's size in CSS px (its width/height, else its viewBox).
 * @param {Element} canvas @returns {{width: number, height: number}}
 */
export function drawingSize(canvas) {
  const base = parts(canvas)?.base;
  let width = cssPx(base?.getAttribute("width") ?? null);
  let height = cssPx(base?.getAttribute("height") ?? null);
  if (!(width > 0 && height > 0)) {
    const v = (base?.getAttribute("viewBox") || "").trim().split(/[\s,]+/).map(Number);
    [width, height] = v.length === 4 ? [v[2], v[3]] : [NaN, NaN];
  }
  return { width, height };
}

/**
 * The PNG's scale for a drawing this big: PNG_SCALE, or less to stay drawable.
 * @param {number} width @param {number} height
 */
export function pngScale(width, height) {
  return Math.min(PNG_SCALE, MAX_SIDE / width, MAX_SIDE / height, Math.sqrt(MAX_AREA / (width * height)));
}

/**
 * Render an SVG document to a PNG: an Image of it from a blob: URL, drawn on a <canvas> `scale` times its size.
 * @param {string} svgText @param {{width: number, height: number, scale: number}} size
 * @param {Window & typeof globalThis} view the page's window, whose Blob and Image it uses
 * @returns {Promise<Blob>}
 */
export async function svgToPng(svgText, { width, height, scale }, view) {
  const doc = view.document;
  const canvas = /** @type {HTMLCanvasElement} */ (doc.createElement("canvas"));
  canvas.width = Math.max(1, Math.round(width * scale));
  canvas.height = Math.max(1, Math.round(height * scale));
  const g = canvas.getContext("2d");
  if (!g) throw new Error("this browser cannot draw on a canvas");
  const URL_ = /** @type {typeof URL} */ (/** @type {any} */ (view).URL);
  const url = URL_.createObjectURL(new view.Blob([svgText], { type: "image/svg+xml;charset=utf-8" }));
  try {
    const img = new /** @type {any} */ (view).Image();
    await new Promise((resolve, reject) => {
      img.onload = resolve;
      img.onerror = () => reject(new Error("the browser could not render the SVG"));
      img.src = url;
    });
    g.scale(scale, scale);
    g.drawImage(img, 0, 0, width, height);
  } finally {
    URL_.revokeObjectURL(url);
  }
  return new Promise((resolve, reject) =>
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error("the canvas gave no PNG (too big?)"))), "image/png"),
  );
}

/**
 * @callback ToPng
 * @param {string} svgText @param {{width: number, height: number, scale: number}} size
 * @param {Window & typeof globalThis} view the page's window, whose Blob and Image it uses
 * @returns {Promise<Blob>}
 */

/**
 * @param {any} ctx the lesson context (see the integration contract): parent, canvas
 * @param {{toPng?: ToPng}} [options] toPng: how to make the PNG (default svgToPng; tests inject one)
 * @returns {{update(): void, redraw(): void, destroy(): void}}
 */
export function mountExport(ctx, { toPng = svgToPng } = {}) {
  const parent = /** @type {HTMLElement} */ (ctx.parent);
  const doc = parent.ownerDocument;
  const view = /** @type {Window & typeof globalThis} */ (doc.defaultView);
  const URL_ = /** @type {typeof URL} */ (/** @type {any} */ (view).URL);
  const box = doc.createElement("div");
  box.className = "agw-export-tools";
  box.setAttribute("role", "group");
  box.setAttribute("aria-label", "Export the drawing");
  /** @param {string} name */
  const button = (name) => {
    const b = doc.createElement("button");
    b.type = "button";
    b.className = "agw-tool";
    b.setAttribute("data-lm-suppress-shortcuts", "true"); // its keys are its own, not JupyterLab's command mode's
    b.textContent = name;
    return b;
  };
  const svgButton = button("Export SVG");
  const pngButton = button("Export PNG");
  const status = doc.createElement("span");
  status.className = "agw-export-status";
  status.setAttribute("role", "status");
  box.append(svgButton, pngButton, status);
  parent.append(box);

  /**
   * Download a blob: a link with a blob: URL, clicked. The URL is revoked on the next
   * task, once the click's download has taken it (revoked at once, some browsers lose it).
   * @param {Blob} blob @param {string} name
   */
  const download = (blob, name) => {
    const url = URL_.createObjectURL(blob);
    const a = doc.createElement("a");
    a.href = url;
    a.download = name;
    a.hidden = true;
    box.append(a); // in the document: Firefox clicks only a link that is
    a.click();
    a.remove();
    view.setTimeout(() => URL_.revokeObjectURL(url), 0);
  };

  /** The SVG text and size of the drawing now, or null (and why, in the status line). */
  const current = () => {
    const canvas = ctx.canvas();
    if (!canvas) {
      status.textContent = "No drawing to export.";
      return null;
    }
    return { text: standaloneSvg(canvas), size: drawingSize(canvas) };
  };

  const onSvg = () => {
    const now = current();
    if (!now) return;
    download(new view.Blob([now.text], { type: "image/svg+xml;charset=utf-8" }), SVG_FILE);
    status.textContent = `Saved ${SVG_FILE}`;
  };

  let busy = false;
  const onPng = async () => {
    if (busy) return; // one PNG at a time
    const now = current();
    if (!now) return;
    const { width, height } = now.size;
    if (!(width > 0 && height > 0)) {
      status.textContent = "PNG export failed: the drawing has no size.";
      return;
    }
    const scale = pngScale(width, height);
    busy = true;
    pngButton.setAttribute("aria-busy", "true");
    status.textContent = `Rendering ${PNG_FILE}…`;
    try {
      const blob = await toPng(now.text, { width, height, scale }, view);
      if (!box.isConnected) return; // destroyed meanwhile
      download(blob, PNG_FILE);
      const note = scale < PNG_SCALE ? ` at ${scale.toFixed(2)}× (too big for ${PNG_SCALE}×)` : "";
      status.textContent = `Saved ${PNG_FILE}${note}`;
    } catch (err) {
      status.textContent = `PNG export failed: ${err instanceof Error ? err.message : String(err)}`;
    } finally {
      busy = false;
      pngButton.removeAttribute("aria-busy");
    }
  };

  const controller = new AbortController();
  svgButton.addEventListener("click", onSvg, { signal: controller.signal });
  pngButton.addEventListener("click", onPng, { signal: controller.signal });

  return {
    update() {}, // the file is made from the drawing when asked: nothing to keep up
    redraw() {},
    destroy() {
      controller.abort();
      box.remove();
    },
  };
}
