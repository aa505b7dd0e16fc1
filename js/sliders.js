// One row per leaf with a slider: a native range input (keyboard operable as it comes)
// and a number box beside it for exact values. A range input snaps to its step grid,
// so the exact value lives in the number box and in the evaluator, never in the range.

/**
 * @typedef {object} SliderEvents
 * @property {(id: number, x: number) => void} onInput while dragging: recompute, draw
 * @property {(id: number, x: number) => void} onCommit on release or an applied exact value
 * @typedef {{range: HTMLInputElement, box: HTMLInputElement, shown: string}} Row
 */

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
      box.type = "number";
      box.step = "any";
      box.className = "agw-number";
      box.setAttribute("aria-label", `${spec.label} exact value`);
      // Keys typed here are the inputs' own: JupyterLab's command-mode shortcuts (ArrowRight
      // expands a heading, digits change the cell type) must not take them. Lumino matches
      // ":focus" on the input itself, so the attribute must be on the input, not an ancestor.
      for (const input of [range, box]) input.setAttribute("data-lm-suppress-shortcuts", "true");
      row.append(name, range, box);
      container.append(row);
      const r = { range, box, shown: "" };
      this.rows.set(spec.id, r);
      this.show(spec.id, valueOf(spec.id));
      range.addEventListener("input", () => this.#fromRange(spec.id, events.onInput), { signal });
      range.addEventListener("change", () => this.#fromRange(spec.id, events.onCommit), { signal });
      box.addEventListener("keydown", (e) => e.key === "Enter" && this.#fromBox(spec.id), { signal });
      box.addEventListener("blur", () => this.#fromBox(spec.id), { signal });
    }
  }

  /** @param {number} id @param {(id: number, x: number) => void} handler */
  #fromRange(id, handler) {
    const r = /** @type {Row} */ (this.rows.get(id));
    const x = Number(r.range.value);
    r.box.value = r.shown = String(x);
    handler(id, x);
  }

  /** Apply the typed value if it is a new number; put the shown one back if it is none. @param {number} id */
  #fromBox(id) {
    const r = /** @type {Row} */ (this.rows.get(id));
    const text = r.box.value.trim();
    if (text === r.shown) return;
    const x = Number(text);
    if (text === "" || !Number.isFinite(x)) {
      r.box.value = r.shown;
      return;
    }
    this.show(id, x);
    this.events.onCommit(id, x);
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
    r.box.value = r.shown = Number.isFinite(x) ? String(x) : "";
    r.box.placeholder = Number.isFinite(x) ? "" : String(x);
  }

  destroy() {
    this.controller.abort();
  }
}
