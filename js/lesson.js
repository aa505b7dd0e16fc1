// The widget as a lesson: the tools that show *why* the numbers are what they are, each a
// module of its own mounted here into one panel under the drawing — the slope as a tangent
// (tangent.js), finite differences against backprop (numeric.js), a nudge of every input
// along its grad (nudge.js), the backward pass walked by hand (stepper.js) or by the learner
// (quiz.js), the paths from a node to the output (paths.js) and its chain rule in words
// (explain.js), and the drawing saved as it is (export.js). They read the evaluator, draw on the drawing's elements, and change leaves
// only through moveLeaves: the same path as a released slider, so the kernel follows.

import { explain } from "./explain.js";
import { mountExport } from "./export.js";
import { mountNudge } from "./nudge.js";
import { mountNumeric } from "./numeric.js";
import { mountPaths } from "./paths.js";
import { mountQuiz } from "./quiz.js";
import { mountStepper } from "./stepper.js";
import { mountTangent } from "./tangent.js";

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
  });
  // The selected node's chain rule, in words: the tooltip's lines, for the keyboard and touch too.
  const about = part("explain");
  about.setAttribute("aria-live", "polite");
  /** @type {number | null} */
  let selected = null;
  const explainSelected = () => {
    const op = selected === null ? null : o.canvas()?.querySelector(`g[id="n${selected}op"] text`);
    about.textContent = selected === null ? "" : explain(o.ev, selected, o.labelOf, op?.textContent ?? undefined).join("\n");
  };
  const tangent = mountTangent(ctx("tangent"), { rangeOf: o.rangeOf });
  const paths = mountPaths(ctx("paths"));
  /** @type {Tool[]} */
  const tools = [
    tangent,
    paths,
    mountNumeric(ctx("numeric")),
    mountNudge(ctx("nudge")),
    mountStepper(ctx("stepper")),
    mountQuiz(ctx("quiz")),
    mountExport(ctx("export")),
  ];
  return {
    update() {
      tools.forEach((t) => t.update());
      if (selected !== null) explainSelected();
    },
    redraw: () => tools.forEach((t) => t.redraw()),
    /**
     * A node was selected on the drawing (null: none): its paths to the output are lit and,
     * a leaf, its tangent drawn.
     * @param {number | null} id
     */
    select(id) {
      selected = id;
      explainSelected();
      paths.select(id);
      if (id === null || o.ev.isLeaf(id)) tangent.select(id);
    },
    /** A slider's name was pressed: its leaf's tangent. @param {number} id */
    tangentOf: (id) => tangent.select(id),
    destroy: () => tools.forEach((t) => t.destroy()),
  };
}
