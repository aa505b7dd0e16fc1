// "Backward step" and "Backward all": the backward pass done by hand on the drawing. The
// first step blanks every drawn grad and fills the output's (1); each next step fills one
// more node, in the walk's order (walk.js), and says the chain rule that gave it. A blank
// grad is hidden (class agw-unfilled, lesson-walk.css); a filled one shows the walk's own
// number, written into the field (walk.js writeGrad): the objects may hold none yet (0
// before backward()), and the step line says so. The last node filled stays marked with
// its line until the next press, which ends the walk: every field shows what the objects
// hold again. While "Hide grads" is on (quiz.js) both buttons are off: they would give the
// answers.

import { fmt } from "./format.js";
import {
  backwardSteps,
  chainLine,
  changedSince,
  drawnRecords,
  GRADS_HIDDEN,
  gradTexts,
  keepGrads,
  mark,
  operand,
  sameNodes,
  shownApart,
  snapshot,
  writeGrad,
} from "./walk.js";

export const DONE = "Backward pass done: every grad filled.";
export const ENDED = "Walk ended: every grad as your objects hold it.";
export const VALUES_CHANGED = "The values changed: walk ended";
export const DRAWING_CHANGED = "The drawing changed: walk ended";
export const QUIZ_ON = "Hide grads is on: walk ended";
export const OFF_TITLE = "Off while Hide grads is on: it would give the answers away";
const TITLES = {
  step: "Fill the next grad by the chain rule, from the output back",
  all: "Fill every grad at once",
};
const UNFILLED = "agw-unfilled";
const CURRENT = "agw-current";

