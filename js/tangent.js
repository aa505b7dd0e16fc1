// "The gradient is the slope", visibly: for one selected leaf, a small plot of the output
// as a function of that leaf over its slider's range (probe.js: the evaluator is asked,
// never moved), the point where the leaf is now, and the line through it whose slope is
// the leaf's backprop grad: what a backward pass from the output gives now
// (Evaluator.backprop()), as gradcheck() takes it, not the grad the object holds (0 before
// backward() ran; the caption says so when the two differ). Drag the leaf and the point
// runs along the curve with the line touching it: that the line touches is the lesson.
//
// Plain SVG built once per selection. The curve is sampled (64 probes: the costly part)
// only when it can have changed: a number it is computed from, besides the leaf itself,
// moved (or the range did). Otherwise follow() moves the point and the line alone, cheap
// enough for every frame. The plot's numbers in data space ride on the elements too
// (data-*), for tests and for anyone reading the markup.
//
// No plot while the graph's numbers do not follow from its leaves (a leaf moved after the
// graph was built: the curve, rerun from the leaf, would not pass through the point), nor
// while the learner's grads are hidden (the slope is the answer).

import { term } from "./explain.js";
import { fmt } from "./format.js";
import { sample } from "./probe.js";
import { SVG_NS } from "./svg.js";

const WIDTH = 260;
const HEIGHT = 160;
const MARGIN = { left: 46, right: 10, top: 10, bottom: 34 };
const SAMPLES = 64;
export const INCONSISTENT =
  "The graph's numbers do not follow from its leaves (a leaf changed after it was built): move any slider to recompute.";
export const HIDDEN = "Grads are hidden (your turn)";

/**
 * @typedef {object} TangentContext the integration contract's ctx, the parts used here
 * @property {HTMLElement} parent
 * @property {import("./evaluator.js").Evaluator} ev
 * @property {(ids: number[]) => void} watch grads to keep computed besides what is drawn
 * @property {(id: number) => string} labelOf
 * @property {() => boolean} [gradsHidden] the learner's grads are hidden (the quiz): no plot
 */

/**
 * @typedef {object} TangentOptions
 * @property {(id: number) => {min: number, max: number} | null} rangeOf the leaf's slider range; null: none
 * @property {(id: number) => void} [onClose] after the close button (or Escape) cleared the
 *   selection: where focus should go now that the button holding it is gone
 */

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

/**
 * The nodes whose numbers the curve of `leaf` is computed from, besides the leaf: every
 * parent of a node the leaf feeds that the leaf does not feed itself.
 * @param {import("./evaluator.js").Evaluator} ev @param {number} leaf @returns {Int32Array}
 */
function frontierOf(ev, leaf) {
  const ids = ev.feeds(leaf);
  const mark = new Uint8Array(ev.n); // 1: fed by the leaf, 2: on the frontier
  for (let q = 0; q < ids.length; q++) mark[ids[q]] = 1;
  const found = [];
  for (let q = 0; q < ids.length; q++) {
    const i = ids[q];
    for (let j = ev.offsets[i]; j < ev.offsets[i + 1]; j++) {
      const p = ev.indices[j];
      if (!mark[p]) {
        mark[p] = 2;
        found.push(p);
      }
    }
  }
  return Int32Array.from(found);
}

/**
 * Mount the tangent plot's home in ctx.parent; nothing shows until select().
 * @param {TangentContext} ctx @param {TangentOptions} opts
 */
