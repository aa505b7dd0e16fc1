// The widget as a lesson: the tools that show *why* the numbers are what they are, each a
// module of its own mounted here into one panel under the drawing — the slope as a tangent
// (tangent.js), finite differences against backprop (numeric.js), a nudge of every input
// along its grad (nudge.js), the backward pass walked by hand (stepper.js) or by the learner
// (quiz.js), the paths from a node to the output (paths.js) and its chain rule in words
// (explain.js), and the drawing saved as it is (export.js). They read the evaluator, draw on the drawing's elements, and change leaves
// only through moveLeaves: the same path as a released slider, so the kernel follows.
//
// update() runs every animation frame while numbers change. What costs a graph's worth of
// work (the tangent's curve: 64 probes; the numeric check: 2 per drawn leaf; the chain rule
// in words: a scan for consumers) runs at most every SLOW_MS and once more when the numbers
// stop (throttle()); the tangent's point and line follow every frame when only its own
// leaf moved (its curve cannot have changed then).

import { explain } from "./explain.js";
import { mountExport } from "./export.js";
import { mountNudge } from "./nudge.js";
import { mountNumeric } from "./numeric.js";
import { mountPaths } from "./paths.js";
import { mountQuiz } from "./quiz.js";
import { mountStepper } from "./stepper.js";
import { mountTangent } from "./tangent.js";
import { gradsHidden } from "./tooltip.js";

/** The costly refreshes run at most this often (ms) while the numbers keep changing. */
export const SLOW_MS = 150;

/**
 * `run` at once, then at most once per `ms` while schedule() keeps being called, and once
 * more `ms` after the last call that found it waiting (trailing): so the last numbers are
 * always the ones shown.
 * @param {() => void} run @param {number} ms
 */
export function throttle(run, ms) {
  /** @type {ReturnType<typeof setTimeout> | null} */
  let timer = null;
  let pending = false;
  const tick = () => {
    timer = null;
    if (!pending) return;
    pending = false;
    timer = setTimeout(tick, ms);
    run();
  };
  return {
    schedule() {
      if (timer !== null) {
        pending = true;
        return;
      }
      timer = setTimeout(tick, ms);
      run();
    },
    /** Run now; a call waiting is answered by this one. */
    now() {
      pending = false;
      run();
    },
    cancel() {
      if (timer !== null) clearTimeout(timer);
      timer = null;
      pending = false;
    },
  };
}

/**
 * What the lesson's tools are given (each its own `parent`).
 * @typedef {object} LessonContext
 * @property {import("./evaluator.js").Evaluator} ev
 * @property {() => Element | null} canvas the drawing now
 * @property {() => number[]} leaves the leaves with a slider now
 * @property {(values: Map<number, number>) => void} moveLeaves set leaves as a released slider does
 * @property {() => void} requestPatch draw the evaluator's numbers now
 * @property {(owner: string, ids: number[]) => void} watch grads to compute besides what is drawn
 * @property {(id: number) => string} labelOf
 * @property {(id: number) => {min: number, max: number} | null} rangeOf a leaf's slider range
 * @property {() => void} [clearSelection] no node selected on the drawing (the tangent was closed)
 */

/**
 * @typedef {object} Tool
 * @property {() => void} update the evaluator's numbers changed
 * @property {() => void} redraw a new drawing was mounted
 * @property {() => void} destroy
 */

/**
 * Mount every tool into `panel`, in the order a lesson uses them.
 * @param {HTMLElement} panel @param {LessonContext} o
 */
