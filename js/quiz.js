// "Your turn": the learner does the backward pass. "Hide grads" blanks every drawn grad;
// the walk (walk.js) then asks one node at a time, output first, and a right answer
// shows that node's grad: the walk's, written into its field (the objects may hold none
// yet: 0 before backward()) until the quiz ends. A wrong one gets the chain rule for that
// node with the numbers it needs. Nothing here moves a leaf. While it is on, the widget's
// root has the class agw-grads-hidden and the other tools keep the answers to themselves
// (the stepper's buttons are off).

import { fmt } from "./format.js";
import { parseNumber } from "./number-text.js";
import {
  backwardSteps,
  changedSince,
  drawnRecords,
  GRADS_HIDDEN,
  gradOf,
  gradTexts,
  keepGrads,
  localFormula,
  mark,
  NO_RULE,
  partial,
  sameNodes,
  snapshot,
  writeGrad,
} from "./walk.js";
import { uniqueId } from "./ids.js";

export const VALUES_CHANGED = "The values changed: grads recomputed";
export const NOT_A_NUMBER = "Type a number, like 0.5 or -1.5 (or nan).";
const UNFILLED = "agw-unfilled";
const CURRENT = "agw-current";


/**
 * A typed answer against the walk's grad: right within 1e-3 · max(1, |grad|); "nan" is
 * right only for a NaN grad, "inf" only for an infinite one of that sign.
 * @param {string} text @param {number} expected
 * @returns {{ok: boolean, value: number | null}} value: what was typed, null if it is no number
 */
export function checkAnswer(text, expected) {
  const value = parseNumber(text.replace(/\u2212/g, "-")); // a typographic minus, pasted from a formula
  if (value === null) return { ok: false, value: null };
  if (expected !== expected) return { ok: value !== value, value };
  if (!Number.isFinite(expected)) return { ok: value === expected, value };
  return { ok: Math.abs(value - expected) <= 1e-3 * Math.max(1, Math.abs(expected)), value };
}

/**
 * The chain rule for one node, with the numbers it takes but not the answer: "grad(x1) =
 * grad(x1*w1) × ∂(x1*w1)/∂x1, and grad(x1*w1) = 0.5000, ∂(x1*w1)/∂x1 = w1 = -3.000".
 * @param {import("./walk.js").Step} step @param {(id: number) => string} labelOf
 */
export function hintFor(step, labelOf) {
  const name = labelOf(step.id);
  if (step.unknown) return `${gradOf(name)} is the kernel's ${fmt(step.grad)}: ${NO_RULE}`;
  if (step.root) return `The output's own grad is 1: d ${name} / d ${name}`;
  if (!step.terms.length) return `${gradOf(name)} = 0: nothing downstream uses ${name}`;
  const rule = step.terms.map((t) => `${gradOf(labelOf(t.consumer))} × ${partial(labelOf(t.consumer), name)}`);
  /** @type {string[]} */
  const givens = [];
  for (const t of step.terms) {
    const c = labelOf(t.consumer);
    const formula = localFormula(t, labelOf);
    // "= 1" says it all for a constant; otherwise the formula, then its number
    const local = /^[-−]?\d+$/.test(formula) ? formula : formula ? `${formula} = ${fmt(t.local)}` : fmt(t.local);
    for (const given of [`${gradOf(c)} = ${fmt(t.consumerGrad)}`, `${partial(c, name)} = ${local}`]) {
      if (!givens.includes(given)) givens.push(given); // a + a: the same consumer twice, said once
    }
  }
  return `${gradOf(name)} = ${rule.join(" + ")}, and ${givens.join(", ")}`;
}

/**
 * @param {import("./walk.js").LessonContext} ctx
 * @returns {{update(): void, redraw(): void, destroy(): void, active(): boolean}}
 */
