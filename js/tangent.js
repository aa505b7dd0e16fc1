// "The gradient is the slope", visibly: for one selected leaf, a small plot of the output
// as a function of that leaf over its slider's range (probe.js: the evaluator is asked,
// never moved), the point where the leaf is now, and the line through it whose slope is
// the leaf's backprop grad: what a backward pass from the output gives now
// (Evaluator.backprop()), as gradcheck() takes it, not the grad the object holds (0 before
// backward() ran; the caption says so when the two differ). Drag the leaf and the point
// runs along the curve with the line touching it: that the line touches is the lesson.
//
// Plain SVG built once per selection (tangent-plot.js draws it; this file decides what to
// show and when). The curve is sampled (64 probes: the costly part) only when it can have
// changed: a number it is computed from, besides the leaf itself, moved (or the range did).
// Otherwise follow() moves the point and the line alone, cheap enough for every frame.
//
// No plot while the graph's numbers do not follow from its leaves (a leaf moved after the
// graph was built: the curve, rerun from the leaf, would not pass through the point), nor
// while the learner's grads are hidden (the slope is the answer).

import { sample } from "./probe.js";
import { buildPlot, drawPlot, xRange } from "./tangent-plot.js";

export { clipLine, INCONSISTENT, xRange, yRange } from "./tangent-plot.js";

const SAMPLES = 64;
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
  /** @type {import("./tangent-plot.js").TangentPlot | null} */
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

  const hidden = () => ctx.gradsHidden?.() === true;

  /** The plot's elements, made once per selection. */
  function build() {
    const made = buildPlot(doc, closed);
    parent.append(made.figure);
    return made;
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
    drawPlot(plot, {
      name: ctx.labelOf(id),
      outName: ctx.labelOf(ev.root),
      x0: ev.data[id],
      y0: ev.data[ev.root],
      g: ev.freshGrad(id),
      held: ev.grad[id],
      ran: ev.grad[ev.root] !== 0,
      xs: curve.xs,
      ys: curve.ys,
      xr: curve.xr,
    });
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
