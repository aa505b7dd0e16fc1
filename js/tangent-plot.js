// The tangent plot's drawing: the plain SVG (frame, curve, tangent line, point, ticks,
// labels) and its caption, made once per selection, and the rewrite of them from a sampled
// curve and the numbers now. Scales map data space onto the box; the line is clipped to it;
// a non-finite number leaves a gap or hides an element, never a "NaN" coordinate. The
// plot's numbers in data space ride on the elements too (data-*), for tests and for anyone
// reading the markup.
// Separate from tangent.js, which decides what to show and when (the selection, when the
// curve must be sampled again, when no plot may show): this file only draws what it is given.

import { term } from "./explain.js";
import { fmt } from "./format.js";
import { SVG_NS } from "./svg.js";

const WIDTH = 260;
const HEIGHT = 160;
const MARGIN = { left: 46, right: 10, top: 10, bottom: 34 };
const LEFT = MARGIN.left;
const RIGHT = WIDTH - MARGIN.right;
const TOP = MARGIN.top;
const BOTTOM = HEIGHT - MARGIN.bottom;
export const INCONSISTENT =
  "The graph's numbers do not follow from its leaves (a leaf changed after it was built): move any slider to recompute.";

/**
 * A linear map from [lo, hi] onto [a, b]; halves so that hi − lo never overflows.
 * @param {number} lo @param {number} hi @param {number} a @param {number} b
 */
const scale = (lo, hi, a, b) => (/** @type {number} */ v) => a + ((v / 2 - lo / 2) / (hi / 2 - lo / 2)) * (b - a);

/** A coordinate for an attribute: short, and never "NaN" (callers only pass finite numbers). @param {number} v */
const at = (v) => String(Math.round(v * 100) / 100);

/**
 * The x range: the slider's, else x ± max(1, |x|); widened to hold x (a typed value may
 * lie past the slider's ends). Never empty, never non-finite.
 * @param {{min: number, max: number} | null} range @param {number} x
 * @returns {[number, number]}
 */
export function xRange(range, x) {
  let lo = range ? range.min : x - Math.max(1, Math.abs(x));
  let hi = range ? range.max : x + Math.max(1, Math.abs(x));
  if (Number.isFinite(x)) {
    lo = Math.min(lo, x);
    hi = Math.max(hi, x);
  }
  if (!(Number.isFinite(lo) && Number.isFinite(hi) && hi > lo)) {
    const c = Number.isFinite(x) ? x : 0;
    return [c - 1, c + 1];
  }
  return [lo, hi];
}

/**
 * The y range: every finite sample and the current output, with a little room; [−1, 1]
 * around a constant, and [−1, 1] when there is no finite number at all.
 * @param {ArrayLike<number>} ys @param {number} y0
 * @returns {[number, number]}
 */
export function yRange(ys, y0) {
  let lo = Infinity;
  let hi = -Infinity;
  const take = (/** @type {number} */ y) => {
    if (Number.isFinite(y)) {
      if (y < lo) lo = y;
      if (y > hi) hi = y;
    }
  };
  for (let j = 0; j < ys.length; j++) take(ys[j]);
  take(y0);
  if (lo > hi) return [-1, 1];
  const pad = hi > lo ? (hi / 2 - lo / 2) * 0.16 : Math.max(1, Math.abs(lo)) * 0.5;
  return [Math.max(-Number.MAX_VALUE, lo - pad), Math.min(Number.MAX_VALUE, hi + pad)];
}

/**
 * The part of the line y = y0 + g (x − x0) inside the box, as two points in data space;
 * null when there is none (a non-finite number, or the line misses the box).
 * @param {number} x0 @param {number} y0 @param {number} g
 * @param {[number, number]} xs the box's x range @param {[number, number]} ys its y range
 * @returns {[number, number, number, number] | null} x1, y1, x2, y2
 */