export function mountQuiz(ctx) {
  const { ev } = ctx;
  const doc = ctx.parent.ownerDocument;
  const inputId = uniqueId("quiz-answer");
  /** @param {string} tag @param {string} className @param {string} [text] */
  const el = (tag, className, text = "") => {
    const e = doc.createElement(tag);
    if (className) e.className = className;
    if (text) e.textContent = text;
    return e;
  };
  const box = el("div", "agw-quiz");
  box.setAttribute("role", "group");
  box.setAttribute("aria-label", "Your turn: fill the grads");
  const toggle = /** @type {HTMLButtonElement} */ (el("button", "agw-tool", "Hide grads"));
  toggle.type = "button";
  toggle.setAttribute("aria-pressed", "false");
  const ask = el("div", "agw-quiz-ask");
  ask.hidden = true;
  const label = /** @type {HTMLLabelElement} */ (el("label", ""));
  label.htmlFor = inputId;
  const input = /** @type {HTMLInputElement} */ (el("input", "agw-number agw-quiz-answer"));
  input.id = inputId;
  input.type = "text";
  input.inputMode = "decimal";
  input.autocomplete = "off";
  input.spellcheck = false;
  const check = /** @type {HTMLButtonElement} */ (el("button", "agw-tool", "Check"));
  check.type = "button";
  // Their keys are the quiz's, not JupyterLab's command mode's (digits would change cell types).
  for (const e of [toggle, input, check]) e.setAttribute("data-lm-suppress-shortcuts", "true");
  ask.append(label, input, check);
  const say = el("div", "agw-quiz-say");
  say.setAttribute("aria-live", "polite");
  const score = el("div", "agw-quiz-score");
  box.append(toggle, ask, say, score);
  ctx.parent.append(box);

  let on = false;
  /** @type {import("./walk.js").Step[]} */
  let steps = [];
  /** @type {Map<number, Element[]>} */
  let records = new Map();
  /** @type {Map<number, Text[]>} their grad fields */
  let texts = new Map();
  /** @type {Map<number, import("./walk.js").Step>} the steps by node */
  let stepOf = new Map();
  /** @type {Set<number>} the nodes whose grad is shown */
  const filled = new Set();
  /** @type {Set<number>} the nodes answered wrong at least once */
  const missed = new Set();
  /** @type {import("./walk.js").Step | null} the node asked now */
  let asked = null;
  let right = 0;
  let tried = 0;
  let firstTime = 0;
  /** @type {import("./walk.js").Snapshot} what the steps were computed from */
  let numbers = snapshot(ev, steps);
  // The other tools learn that the grads are hidden from the widget's root.
  const root = ctx.parent.closest(".agw");

  /** The walk over what is drawn, from the evaluator's numbers now. */
  const compute = () => {
    records = drawnRecords(ctx.canvas(), ev.n);
    texts = gradTexts(records);
    steps = backwardSteps(ev, records.keys());
    stepOf = new Map(steps.map((s) => [s.id, s]));
    numbers = snapshot(ev, steps);
    for (const id of filled) if (!records.has(id)) filled.delete(id);
  };

  /**
   * The quiz on the drawing: hidden unless filled, a filled grad the walk's own, the asked
   * node current. @param {boolean} show everything as the objects hold it (the quiz is off)
   */
  const paint = (show = false) => {
    for (const id of records.keys()) {
      const shown = !show && filled.has(id);
      mark(records, id, UNFILLED, "quiz", !show && !shown);
      mark(records, id, CURRENT, "quiz", !show && asked?.id === id);
      writeGrad(texts.get(id), "quiz", shown ? (stepOf.get(id)?.grad ?? ev.grad[id]) : null, ev.grad[id]);
    }
  };

  /** Tell the widget (and through it the other tools) that the grads are hidden, or not. @param {boolean} hide */
  const announce = (hide) => {
    root?.classList.toggle(GRADS_HIDDEN, hide);
    const Custom = doc.defaultView?.CustomEvent ?? CustomEvent;
    ctx.parent.dispatchEvent(new Custom(GRADS_HIDDEN, { bubbles: true, detail: { on: hide } }));
  };

  const showScore = () => (score.textContent = `Score: ${right} right of ${tried} tried`);

  /**
   * Ask the first node not filled yet (the walk's order), showing on the way those whose
   * grad the chain rule cannot give. Returns what to say about them, and the end if it came.
   */
  const askNext = () => {
    let note = "";
    asked = null;
    for (const step of steps) {
      if (filled.has(step.id)) continue;
      if (!step.unknown) {
        asked = step;
        break;
      }
      filled.add(step.id);
      note += ` ${gradOf(ctx.labelOf(step.id))} is not asked: ${NO_RULE}.`;
    }
    if (asked) label.textContent = `Your grad for ${ctx.labelOf(asked.id)}`;
    else {
      const count = steps.filter((s) => !s.unknown).length;
      note += ` All grads filled: ${firstTime} of ${count} right first time.`;
    }
    ask.hidden = !asked;
    paint();
    return note;
  };

  const onCheck = () => {
    if (!on || !asked) return;
    const step = asked;
    const { ok, value } = checkAnswer(input.value, step.grad);
    if (value === null) {
      say.textContent = NOT_A_NUMBER;
      return;
    }
    tried++;
    if (ok) {
      right++;
      if (!missed.has(step.id)) firstTime++;
      filled.add(step.id);
      input.value = "";
      const note = askNext();
      say.textContent = `Right: ${gradOf(ctx.labelOf(step.id))} = ${fmt(step.grad)}${note && "."}${note}`;
    } else {
      missed.add(step.id);
      say.textContent = `Not quite. ${hintFor(step, ctx.labelOf)}`;
    }
    showScore();
    // the answer box again for the next node; when it went away, the toggle, not the page
    if (asked) input.focus();
    else toggle.focus();
  };

  const turnOn = () => {
    compute();
    if (!records.size) {
      say.textContent = "Nothing drawn to ask about.";
      return;
    }
    on = true;
    toggle.setAttribute("aria-pressed", "true");
    announce(true);
    filled.clear();
    missed.clear();
    right = tried = firstTime = 0;
    showScore();
    say.textContent = askNext().trim();
    if (asked) input.focus();
  };

  const turnOff = () => {
    on = false;
    asked = null;
    toggle.setAttribute("aria-pressed", "false");
    ask.hidden = true;
    say.textContent = "";
    paint(true);
    announce(false);
  };

  const onToggle = () => (on ? turnOff() : turnOn());
  /** @param {KeyboardEvent} e */
  const onKey = (e) => {
    if (e.key !== "Enter") return;
    e.preventDefault();
    onCheck();
  };
  toggle.addEventListener("click", onToggle);
  check.addEventListener("click", onCheck);
  input.addEventListener("keydown", onKey);

  return {
    update() {
      if (!on) return;
      if (!changedSince(ev, numbers)) {
        // patch.js writes a field whose number changed (or that scrolled into view): the walk's again
        for (const id of filled) keepGrads(texts.get(id));
        return;
      }
      compute();
      if (asked) say.textContent = `${VALUES_CHANGED}.${askNext()}`;
      else paint(); // done: every field shows the walk's grad, recomputed
    },
    redraw() {
      if (!on) return;
      const moved = changedSince(ev, numbers);
      const before = records;
      const wasDone = !asked;
      compute();
      const note = askNext(); // the same node, from the walk just computed
      if (moved && asked) say.textContent = `${VALUES_CHANGED}.${note}`;
      // Other nodes drawn (a box opened or closed): the walk over them may ask another.
      else if (!sameNodes(before, records) && !(wasDone && !asked)) say.textContent = note.trim();
    },
    destroy() {
      if (on) turnOff();
      toggle.removeEventListener("click", onToggle);
      check.removeEventListener("click", onCheck);
      input.removeEventListener("keydown", onKey);
      box.remove();
    },
    active: () => on,
  };
}
