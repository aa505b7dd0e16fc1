// "Nudge the inputs to make L go up": one gradient step on every leaf with a slider,
// x ← x + lr·grad (ascent) or x − lr·grad (descent), all from the grads as they are
// before the step, sent as one change (ctx.moveLeaves). Pressed again and again, the
// output climbs (or falls): the lecture's point, that the grad says which way is up.
// Reset puts every leaf back where it was when the widget was shown.

import { fmt } from "./format.js";
import { uniqueId } from "./ids.js";

const UP = "up";
const DOWN = "down";
export const RESET_DONE = "Reset to the values shown first";

/** Keys pressed in our controls are theirs, not JupyterLab's command mode's (digits would change cell types). */
const KEEP_KEYS = { "data-lm-suppress-shortcuts": "true" };


/**
 * The nodes whose grads a backward pass must cover for the grads of `ids` to be exact:
 * the ids, every node they feed, and the root (closed downstream, as Evaluator.backward
 * asks). The same walk as Evaluator.watch, without replacing what the widget watches.
 * @param {import("./evaluator.js").Evaluator} ev @param {readonly number[]} ids
 * @returns {{order: Int32Array, inScope: Uint8Array}}
 */
export function gradScope(ev, ids) {
  const { n, offsets, indices } = ev;
  const inScope = new Uint8Array(n);
  for (const id of ids) if (id >= 0 && id < n) inScope[id] = 1;
  inScope[ev.root] = 1;
  let count = 0;
  for (let i = 0; i < n; i++) {
    for (let j = offsets[i]; j < offsets[i + 1] && !inScope[i]; j++) inScope[i] = inScope[indices[j]];
    count += inScope[i];
  }
  const order = new Int32Array(count);
  for (let i = 0, k = 0; i < n; i++) if (inScope[i]) order[k++] = i;
  return { order, inScope };
}

/**
 * What a learning rate typed in the box is: the number, or why it is none.
 * @param {string} text @returns {{lr: number} | {error: string}}
 */
export function readRate(text) {
  const t = text.trim();
  if (!t) return { error: "Enter a learning rate (a number greater than 0)" };
  const lr = Number(t);
  if (lr !== lr) return { error: `The learning rate "${t}" is not a number` };
  if (lr === Infinity || lr === -Infinity) return { error: "The learning rate must be finite" };
  if (lr <= 0) return { error: "The learning rate must be greater than 0" };
  return { lr };
}

/**
 * @param {any} ctx the lesson context (see the integration contract): parent, ev, leaves, moveLeaves, labelOf
 * @returns {{update(): void, redraw(): void, destroy(): void}}
 */
