// "Backward step" and "Backward all": the backward pass done by hand on the drawing. The
// first step blanks every drawn grad and fills the output's (1); each next step fills one
// more node, in the walk's order (walk.js), and says the chain rule that gave it. The
// grads are only hidden (class agw-unfilled, lesson-walk.css), never rewritten: a filled
// node shows what the drawing shows anyway, so a number on screen is never a stale one.

import { backwardSteps, chainLine, changedSince, drawnRecords, mark, sameNodes, snapshot } from "./walk.js";

export const DONE = "Backward pass done: every grad filled.";
export const VALUES_CHANGED = "The values changed: walk ended";
export const DRAWING_CHANGED = "The drawing changed: walk ended";
const UNFILLED = "agw-unfilled";
const CURRENT = "agw-current";

/**
 * A walk under way.
 * @typedef {object} Walk
 * @property {import("./walk.js").Step[]} steps
 * @property {number} next the place in steps of the next node to fill
 * @property {Map<number, Element[]>} records the drawn records, by node id
 * @property {import("./walk.js").Snapshot} numbers what the steps were computed from
 */

/**
 * @param {import("./walk.js").LessonContext} ctx
 * @returns {{update(): void, redraw(): void, destroy(): void, walking(): boolean}}
 */
export function mountStepper(ctx) {
  const { ev } = ctx;
  const doc = ctx.parent.ownerDocument;
  const box = doc.createElement("div");
  box.className = "agw-walk";
  box.setAttribute("role", "group");
  box.setAttribute("aria-label", "Backward pass by hand");
  /** @param {string} name */
  const button = (name) => {
    const b = doc.createElement("button");
    b.type = "button";
    b.className = "agw-tool";
    b.textContent = name;
    b.setAttribute("data-lm-suppress-shortcuts", "true"); // its keys are the button's, not JupyterLab's
    box.append(b);
    return b;
  };
  const stepButton = button("Backward step");
  const allButton = button("Backward all");
  const say = doc.createElement("div");
  say.className = "agw-walk-say";
  say.setAttribute("aria-live", "polite");
  box.append(say);
  ctx.parent.append(box);

  /** @type {Walk | null} */
  let walk = null;

  /** Blank every drawn grad and compute the walk; null if nothing is drawn. @returns {Walk | null} */
  const start = () => {
    const records = drawnRecords(ctx.canvas(), ev.n);
    if (!records.size) {
      say.textContent = "Nothing drawn to walk.";
      return null;
    }
    for (const id of records.keys()) mark(records, id, UNFILLED, "walk", true);
    const steps = backwardSteps(ev, records.keys());
    return { steps, next: 0, records, numbers: snapshot(ev) };
  };

  /** The walk's classes on the drawing now: filled up to `next`, the last filled one current. @param {Walk} w */
  const paint = (w) => {
    w.steps.forEach((s, k) => {
      mark(w.records, s.id, UNFILLED, "walk", k >= w.next);
      mark(w.records, s.id, CURRENT, "walk", k === w.next - 1);
    });
  };

  /** End the walk: every grad shown as drawn. @param {string} text */
  const finish = (text) => {
    if (walk) {
      for (const id of walk.records.keys()) {
        mark(walk.records, id, UNFILLED, "walk", false);
        mark(walk.records, id, CURRENT, "walk", false);
      }
    }
    walk = null;
    say.textContent = text;
  };

  const onStep = () => {
    walk ??= start();
    if (!walk) return;
    const step = walk.steps[walk.next++];
    const line = chainLine(step, ctx.labelOf);
    if (walk.next >= walk.steps.length) finish(`${line}. ${DONE}`);
    else {
      paint(walk);
      say.textContent = line;
    }
  };

  const onAll = () => {
    walk ??= start();
    if (walk) finish(DONE);
  };

  stepButton.addEventListener("click", onStep);
  allButton.addEventListener("click", onAll);

  return {
    update() {
      if (walk && changedSince(ev, walk.numbers)) finish(VALUES_CHANGED);
    },
    redraw() {
      if (!walk) return;
      const records = drawnRecords(ctx.canvas(), ev.n);
      // Other nodes drawn (a box opened or closed): the walk no longer matches the picture.
      if (!sameNodes(records, walk.records)) {
        walk.records = records; // the old elements are gone: nothing to clear there
        finish(DRAWING_CHANGED);
        return;
      }
      walk.records = records;
      paint(walk);
    },
    destroy() {
      finish("");
      stepButton.removeEventListener("click", onStep);
      allButton.removeEventListener("click", onAll);
      box.remove();
    },
    walking: () => walk !== null,
  };
}