export function clipLine(x0, y0, g, [xlo, xhi], [ylo, yhi]) {
  if (!(Number.isFinite(x0) && Number.isFinite(y0) && Number.isFinite(g))) return null;
  // points x0 + t, y0 + g t: t is bounded by the x range, and by the y range unless g = 0
  let t0 = xlo - x0;
  let t1 = xhi - x0;
  if (g !== 0) {
    const a = (ylo - y0) / g;
    const b = (yhi - y0) / g;
    t0 = Math.max(t0, Math.min(a, b));
    t1 = Math.min(t1, Math.max(a, b));
  } else if (y0 < ylo || y0 > yhi) return null;
  if (!(t0 <= t1)) return null;
  return [x0 + t0, y0 + g * t0, x0 + t1, y0 + g * t1];
}

/** @typedef {ReturnType<typeof buildPlot>} TangentPlot the plot's elements */

/**
 * The plot's elements, made once per selection; the figure is not put anywhere yet.
 * @param {Document} doc
 * @param {() => void} onClose the close button, or Escape inside the figure
 */
export function buildPlot(doc, onClose) {
  /** @param {string} tag @param {Record<string, string>} [attrs] */
  const svgEl = (tag, attrs = {}) => {
    const e = doc.createElementNS(SVG_NS, tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    return e;
  };
  const figure = doc.createElement("figure");
  figure.className = "agw-tangent";
  const svg = svgEl("svg", {
    "data-role": "tangent",
    role: "img",
    width: String(WIDTH),
    height: String(HEIGHT),
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
  });
  const frame = svgEl("rect", {
    class: "agw-tangent-frame",
    x: String(LEFT),
    y: String(TOP),
    width: String(RIGHT - LEFT),
    height: String(BOTTOM - TOP),
  });
  const zero = svgEl("line", { class: "agw-tangent-zero" }); // y = 0, where it is in view
  const path = svgEl("path", { class: "agw-tangent-curve" });
  const line = svgEl("line", { class: "agw-tangent-line" });
  const point = svgEl("circle", { class: "agw-tangent-point", r: "3.5" });
  /** @param {string} cls @param {Record<string, string>} attrs */
  const text = (cls, attrs) => svgEl("text", { class: cls, ...attrs });
  const xlo = text("agw-tangent-tick", { x: String(LEFT), y: String(BOTTOM + 12), "text-anchor": "start" });
  const xhi = text("agw-tangent-tick", { x: String(RIGHT), y: String(BOTTOM + 12), "text-anchor": "end" });
  const ylo = text("agw-tangent-tick", { x: String(LEFT - 3), y: String(BOTTOM), "text-anchor": "end" });
  const yhi = text("agw-tangent-tick", { x: String(LEFT - 3), y: String(TOP + 8), "text-anchor": "end" });
  const xLabel = text("agw-tangent-label", {
    x: String((LEFT + RIGHT) / 2),
    y: String(BOTTOM + 26),
    "text-anchor": "middle",
  });
  const yMid = (TOP + BOTTOM) / 2;
  const yLabel = text("agw-tangent-label", {
    x: "10",
    y: String(yMid),
    "text-anchor": "middle",
    transform: `rotate(-90 10 ${yMid})`,
  });
  svg.append(frame, zero, path, line, point, xlo, xhi, ylo, yhi, xLabel, yLabel);
  const caption = doc.createElement("figcaption");
  const slopeText = doc.createElement("span");
  slopeText.className = "agw-tangent-slope";
  const heldText = doc.createElement("span");
  heldText.className = "agw-tangent-held";
  caption.append(slopeText, heldText);
  // said instead of the plot and caption while the graph's numbers do not follow from its leaves
  const stale = doc.createElement("p");
  stale.className = "agw-tangent-inconsistent";
  stale.textContent = INCONSISTENT;
  const close = doc.createElement("button");
  close.type = "button";
  close.className = "agw-tool agw-tangent-close";
  close.setAttribute("aria-label", "Close tangent");
  close.textContent = "×";
  close.setAttribute("data-lm-suppress-shortcuts", "true");
  close.addEventListener("click", onClose);
  figure.addEventListener("keydown", (e) => {
    if (e.key === "Escape") {
      e.preventDefault();
      onClose();
    }
  });
  figure.append(close, svg, caption);
  return {
    figure,
    svg,
    zero,
    path,
    line,
    point,
    xlo,
    xhi,
    ylo,
    yhi,
    xLabel,
    yLabel,
    caption,
    slopeText,
    heldText,
    stale,
    close,
  };
}

/**
 * What one drawing shows: the curve sampled, and the numbers now.
 * @typedef {object} PlotState
 * @property {string} name the leaf's label @property {string} outName the output's
 * @property {number} x0 the leaf's data @property {number} y0 the output's
 * @property {number} g the slope: the leaf's backprop grad
 * @property {number} held the grad the leaf's object holds
 * @property {boolean} ran whether backward() has run (the root's grad is not 0)
 * @property {ArrayLike<number>} xs @property {ArrayLike<number>} ys the sampled curve
 * @property {[number, number]} xr its x range
 */

/**
 * Rewrite the plot from the sampled curve and the numbers now: no probe runs here.
 * @param {TangentPlot} plot @param {PlotState} state
 */
export function drawPlot(plot, { name, outName, x0, y0, g, held, ran, xs, ys, xr }) {
  const yr = yRange(ys, y0);
  const sx = scale(xr[0], xr[1], LEFT, RIGHT);
  const sy = scale(yr[0], yr[1], BOTTOM, TOP);

  // the curve, broken where the output is no number (a gap, never a NaN coordinate)
  let d = "";
  let pen = false;
  for (let j = 0; j < xs.length; j++) {
    if (!Number.isFinite(ys[j])) {
      pen = false;
      continue;
    }
    d += `${pen ? "L" : "M"}${at(sx(xs[j]))},${at(sy(ys[j]))}`;
    pen = true;
  }
  plot.path.setAttribute("d", d);

  const { zero, line, point } = plot;
  if (yr[0] < 0 && yr[1] > 0) {
    const y = at(sy(0));
    for (const [k, v] of [["x1", String(LEFT)], ["x2", String(RIGHT)], ["y1", y], ["y2", y]]) zero.setAttribute(k, v);
    zero.removeAttribute("display");
  } else zero.setAttribute("display", "none");

  const seg = clipLine(x0, y0, g, xr, yr);
  if (seg) {
    const [x1, y1, x2, y2] = seg;
    for (const [k, v] of /** @type {[string, number][]} */ ([["x1", x1], ["y1", y1], ["x2", x2], ["y2", y2]])) {
      line.setAttribute(k, at(k[0] === "x" ? sx(v) : sy(v)));
      line.setAttribute(`data-${k}`, String(v)); // data space, full precision
    }
    line.removeAttribute("display");
  } else {
    line.setAttribute("display", "none");
    for (const k of ["x1", "y1", "x2", "y2"]) line.removeAttribute(`data-${k}`);
  }
  if (Number.isFinite(x0) && Number.isFinite(y0)) {
    point.setAttribute("cx", at(sx(x0)));
    point.setAttribute("cy", at(sy(y0)));
    point.setAttribute("data-x", String(x0));
    point.setAttribute("data-y", String(y0));
    point.removeAttribute("display");
  } else point.setAttribute("display", "none");

  plot.xlo.textContent = fmt(xr[0]);
  plot.xhi.textContent = fmt(xr[1]);
  plot.ylo.textContent = fmt(yr[0]);
  plot.yhi.textContent = fmt(yr[1]);
  plot.xLabel.textContent = name;
  plot.yLabel.textContent = outName;
  const slope = `∂${term(outName)}/∂${term(name)} = ${fmt(g)}`;
  plot.slopeText.textContent = `slope = ${slope}`;
  // the grad the object holds, when it is not that: 0 before backward() ran, a hand-set one
  const differs = fmt(held) !== fmt(g);
  const why = ran ? "not what backward() gives now" : "backward() has not run";
  const holds = differs ? `${term(name)}.grad holds ${fmt(held)} (${why})` : "";
  plot.heldText.textContent = holds;
  plot.heldText.hidden = !differs;
  const { svg } = plot;
  svg.setAttribute("data-leaf", name);
  svg.setAttribute("data-slope", String(g));
  svg.setAttribute(
    "aria-label",
    `${outName} as a function of ${name} from ${fmt(xr[0])} to ${fmt(xr[1])}. ` +
      `At ${name} = ${fmt(x0)}, ${outName} = ${fmt(y0)}; ` +
      `the tangent line there has slope ${slope}.${holds ? ` ${holds}.` : ""}`,
  );
}