export function mountLesson(panel, o) {
  const doc = panel.ownerDocument;
  /** @param {string} name @returns {HTMLElement} */
  const part = (name) => {
    const div = doc.createElement("div");
    div.className = `agw-lesson-${name}`;
    panel.append(div);
    return div;
  };
  /** Whether the learner's grads are hidden now (the quiz's class on the widget's root). */
  const hidden = () => gradsHidden(panel);
  /** @param {string} owner */
  const ctx = (owner, parent = part(owner)) => ({
    parent,
    ev: o.ev,
    canvas: o.canvas,
    leaves: o.leaves,
    moveLeaves: o.moveLeaves,
    requestPatch: o.requestPatch,
    watch: (/** @type {number[]} */ ids) => o.watch(owner, ids),
    labelOf: o.labelOf,
    gradsHidden: hidden,
  });
  // The selected node's chain rule, in words: the tooltip's lines, for the keyboard and touch
  // too. Not a live region (it is rewritten as the numbers change): a selection is announced
  // in a line of its own.
  const about = part("explain");
  const announce = part("announce");
  announce.setAttribute("aria-live", "polite");
  announce.setAttribute("aria-atomic", "true");
  /** @type {number | null} */
  let selected = null;
  /** The selected node's drawn group, null if it is not drawn. */
  const groupOf = (/** @type {number} */ id) => o.canvas()?.querySelector(`g[id="n${id}"]`) ?? null;
  const explainSelected = () => {
    const op = selected === null ? null : o.canvas()?.querySelector(`g[id="n${selected}op"] text`);
    about.textContent =
      selected === null
        ? ""
        : explain(o.ev, selected, o.labelOf, op?.textContent ?? undefined, { grads: !hidden() }).join("\n");
  };
  /** The tangent's × (or Escape): the drawing's selection goes too, and focus to the drawing. */
  const onClose = () => {
    o.clearSelection?.();
    const box = /** @type {HTMLElement | null} */ (
      o.canvas()?.closest(".agw-drawing") ?? panel.closest(".agw")?.querySelector(".agw-drawing") ?? null
    );
    if (!box) return;
    if (!box.hasAttribute("tabindex")) box.tabIndex = -1; // focusable from code, not a tab stop
    box.focus({ preventScroll: true });
  };
  const tangent = mountTangent(ctx("tangent"), { rangeOf: o.rangeOf, onClose });
  const paths = mountPaths(ctx("paths"));
  const numeric = mountNumeric(ctx("numeric"));
  /** @type {Tool[]} updated every frame: cheap */
  const tools = [
    paths,
    mountNudge(ctx("nudge")),
    mountStepper(ctx("stepper")),
    mountQuiz(ctx("quiz")),
    mountExport(ctx("export")),
  ];
  const slow = throttle(() => {
    tangent.update();
    numeric.update();
    if (selected !== null) explainSelected();
  }, SLOW_MS);
  // The quiz hides the grads by a class on the widget's root: what states a grad follows at once.
  const root = panel.closest(".agw");
  const view = doc.defaultView;
  let wasHidden = hidden();
  const observer =
    root && view?.MutationObserver
      ? new view.MutationObserver(() => {
          if (hidden() === wasHidden) return;
          wasHidden = hidden();
          slow.now();
        })
      : null;
  if (root) observer?.observe(root, { attributes: true, attributeFilter: ["class"] });
  return {
    update() {
      tools.forEach((t) => t.update());
      tangent.follow();
      slow.schedule();
    },
    redraw() {
      tools.forEach((t) => t.redraw());
      tangent.redraw();
      numeric.redraw();
    },
    /**
     * A node was selected on the drawing (null: none): its paths to the output are lit and,
     * a leaf, its tangent drawn; the selection is announced.
     * @param {number | null} id
     */
    select(id) {
      selected = id;
      explainSelected();
      const name = id === null ? "" : groupOf(id)?.getAttribute("data-scope") || o.labelOf(id);
      announce.textContent = id === null ? "" : `Selected ${name}`;
      paths.select(id);
      if (id === null || o.ev.isLeaf(id)) tangent.select(id);
    },
    /** A slider's name was pressed (or t on its slider): its leaf's tangent. @param {number} id */
    tangentOf: (id) => tangent.select(id),
    /** The leaf whose tangent is shown, null if none. */
    get tangentLeaf() {
      return tangent.selected;
    },
    destroy() {
      slow.cancel();
      observer?.disconnect();
      tools.forEach((t) => t.destroy());
      tangent.destroy();
      numeric.destroy();
    },
  };
}