export function mountNudge(ctx) {
  const ev = /** @type {import("./evaluator.js").Evaluator} */ (ctx.ev);
  const doc = ctx.parent.ownerDocument;
  /** @param {string} tag @param {Record<string, string>} [attrs] @param {string} [text] */
  const el = (tag, attrs = {}, text = "") => {
    const e = doc.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    if (text) e.textContent = text;
    return e;
  };
  const box = el("div", { class: "agw-nudge", role: "group", "aria-label": "Nudge the inputs" });
  /** @param {string} name */
  const button = (name) =>
    /** @type {HTMLButtonElement} */ (el("button", { type: "button", class: "agw-tool", ...KEEP_KEYS }, name));
  const step = button("Step");
  const rateId = uniqueId("nudge-lr");
  const rateLabel = el("label", { for: rateId }, "Learning rate");
  const rate = /** @type {HTMLInputElement} */ (
    el("input", { id: rateId, type: "number", step: "any", class: "agw-nudge-lr", ...KEEP_KEYS })
  );
  rate.value = "0.01";
  const dirId = uniqueId("nudge-dir");
  const dirLabel = el("label", { for: dirId }, "Direction");
  const direction = /** @type {HTMLSelectElement} */ (el("select", { id: dirId, ...KEEP_KEYS }));
  direction.append(
    el("option", { value: UP }, "up (ascent: +lr·grad)"),
    el("option", { value: DOWN }, "down (descent: \u2212lr·grad)"),
  );
  direction.value = UP;
  const reset = button("Reset");
  const status = el("div", { class: "agw-nudge-status", role: "status" });
  box.append(step, rateLabel, rate, dirLabel, direction, reset, status);
  ctx.parent.append(box);

  /** @type {Map<number, number>} each slider leaf's value when it was first seen: what Reset goes back to */
  const first = new Map();
  const remember = () => {
    for (const id of ctx.leaves()) if (!first.has(id)) first.set(id, ev.data[id]);
  };
  remember();

  /** @type {{key: string, scope: {order: Int32Array, inScope: Uint8Array}} | null} */
  let cached = null;
  /**
   * The slider leaves' grads, exact for the leaf values now. The evaluator computes on a
   * drag only the grads of what is drawn; a slider leaf that is not drawn keeps an older
   * grad. Of the exact ways, the cheapest: the data are already current (a move recomputes
   * everything it feeds, load() takes the kernel's), so no forward pass is needed, only a
   * backward pass over the leaves' descendants (ev.run(true) would redo every node's data
   * and grad too; ctx.watch(leaves) would make every later drag frame pay for these grads).
   * Grads outside the scope keep their values; those inside come out as a full pass gives.
   * @param {number[]} ids
   */
  const freshGrads = (ids) => {
    const key = ids.join(" ");
    if (cached?.key !== key) cached = { key, scope: gradScope(ev, ids) };
    ev.backward(cached.scope.order, cached.scope.inScope);
  };

  const rateState = () => {
    const r = readRate(rate.value);
    if ("error" in r) rate.setAttribute("aria-invalid", "true");
    else rate.removeAttribute("aria-invalid");
    return r;
  };

  const onStep = () => {
    const r = rateState();
    if ("error" in r) {
      status.textContent = `${r.error}: nothing moved.`;
      return;
    }
    remember();
    const ids = ctx.leaves();
    if (!ids.length) {
      status.textContent = "No leaf has a slider: nothing to step.";
      return;
    }
    freshGrads(ids);
    const sign = direction.value === DOWN ? -1 : 1;
    /** @type {Map<number, number>} */
    const values = new Map();
    const skipped = [];
    // Every new value from the grads before the step, then one move: no leaf sees another's moved value.
    for (const id of ids) {
      const g = ev.grad[id];
      const name = ctx.labelOf(id);
      if (!Number.isFinite(g)) {
        skipped.push(`${name} not moved: its grad is ${String(g)}`);
        continue;
      }
      if (ev.staleGrad[id]) {
        skipped.push(`${name} not moved: its grad is stale (an op it feeds has no rule)`);
        continue;
      }
      const x = ev.data[id] + sign * r.lr * g;
      if (!Number.isFinite(x)) {
        skipped.push(`${name} not moved: its new value would be ${fmt(x)}`);
        continue;
      }
      values.set(id, x);
    }
    const root = ev.root;
    const before = ev.data[root];
    if (values.size) ctx.moveLeaves(values);
    const line = `${ctx.labelOf(root)}: ${fmt(before)} → ${fmt(ev.data[root])}`;
    status.textContent = [line, ...skipped].join("; ");
  };

  const onReset = () => {
    remember();
    /** @type {Map<number, number>} */
    const values = new Map();
    for (const id of ctx.leaves()) values.set(id, /** @type {number} */ (first.get(id)));
    if (values.size) ctx.moveLeaves(values);
    status.textContent = RESET_DONE;
  };

  const controller = new AbortController();
  const signal = controller.signal;
  step.addEventListener("click", onStep, { signal });
  reset.addEventListener("click", onReset, { signal });
  rate.addEventListener("input", rateState, { signal });
  // Enter in the box steps, as a form's submit would: try a rate, press again.
  rate.addEventListener(
    "keydown",
    (e) => {
      if (e.key !== "Enter") return;
      e.preventDefault();
      onStep();
    },
    { signal },
  );

  return {
    // A leaf that got its slider since is remembered at the value it has when first seen.
    update: remember,
    redraw() {}, // nothing of ours is on the drawing
    destroy() {
      controller.abort();
      box.remove();
    },
  };
}
