// One row per leaf with a slider: a native range input (keyboard operable as it comes)
// and a number box beside it for exact values. A range input snaps to its step grid,
// so the exact value lives in the number box and in the evaluator, never in the range.
// The box is a text box: nan and inf are values a person may want to try, and a
// type="number" input cannot hold them.

import { fmt } from "./format.js";

/**
 * @typedef {object} SliderEvents
 * @property {(id: number, x: number) => void} onInput while dragging: recompute, draw
 * @property {(id: number, x: number) => void} onCommit on release or an applied exact value
 * @typedef {{row: HTMLElement, range: HTMLInputElement, box: HTMLInputElement, error: HTMLElement, shown: string}} Row
 */

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
export const NOT_A_NUMBER = "Not a number: type one like 0.5 or -2e-3, or nan, inf, -inf.";

/**
 * A number as a person types it, Python's float() spellings included: decimal or
 * exponent notation, nan, inf, infinity, any case, signed. null if it is none.
 * @param {string} text @returns {number | null}
 */
export function parseNumber(text) {
  const t = text.trim();
  if (/^[+-]?nan$/i.test(t)) return NaN;
  const inf = /^([+-]?)inf(inity)?$/i.exec(t);
  if (inf) return inf[1] === "-" ? -Infinity : Infinity;
  return DECIMAL.test(t) ? Number(t) : null;
}

/** A value as the box shows it: Python's spelling for NaN and the infinities. @param {number} x */
export const boxText = (x) => (Number.isFinite(x) ? String(x) : fmt(x));

let rows = 0;

/**
 * The range [min, max] widened to hold x with room: half the old span beyond it.
 * @param {number} min @param {number} max @param {number} x
 * @returns {[number, number]}
 */
export function widen(min, max, x) {
  const room = (max - min) / 2;
  return [x < min ? x - room : min, x > max ? x + room : max];
}

export class Sliders {
  /**
   * @param {HTMLElement} container
   * @param {import("./types.js").SliderSpec[]} specs
   * @param {(id: number) => number} valueOf the exact current value of a leaf
   * @param {SliderEvents} events
   */
  constructor(container, specs, valueOf, events) {
    const doc = container.ownerDocument;
    this.events = events;
    /** @type {Map<number, Row>} */
    this.rows = new Map();
    this.controller = new AbortController();
    const signal = this.controller.signal;
    const longest = Math.max(1, ...specs.map((s) => s.label.length));
    container.style.setProperty("--agw-label-width", `${Math.min(longest, 24)}ch`);
    for (const spec of specs) {
      const row = doc.createElement("div");
      row.className = "agw-slider";
      const name = doc.createElement("span");
      name.className = "agw-slider-label";
      name.textContent = spec.label;
      name.setAttribute("aria-hidden", "true"); // the inputs carry the name
      const range = doc.createElement("input");
      range.type = "range";
      range.min = String(spec.min);
      range.max = String(spec.max);
      range.step = String(spec.step);
      range.setAttribute("aria-label", spec.label);
      range.dataset.id = String(spec.id);
      const box = doc.createElement("input");
      box.type = "text";
      box.inputMode = "decimal";
      box.spellcheck = false;
      box.className = "agw-number";
      box.setAttribute("aria-label", `${spec.label} exact value`);
      const error = doc.createElement("span");
      error.className = "agw-error";
      error.id = `agw-error-${++rows}`;
      error.setAttribute("aria-live", "polite");
      box.setAttribute("aria-describedby", error.id);
      // Keys typed here are the inputs' own: JupyterLab's command-mode shortcuts (ArrowRight
      // expands a heading, digits change the cell type) must not take them. Lumino matches
      // ":focus" on the input itself, so the attribute must be on the input, not an ancestor.
      for (const input of [range, box]) input.setAttribute("data-lm-suppress-shortcuts", "true");
      row.append(name, range, box, error);
      container.append(row);
      const r = { row, range, box, error, shown: "" };
      this.rows.set(spec.id, r);
      this.show(spec.id, valueOf(spec.id));
      range.addEventListener("input", () => this.#fromRange(spec.id, events.onInput), { signal });
      range.addEventListener("change", () => this.#fromRange(spec.id, events.onCommit), { signal });
      box.addEventListener("keydown", (e) => this.#onKey(spec.id, e.key), { signal });
      box.addEventListener("blur", () => this.#fromBox(spec.id), { signal });
    }
  }

  /** @param {number} id @param {(id: number, x: number) => void} handler */
  #fromRange(id, handler) {
    const r = /** @type {Row} */ (this.rows.get(id));
    const x = Number(r.range.value);
    r.box.value = r.shown = String(x);
    this.#error(r, "");
    handler(id, x);
  }

  /** Enter applies the typed value, Escape puts the shown one back. @param {number} id @param {string} key */
  #onKey(id, key) {
    const r = /** @type {Row} */ (this.rows.get(id));
    if (key === "Enter") this.#fromBox(id);
    else if (key === "Escape") {
      r.box.value = r.shown;
      this.#error(r, "");
    }
  }

  /** Apply the typed value if it is a new number; if it is none, say so and change nothing. @param {number} id */
  #fromBox(id) {
    const r = /** @type {Row} */ (this.rows.get(id));
    const text = r.box.value.trim();
    if (text === r.shown) return this.#error(r, "");
    const x = parseNumber(text);
    if (x === null) return this.#error(r, NOT_A_NUMBER);
    this.show(id, x);
    this.events.onCommit(id, x);
  }

  /** @param {Row} r @param {string} message "" for none */
  #error(r, message) {
    if (r.error.textContent === message) return; // the common case, on every input: no write
    r.error.textContent = message;
    if (message) r.box.setAttribute("aria-invalid", "true");
    else r.box.removeAttribute("aria-invalid");
    r.row.classList.toggle("agw-invalid", Boolean(message));
  }

  /**
   * Move a leaf's controls to x (from the kernel or the number box), widening if needed.
   * @param {number} id @param {number} x
   */
  show(id, x) {
    const r = this.rows.get(id);
    if (!r) return;
    if (Number.isFinite(x)) {
      const [min, max] = widen(Number(r.range.min), Number(r.range.max), x);
      r.range.min = String(min);
      r.range.max = String(max);
      r.range.value = String(x);
    }
    r.box.value = r.shown = boxText(x);
    this.#error(r, "");
  }

  destroy() {
    this.controller.abort();
  }
}
