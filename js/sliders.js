// One row per leaf with a slider: a native range input (keyboard operable as it comes)
// and a number box beside it for exact values. A range input snaps to its step grid,
// so the exact value lives in the number box and in the evaluator, never in the range.
// The box is a text box: nan and inf are values a person may want to try, and a
// type="number" input cannot hold them.
//
// The box has two forms: a compact one to read at a glance (17 digits of a float do not
// fit, and nobody reads them while dragging), and the exact one while it is edited, so
// what a person changes is the number itself, not a rounding of it.

import { same } from "./json.js";
import { boxText, compactText, NOT_A_NUMBER, parseNumber } from "./number-text.js";
import { FILTER_ABOVE, matcher, SliderFilter } from "./slider-filter.js";
import { sliderRow } from "./slider-markup.js";

export { FILTER_ABOVE, matcher };

/**
 * @typedef {object} SliderEvents
 * @property {(id: number, x: number) => void} onInput while dragging: recompute, draw
 * @property {(id: number, x: number) => void} onCommit on release or an applied exact value
 * @property {(id: number | null) => void} [onPoint] the row last pointed at or worked in (null: none),
 *   so the drawing can show which node it is; called on a change only
 * @typedef {object} Row
 * @property {HTMLElement} row
 * @property {HTMLInputElement} range
 * @property {HTMLInputElement} box
 * @property {HTMLElement} error
 * @property {string} label the spec's label in lower case, for the filter
 * @property {number} value the value the controls show
 * @property {string} shown the text last written into the box: unchanged text is no edit
 * @property {boolean} editing the box has focus: it shows the exact form
 * @property {boolean} fresh a pointer is focusing the box: its mouseup would undo the selection
 * @property {AbortController} controller removes the row's listeners
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
  /** @type {SliderFilter | null} the filter box, once there are more than FILTER_ABOVE rows */
  filter = null;
  /** @type {Row | undefined} the row mark() highlights */
  marked = undefined;
  /** @type {number | null} */
  hovered = null;
  /** @type {number | null} */
  focused = null;
  /** @type {number | null} what onPoint last said */
  pointed = null;

  /**
   * @param {HTMLElement} container
   * @param {import("./types.js").SliderSpec[]} specs
   * @param {(id: number) => number} valueOf the exact current value of a leaf
   * @param {SliderEvents} events
   */
  constructor(container, specs, valueOf, events) {
    this.container = container;
    this.valueOf = valueOf;
    this.events = events;
    /** @type {Map<number, Row>} */
    this.rows = new Map();
    /** @type {Map<Element, number>} a row's element to its leaf, for events caught on the container */
    this.ids = new Map();
    this.controller = new AbortController();
    const signal = this.controller.signal;
    this.longest = 1;
    this.update(specs);
    // Caught on the container, not per row: a 1,000-node graph has 500 rows.
    container.addEventListener("pointerover", (e) => this.#hover(this.#idOf(e.target)), { signal });
    container.addEventListener(
      "pointerout",
      (e) => {
        if (!container.contains(/** @type {Node | null} */ (e.relatedTarget))) this.#hover(null);
      },
      { signal },
    );
    container.addEventListener("focusin", (e) => this.#focusIn(this.#idOf(e.target)), { signal });
    container.addEventListener(
      "focusout",
      (e) => {
        if (this.#idOf(e.relatedTarget) === null) this.#focusIn(null); // else the next focusin says
      },
      { signal },
    );
  }

  /**
   * Rows for exactly these specs: a row for every spec that has none, after the others (the
   * kernel appends specs when asked for a slider, or when a box opens), and none for a leaf
   * no spec names any more (its box closed). The rows that stay keep values, edits and focus.
   * @param {import("./types.js").SliderSpec[]} specs
   * @returns {{added: number[], removed: number[]}} the leaves that got a row, and lost one
   */
  update(specs) {
    const want = new Set(specs.map((s) => s.id));
    const removed = [...this.rows.keys()].filter((id) => !want.has(id));
    for (const id of removed) this.#removeRow(id);
    const added = specs.filter((s) => !this.rows.has(s.id));
    if (!added.length) {
      if (removed.length) this.filter?.recount();
      return { added: [], removed };
    }
    const longest = Math.max(this.longest, ...added.map((s) => s.label.length));
    if (longest !== this.longest || !this.rows.size) {
      this.longest = longest;
      this.container.style.setProperty("--agw-label-width", `${Math.min(longest, 24)}ch`);
    }
    const total = this.rows.size + added.length;
    if (total > FILTER_ABOVE && !this.filter)
      this.filter = new SliderFilter(this.container, this.rows, this.controller.signal);
    const matches = this.filter?.matches() ?? null;
    for (const spec of added) {
      const r = this.#addRow(spec);
      if (matches && !matches(r.label)) r.row.hidden = true; // the filter typed applies to new rows too
    }
    this.filter?.recount();
    return { added: added.map((s) => s.id), removed };
  }

  /** @param {number} id */
  #removeRow(id) {
    const r = /** @type {Row} */ (this.rows.get(id));
    r.controller.abort();
    r.row.remove();
    this.rows.delete(id);
    this.ids.delete(r.row);
    if (this.marked === r) this.marked = undefined;
    if (this.hovered === id) this.hovered = null;
    if (this.focused === id) this.focused = null;
    if (this.pointed === id) this.#point(this.focused ?? this.hovered);
  }

  /** The filter's text box (null: no filter). */
  get filterBox() {
    return this.filter?.input ?? null;
  }

  /** The filter's "k of n" (null: no filter). */
  get count() {
    return this.filter?.count ?? null;
  }

  /** Whether a leaf has a slider. @param {number} id */
  has(id) {
    return this.rows.has(id);
  }

  /** @param {import("./types.js").SliderSpec} spec @returns {Row} */
  #addRow(spec) {
    const doc = this.container.ownerDocument;
    const { events } = this;
    const controller = new AbortController(); // its listeners go with the row
    const signal = controller.signal;
    const { row, range, box, error } = sliderRow(doc, spec);
    this.container.append(row);
    /** @type {Row} */
    const r = {
      row,
      range,
      box,
      error,
      label: spec.label.toLowerCase(),
      value: NaN,
      shown: "",
      editing: false,
      fresh: false,
      controller,
    };
    this.rows.set(spec.id, r);
    this.ids.set(row, spec.id);
    this.show(spec.id, this.valueOf(spec.id));
    range.addEventListener("input", () => this.#fromRange(spec.id, events.onInput), { signal });
    range.addEventListener("change", () => this.#fromRange(spec.id, events.onCommit), { signal });
    box.addEventListener("keydown", (e) => this.#onKey(spec.id, e.key), { signal });
    box.addEventListener("focus", () => this.#beginEdit(r), { signal });
    box.addEventListener("blur", () => this.#endEdit(spec.id), { signal });
    // A click focuses the box and then places the caret where it landed, undoing the selection
    // made on focus: select again on that click's mouseup, unless the person dragged a selection.
    box.addEventListener("mousedown", () => (r.fresh = !r.editing), { signal });
    box.addEventListener(
      "mouseup",
      () => {
        if (r.fresh && box.selectionStart === box.selectionEnd) box.select();
        r.fresh = false;
      },
      { signal },
    );
    return r;
  }

  /** @param {EventTarget | null} target @returns {number | null} the leaf of the row target is in */
  #idOf(target) {
    const row = /** @type {Element | null} */ (target)?.closest?.(".agw-slider");
    return row ? (this.ids.get(row) ?? null) : null;
  }

  /** The pointer is over a row, or over none: the focused row, if any, is the one in use again. @param {number | null} id */
  #hover(id) {
    this.hovered = id;
    this.#point(id ?? this.focused);
  }

  /** @param {number | null} id */
  #focusIn(id) {
    this.focused = id;
    this.#point(id ?? this.hovered);
  }

  /** @param {number | null} id */
  #point(id) {
    if (id === this.pointed) return; // pointerover fires for every child crossed
    this.pointed = id;
    this.events.onPoint?.(id);
  }

  /** @param {number} id @param {(id: number, x: number) => void} handler */
  #fromRange(id, handler) {
    const r = /** @type {Row} */ (this.rows.get(id));
    r.value = Number(r.range.value);
    this.#write(r);
    this.#error(r, "");
    handler(id, r.value);
  }

  /** The box's text for its value, in the form for its state. @param {Row} r */
  #write(r) {
    r.box.value = r.shown = r.editing ? boxText(r.value) : compactText(r.value);
  }

  /** Focused: the exact value, selected to be typed over; a text in error stays, to be corrected. @param {Row} r */
  #beginEdit(r) {
    r.editing = true;
    if (!r.error.textContent) this.#write(r);
    r.box.select();
  }

  /** Leaving the box applies a changed value, then shows the compact form. @param {number} id */
  #endEdit(id) {
    const r = /** @type {Row} */ (this.rows.get(id));
    this.#fromBox(id);
    r.editing = r.fresh = false;
    if (!r.error.textContent) this.#write(r);
  }

  /** Enter applies the typed value, Escape puts the value back, compact. @param {number} id @param {string} key */
  #onKey(id, key) {
    const r = /** @type {Row} */ (this.rows.get(id));
    if (key === "Enter") {
      if (this.#fromBox(id)) r.box.select(); // ready for the next value
    } else if (key === "Escape") {
      r.editing = false;
      this.#write(r);
      this.#error(r, "");
    }
  }

  /**
   * Apply the typed value if it is a new number; if it is none, say so and change nothing.
   * @param {number} id @returns {boolean} whether a value was applied
   */
  #fromBox(id) {
    const r = /** @type {Row} */ (this.rows.get(id));
    const text = r.box.value.trim();
    const x = text === r.shown ? r.value : parseNumber(text);
    if (x === null) {
      this.#error(r, NOT_A_NUMBER);
      return false;
    }
    if (same(x, r.value)) {
      if (text !== r.shown) this.#write(r); // "0.50" for 0.5: the same number, nothing to send
      this.#error(r, "");
      return false;
    }
    this.show(id, x);
    this.events.onCommit(id, x);
    return true;
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
    r.value = x;
    this.#write(r);
    this.#error(r, "");
  }

  /**
   * Highlight one row, the one the drawing points at (null: none). Scrolls nothing: the
   * person is looking at the drawing, and the rows must not move under the pointer.
   * @param {number | null} id
   */
  mark(id) {
    const r = id === null ? undefined : this.rows.get(id);
    if (r === this.marked) return;
    this.marked?.row.classList.remove("agw-linked");
    r?.row.classList.add("agw-linked");
    this.marked = r;
  }

  /**
   * A row, taken out of the filter first if the filter hides it.
   * @param {number} id @returns {Row | undefined}
   */
  #reveal(id) {
    const r = this.rows.get(id);
    if (!r) return undefined;
    if (r.row.hidden) this.filter?.set("");
    return r;
  }

  /** @param {Row} r @param {HTMLInputElement} input @param {boolean} scroll bring the row into view */
  #focusOn(r, input, scroll) {
    input.focus({ preventScroll: true }); // focus scrolls as it likes; "nearest" moves the page least
    if (scroll) r.row.scrollIntoView?.({ block: "nearest" });
  }

  /**
   * Focus a leaf's slider, keys then move it. From a click on its node in the drawing the
   * page does not move: it would pull the drawing from under the pointer between the two
   * clicks of a double-click. From elsewhere (Find parameter) `scroll` brings the row into view.
   * @param {number} id @param {boolean} [scroll] @returns {boolean} whether the leaf has a slider
   */
  focus(id, scroll = false) {
    const r = this.#reveal(id);
    if (r) this.#focusOn(r, r.range, scroll);
    return Boolean(r);
  }

  /**
   * Focus a leaf's number box with its exact value selected (a double-click on its node).
   * @param {number} id @returns {boolean} whether the leaf has a slider
   */
  edit(id) {
    const r = this.#reveal(id);
    if (!r) return false;
    this.#focusOn(r, r.box, true); // typing needs the box in sight
    this.#beginEdit(r); // the box may have had focus already: no focus event then
    return true;
  }

  destroy() {
    this.controller.abort();
    for (const r of this.rows.values()) r.controller.abort();
  }
}