/**
 * A walk under way.
 * @typedef {object} Walk
 * @property {import("./walk.js").Step[]} steps
 * @property {number} next the place in steps of the next node to fill
 * @property {number} current the place in steps of the node marked (-1: none)
 * @property {Map<number, Element[]>} records the drawn records, by node id
 * @property {Map<number, Text[]>} texts their grad fields
 * @property {import("./walk.js").Snapshot} numbers what the steps were computed from
 * @property {boolean} zero every object's grad is 0 (backward() has not run)
 * @property {boolean} noted that has been said
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
  /** @param {string} name @param {string} title */
  const button = (name, title) => {
    const b = doc.createElement("button");
    b.type = "button";
    b.className = "agw-tool";
    b.textContent = name;
    b.title = title;
    b.setAttribute("data-lm-suppress-shortcuts", "true"); // its keys are the button's, not JupyterLab's
    box.append(b);
    return b;
  };
  const stepButton = button("Backward step", TITLES.step);
  const allButton = button("Backward all", TITLES.all);
  const say = doc.createElement("div");
  say.className = "agw-walk-say";
  say.setAttribute("aria-live", "polite");
  box.append(say);
  ctx.parent.append(box);
  // The quiz says when it hides the grads with an event that bubbles to the widget's root.
  const root = ctx.parent.closest(".agw") ?? ctx.parent.parentElement;

  /** @type {Walk | null} */
  let walk = null;
  let hidden = false;

  /** Blank every drawn grad and compute the walk; null if nothing is drawn. @returns {Walk | null} */
  const start = () => {
    const records = drawnRecords(ctx.canvas(), ev.n);
    if (!records.size) {
      say.textContent = "Nothing drawn to walk.";
      return null;
    }
    for (const id of records.keys()) mark(records, id, UNFILLED, "walk", true);
    const steps = backwardSteps(ev, records.keys());
    const zero = steps.every((s) => ev.grad[s.id] === 0);
    const numbers = snapshot(ev, steps);
    return { steps, next: 0, current: -1, records, texts: gradTexts(records), numbers, zero, noted: false };
  };

  /** The walk on the drawing now: filled up to `next`, with the walk's grads; `current` marked. @param {Walk} w */
  const paint = (w) => {
    w.steps.forEach((s, k) => {
      const filled = k < w.next;
      mark(w.records, s.id, UNFILLED, "walk", !filled);
      mark(w.records, s.id, CURRENT, "walk", k === w.current);
      writeGrad(w.texts.get(s.id), "walk", filled ? s.grad : null, ev.grad[s.id]);
    });
  };

  /**
   * What the objects hold where it is not the walk's number, for the step line: that
   * backward() has not run is said once a walk; another grad, at each node it differs.
   * @param {Walk} w @param {import("./walk.js").Step[]} filled the steps just filled
   */
  const note = (w, filled) => {
    for (const s of filled) {
      const held = ev.grad[s.id];
      if (!shownApart(s.grad, held)) continue;
      if (w.zero && w.noted) return "";
      let why = "set by hand or accumulated";
      if (w.zero) why = "backward() has not run";
      else if (held === 0) why = "not computed there yet";
      w.noted = true;
      return ` (${operand(ctx.labelOf(s.id))}.grad holds ${fmt(held)}: ${why})`;
    }
    return "";
  };

  /** End the walk: every grad shown as the objects hold it. @param {string} text */
  const finish = (text) => {
    if (walk) {
      for (const id of walk.records.keys()) {
        mark(walk.records, id, UNFILLED, "walk", false);
        mark(walk.records, id, CURRENT, "walk", false);
        writeGrad(walk.texts.get(id), "walk", null, ev.grad[id]);
      }
    }
    walk = null;
    say.textContent = text;
  };

  /** The walk is at its end: every node filled, shown until the next press. */
  const complete = () => walk !== null && walk.next >= walk.steps.length;

  const onStep = () => {
    if (hidden) return;
    if (complete()) return finish(ENDED);
    walk ??= start();
    if (!walk) return;
    const step = walk.steps[walk.next++];
    walk.current = walk.next - 1;
    paint(walk);
    const line = chainLine(step, ctx.labelOf) + note(walk, [step]);
    say.textContent = complete() ? `${line}. ${DONE}` : line;
  };

  const onAll = () => {
    if (hidden) return;
    if (complete()) return finish(ENDED);
    walk ??= start();
    if (!walk) return;
    const rest = walk.steps.slice(walk.next);
    walk.next = walk.steps.length;
    walk.current = -1;
    paint(walk);
    say.textContent = DONE + note(walk, rest);
  };

  /** The quiz hid the grads (on) or showed them again. @param {boolean} on */
  const quiz = (on) => {
    hidden = on;
    for (const [b, title] of /** @type {const} */ ([
      [stepButton, TITLES.step],
      [allButton, TITLES.all],
    ])) {
      b.setAttribute("aria-disabled", String(on));
      b.title = on ? OFF_TITLE : title;
    }
    if (on && walk) finish(QUIZ_ON);
  };
  /** @param {Event} e */
  const onQuiz = (e) => quiz(Boolean(/** @type {CustomEvent} */ (e).detail?.on));

  stepButton.addEventListener("click", onStep);
  allButton.addEventListener("click", onAll);
  root?.addEventListener(GRADS_HIDDEN, onQuiz);
  quiz(Boolean(root?.classList.contains(GRADS_HIDDEN)));

  return {
    update() {
      if (!walk) return;
      if (changedSince(ev, walk.numbers)) return finish(VALUES_CHANGED);
      // patch.js writes a field whose number changed (or that scrolled into view): the walk's again
      for (let k = 0; k < walk.next; k++) keepGrads(walk.texts.get(walk.steps[k].id));
    },
    redraw() {
      if (!walk) return;
      const records = drawnRecords(ctx.canvas(), ev.n);
      const same = sameNodes(records, walk.records);
      walk.records = records; // the old elements are gone: nothing to take back there
      walk.texts = gradTexts(records);
      // Other nodes drawn (a box opened or closed): the walk no longer matches the picture.
      if (!same) finish(DRAWING_CHANGED);
      else if (changedSince(ev, walk.numbers)) finish(VALUES_CHANGED);
      else paint(walk);
    },
    destroy() {
      finish("");
      stepButton.removeEventListener("click", onStep);
      allButton.removeEventListener("click", onAll);
      root?.removeEventListener(GRADS_HIDDEN, onQuiz);
      box.remove();
    },
    walking: () => walk !== null,
  };
}