export function mountTangent(ctx, opts) {
  const { parent, ev } = ctx;
  const doc = parent.ownerDocument;
  /** @type {number | null} */
  let leaf = null;
  /** @type {ReturnType<typeof build> | null} */
  let plot = null;
  /**
   * The curve sampled last, and what it was computed from: the frontier's numbers and flags
   * and the x range. While they are the same, so is the curve.
   * @type {{leaf: number, frontier: Int32Array, data: Float64Array, flags: Uint8Array,
   *   xr: [number, number], xs: Float64Array, ys: Float64Array} | null}
   */
  let curve = null;
  /** @type {HTMLElement | null} a line said in place of the plot: grads hidden */
  let note = null;

  /** @param {string} tag @param {Record<string, string>} [attrs] */
  const svgEl = (tag, attrs = {}) => {
    const e = doc.createElementNS(SVG_NS, tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    return e;
  };
  const hidden = () => ctx.gradsHidden?.() === true;

  /** The plot's elements, made once per selection. */
  function build() {
    const figure = doc.createElement("figure");
    figure.className = "agw-tangent";
    const svg = svgEl("svg", {
      "data-role": "tangent",
      role: "img",
      width: String(WIDTH),
      height: String(HEIGHT),
      viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
    });
    const left = MARGIN.left;
    const right = WIDTH - MARGIN.right;
    const top = MARGIN.top;
    const bottom = HEIGHT - MARGIN.bottom;
    const frame = svgEl("rect", {
      class: "agw-tangent-frame",
      x: String(left),
      y: String(top),
      width: String(right - left),
      height: String(bottom - top),
    });
    const zero = svgEl("line", { class: "agw-tangent-zero" }); // y = 0, where it is in view
    const path = svgEl("path", { class: "agw-tangent-curve" });
    const line = svgEl("line", { class: "agw-tangent-line" });
    const point = svgEl("circle", { class: "agw-tangent-point", r: "3.5" });
    /** @param {string} cls @param {Record<string, string>} attrs */
    const text = (cls, attrs) => svgEl("text", { class: cls, ...attrs });
    const xlo = text("agw-tangent-tick", { x: String(left), y: String(bottom + 12), "text-anchor": "start" });
    const xhi = text("agw-tangent-tick", { x: String(right), y: String(bottom + 12), "text-anchor": "end" });
    const ylo = text("agw-tangent-tick", { x: String(left - 3), y: String(bottom), "text-anchor": "end" });
    const yhi = text("agw-tangent-tick", { x: String(left - 3), y: String(top + 8), "text-anchor": "end" });
    const xLabel = text("agw-tangent-label", {
      x: String((left + right) / 2),
      y: String(bottom + 26),
      "text-anchor": "middle",
    });
    const yMid = (top + bottom) / 2;
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
    close.addEventListener("click", closed);
    figure.addEventListener("keydown", (e) => {
      if (e.key === "Escape") {
        e.preventDefault();
        closed();
      }
    });
    figure.append(close, svg, caption);
    parent.append(figure);
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

  /** The close button or Escape: no selection, and the integrator may put focus back. */
  function closed() {
    const was = leaf;
    select(null);
    if (was !== null) opts.onClose?.(was);
  }

  /** @param {string | null} text a line in place of the plot, or none */
  function say(text) {
    if (text === null) {
      note?.remove();
      note = null;
      return;
    }
    if (!note) {
      note = doc.createElement("p");
      note.className = "agw-tangent-note";
      parent.append(note);
    }
    note.textContent = text;
  }

  /** Sample the output over the leaf's range (the costly part): the curve for the numbers now. */
  function resample() {
    const id = /** @type {number} */ (leaf);
    const frontier = curve?.leaf === id ? curve.frontier : frontierOf(ev, id);
    const xr = xRange(opts.rangeOf(id), ev.data[id]);
    const { xs, ys } = sample(ev, id, xr[0], xr[1], SAMPLES);
    const data = new Float64Array(frontier.length);
    const flags = new Uint8Array(frontier.length);
    for (let q = 0; q < frontier.length; q++) {
      const p = frontier[q];
      data[q] = ev.data[p];
      flags[q] = ev.staleData[p] | (ev.changed[p] << 1);
    }
    curve = { leaf: id, frontier, data, flags, xr, xs, ys };
  }

  /** Whether the curve sampled last is the curve now: only the leaf itself moved since. */
  function current() {
    if (!curve || curve.leaf !== leaf) return false;
    const { frontier, data, flags, xr } = curve;
    const now = xRange(opts.rangeOf(leaf), ev.data[leaf]);
    if (now[0] !== xr[0] || now[1] !== xr[1]) return false;
    for (let q = 0; q < frontier.length; q++) {
      const p = frontier[q];
      if (data[q] !== ev.data[p] && !(data[q] !== data[q] && ev.data[p] !== ev.data[p])) return false;
      if (flags[q] !== (ev.staleData[p] | (ev.changed[p] << 1))) return false;
    }
    return true;
  }

  /**
   * Whether a plot may show at all; if not, it is taken down and the reason said.
   * @returns {boolean}
   */
  function allowed() {
    if (leaf === null || !plot) return false;
    if (hidden()) {
      drop();
      say(HIDDEN);
      return false;
    }
    const ok = ev.consistent;
    const { figure, svg, caption, stale } = plot;
    if (!ok && svg.isConnected) {
      svg.remove();
      caption.remove();
      figure.append(stale);
    } else if (ok && !svg.isConnected) {
      stale.remove();
      figure.append(svg, caption);
    }
    if (!ok) curve = null;
    return ok;
  }

  /** Rewrite the plot from the sampled curve and the numbers now: no probe runs here. */
  function draw() {
    if (leaf === null || !plot || !curve) return;
    const id = leaf;
    const name = ctx.labelOf(id);
    const outName = ctx.labelOf(ev.root);
    const x0 = ev.data[id];
    const y0 = ev.data[ev.root];
    const g = ev.freshGrad(id);
    const held = ev.grad[id];
    const { xs, ys, xr } = curve;
    const yr = yRange(ys, y0);
    const left = MARGIN.left;
    const right = WIDTH - MARGIN.right;
    const top = MARGIN.top;
    const bottom = HEIGHT - MARGIN.bottom;
    const sx = scale(xr[0], xr[1], left, right);
    const sy = scale(yr[0], yr[1], bottom, top);

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
      for (const [k, v] of [["x1", String(left)], ["x2", String(right)], ["y1", y], ["y2", y]]) zero.setAttribute(k, v);
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
    const why = ev.grad[ev.root] === 0 ? "backward() has not run" : "not what backward() gives now";
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

  /**
   * The cheap part, for every frame: when the curve cannot have changed (only the leaf
   * moved, or nothing did), move the point and the line. False when the curve is out of
   * date: update() must sample it again.
   * @returns {boolean}
   */
  function follow() {
    if (leaf === null || !plot) {
      if (note && !hidden()) say(null);
      return true;
    }
    if (!allowed()) return true; // nothing to draw: a line says why
    if (!current()) return false;
    draw();
    return true;
  }

  /** Everything: the curve sampled again if it can have changed, the plot rewritten. */
  function update() {
    if (follow()) return;
    resample();
    draw();
  }

  /** Take the plot down (the note, if any, stays). */
  function drop() {
    const had = leaf !== null;
    leaf = null;
    curve = null;
    plot?.figure.remove();
    plot = null;
    if (had) ctx.watch([]);
  }

  /**
   * Show the plot for this leaf, or none (null). Anything but a leaf of this tape clears it;
   * so does a leaf while the grads are hidden (a line says so).
   * @param {number | null} id
   */
  function select(id) {
    const next = id !== null && ev.isLeaf(id) ? id : null;
    if (next !== null && hidden()) {
      drop();
      say(HIDDEN);
      return;
    }
    say(null);
    if (next === leaf) {
      update();
      return;
    }
    if (next === null) {
      drop();
      return;
    }
    leaf = next;
    curve = null;
    // The leaf's grad, as the objects will hold it, is kept computed on every move even when
    // the leaf is not drawn: a move writes the grads it recomputed, and the caption says
    // what the leaf holds. Nothing is computed now (the slope is backprop()'s, not ev.grad).
    ctx.watch([leaf]);
    plot ??= build();
    update();
  }

  return {
    select,
    /** The selected leaf, null if none. */
    get selected() {
      return leaf;
    },
    follow,
    update,
    redraw: update,
    destroy() {
      drop();
      say(null);
    },
  };
}
