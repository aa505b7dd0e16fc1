// Pressing on the drawing. A press that moves less than TAP_PX is a tap: it selects the node
// under it (one at a time; Escape or a tap on the background clears) and, on a leaf with a
// slider, focuses that slider. A drag from such a leaf scrubs its value: right is up, the
// slider's whole range over SCRUB_PX (a sweep of the hand; Shift for FINE steps), snapped to
// the slider's grid and kept in its range, through the slider's own onInput/onCommit — the
// same evaluator, frame and kernel sync — and the slider follows. A drag from anywhere else
// pans. A double-click on a leaf opens its slider's number box (sliders.edit): one editor,
// with its parsing, nan/inf spellings and error messages, rather than a second one laid
// over a drawing that zooms. On the keyboard, n and p select the next and previous value
// drawn (Escape: none). Hovering a leaf marks its slider's row; the row pointed at
// marks its node (`linked`). A tap is first offered to `tap` (boxes.js: a tap on a box
// opens or closes it); a drag from a box pans, like a drag from any node without a slider.

import { same } from "./json.js";

/** A press that moves less than this (CSS px) is a tap, not a drag. */
export const TAP_PX = 3;
/** A drag this long (CSS px) moves a value across its slider's whole range. */
export const SCRUB_PX = 300;
/** Shift scales a scrub's rate and grid by this. */
export const FINE = 0.1;

const NODE_ID = /^n(\d+)(op)?$/;

/** @typedef {{min: number, max: number, step: number}} Range a slider's, as it is now */
/** @typedef {{g: Element, id: number, op: boolean}} Node a node group and the value it belongs to */

/** @param {number} x @param {number} lo @param {number} hi */
const clamp = (x, lo, hi) => Math.min(hi, Math.max(lo, x));

/**
 * The value after a drag of `dx` CSS px from `start`: the range's span per SCRUB_PX px (×FINE
 * with `fine`), snapped to the grid the slider has (min + k·step, k·step/10 fine) and kept in range.
 * @param {number} start @param {number} dx @param {Range} range @param {boolean} fine
 */
export function scrubValue(start, dx, range, fine) {
  const { min, max, step } = range;
  const k = fine ? FINE : 1;
  const from = Number.isFinite(start) ? clamp(start, min, max) : (min + max) / 2;
  const raw = from + ((dx * (max - min)) / SCRUB_PX) * k;
  const q = step > 0 ? step * k : 0;
  const snapped = q > 0 ? min + Math.round((raw - min) / q) * q : raw;
  // 12 digits: drops the float dust of the grid (0.30000000000000004) and nothing a person set
  return clamp(Number(snapped.toPrecision(12)), min, max);
}

/**
 * Whether a press that went from (x0, y0) to (x, y) is still a tap.
 * @param {number} x0 @param {number} y0 @param {number} x @param {number} y
 */
export const isTap = (x0, y0, x, y) => Math.hypot(x - x0, y - y0) < TAP_PX;

/**
 * The node an event landed on, if any.
 * @param {EventTarget | null} target @returns {Node | null}
 */
export function nodeOf(target) {
  const g = /** @type {Element | null} */ (target)?.closest?.("g.node") ?? null;
  const m = g && NODE_ID.exec(g.id);
  return g && m ? { g, id: Number(m[1]), op: Boolean(m[2]) } : null;
}

/**
 * What the drawing asks of the slider panel (sliders.js).
 * @typedef {object} Panel
 * @property {(id: number, x: number) => void} show move a slider to x
 * @property {(id: number | null) => void} mark highlight a row (null: none)
 * @property {(id: number) => void} focus
 * @property {(id: number) => void} edit focus the number box
 */
/**
 * @typedef {object} ScrubOptions
 * @property {HTMLElement} box the scroll box: presses on the drawing land there
 * @property {Set<number>} leaves the leaves that have a slider (it may grow: call refresh)
 * @property {(id: number) => Range | null} rangeOf a leaf's slider range now (it widens)
 * @property {(id: number) => number} valueOf a leaf's exact value now
 * @property {import("./sliders.js").SliderEvents} events the sliders' own onInput/onCommit
 * @property {Panel} panel
 * @property {(dx: number, dy: number) => void} pan scroll the view by (dx, dy)
 * @property {(node: Node | null) => void} [onSelect]
 * @property {(target: EventTarget | null) => boolean} [tap] a tap on target: true if it was taken (a box)
 */
/**
 * @typedef {object} Press
 * @property {number} pointer
 * @property {number} x0 @property {number} y0 where it started
 * @property {number} x @property {number} y where it was last
 * @property {Node | null} node
 * @property {EventTarget | null} target what was pressed
 * @property {Range | null} range the leaf's, if it scrubs
 * @property {"press" | "scrub" | "pan" | "none"} mode "none": a touch left to the browser
 * @property {{x: number, value: number, fine: boolean}} from the scrub's anchor: Shift re-anchors
 * @property {number} value
 * @property {boolean} moved the value changed: commit on release
 */

export class Scrub {
  /** @type {Press | null} */
  press = null;
  /** @type {Node | null} the selected node */
  selected = null;
  /** @type {number | null} the leaf whose row the pointer marks */
  hovered = null;
  /** @type {Element | null} the node the pointed row marks */
  linked = null;
  /** @type {number | null} the leaf last tapped, if no drag came since: a double-click edits it */
  #tapped = null;

  /** @param {ScrubOptions} o */
  constructor(o) {
    this.o = o;
    const { box } = o;
    this.controller = new AbortController();
    const signal = this.controller.signal;
    const on = (/** @type {string} */ type, /** @type {(e: any) => void} */ f) =>
      box.addEventListener(type, f, { signal });
    on("pointerdown", (e) => this.#down(e));
    on("pointermove", (e) => this.#move(e));
    on("pointerup", (e) => this.#end(e, false));
    on("pointercancel", (e) => this.#end(e, true));
    on("lostpointercapture", (e) => this.#end(e, true));
    on("dblclick", (e) => this.#double(e));
    on("pointerover", (e) => this.#hover(e.target));
    on("pointerleave", () => this.#hover(null));
    on("keydown", (e) => {
      if (e.target !== box || e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === "Escape" && this.selected) {
        e.preventDefault();
        this.select(null);
      } else if (e.key === "n" || e.key === "p") {
        e.preventDefault();
        e.stopPropagation(); // JupyterLab's command mode has keys of its own
        this.#step(e.key === "n" ? 1 : -1);
      }
    });
    this.refresh();
  }

  /**
   * Mark the leaves that scrub (their cursor says they drag sideways) in the drawing as it is
   * now, and find the selected and linked nodes again: after a new drawing, or new sliders.
   */
  refresh() {
    const { box, leaves } = this.o;
    for (const g of box.querySelectorAll("g.node")) {
      const n = nodeOf(g);
      if (n && !n.op) g.classList.toggle("agw-scrub", leaves.has(n.id));
    }
    /** @param {Element | null} el */
    const again = (el) => (el && !el.isConnected ? box.querySelector(`g.node[id="${el.id}"]`) : el);
    const selected = this.selected && again(this.selected.g);
    if (this.selected && selected !== this.selected.g) {
      this.selected = selected ? { ...this.selected, g: selected } : null;
      selected?.classList.add("selected");
      if (!selected) this.o.onSelect?.(null); // no longer drawn (inside a box now)
    }
    const linked = again(this.linked);
    if (linked !== this.linked) {
      this.linked = linked;
      linked?.classList.add("linked");
    }
  }

  /** The leaf with a slider a node is, or null. @param {Node | null} n */
  #leaf(n) {
    return n && !n.op && this.o.leaves.has(n.id) ? n.id : null;
  }

  /** @param {PointerEvent} e */
  #down(e) {
    // A press not yet a drag is not captured: its release may have happened outside, unseen.
    if (e.button !== 0 || (this.press && this.press.mode !== "press")) return;
    const { box } = this.o;
    const node = nodeOf(e.target);
    const leaf = this.#leaf(node);
    const range = leaf === null ? null : this.o.rangeOf(leaf);
    const touch = e.pointerType === "touch";
    if (range || !touch) e.preventDefault(); // no text selection, no native drag
    // keys zoom and pan after a press on the drawing; a tap on a leaf sends focus to its slider instead
    if (!touch && !range) box.focus({ preventScroll: true });
    const value = leaf === null ? NaN : this.o.valueOf(leaf);
    this.press = {
      pointer: e.pointerId,
      x0: e.clientX,
      y0: e.clientY,
      x: e.clientX,
      y: e.clientY,
      node,
      target: e.target,
      range,
      mode: "press",
      from: { x: e.clientX, value, fine: e.shiftKey },
      value,
      moved: false,
    };
  }

  /** @param {PointerEvent} e */
  #move(e) {
    const p = this.press;
    if (!p || e.pointerId !== p.pointer) return;
    if (p.mode === "press") {
      if (isTap(p.x0, p.y0, e.clientX, e.clientY)) return;
      p.mode = p.range ? "scrub" : e.pointerType === "touch" ? "none" : "pan";
      if (p.mode === "none") return;
      // Captured once it is a drag, not on the press: a tap's click and dblclick keep their target.
      this.o.box.setPointerCapture?.(e.pointerId);
      this.o.box.classList.add(p.mode === "scrub" ? "agw-scrubbing" : "agw-panning");
    }
    if (p.mode === "pan") this.o.pan(p.x - e.clientX, p.y - e.clientY);
    else if (p.mode === "scrub") this.#scrub(p, e);
    p.x = e.clientX;
    p.y = e.clientY;
  }

  /** @param {Press} p @param {PointerEvent} e */
  #scrub(p, e) {
    const id = /** @type {Node} */ (p.node).id;
    const range = /** @type {Range} */ (p.range);
    // Shift pressed or let go mid-drag: go on from here at the new rate, no jump
    if (e.shiftKey !== p.from.fine) p.from = { x: p.x, value: p.value, fine: e.shiftKey };
    const x = scrubValue(p.from.value, e.clientX - p.from.x, range, p.from.fine);
    if (same(x, p.value)) return;
    p.value = x;
    p.moved = true;
    this.o.panel.show(id, x);
    this.o.events.onInput(id, x);
  }

  /** @param {PointerEvent} e @param {boolean} cancelled */
  #end(e, cancelled) {
    const p = this.press;
    if (!p || e.pointerId !== p.pointer) return;
    this.press = null;
    this.o.box.classList.remove("agw-scrubbing", "agw-panning");
    if (p.mode === "scrub" && p.moved) this.o.events.onCommit(/** @type {Node} */ (p.node).id, p.value);
    else if (p.mode === "press" && !cancelled) {
      if (this.o.tap?.(p.target))
        this.#tapped = null; // a box's: it opens or closes, nothing is selected
      else this.#tap(p.node);
    }
    if (p.mode !== "press") this.#tapped = null;
  }

  /** @param {Node | null} node */
  #tap(node) {
    this.select(node);
    const leaf = this.#leaf(node);
    this.#tapped = leaf;
    if (leaf !== null) this.o.panel.focus(leaf);
  }

  /** @param {MouseEvent} e */
  #double(e) {
    const leaf = this.#leaf(nodeOf(e.target));
    if (leaf !== null && leaf === this.#tapped) this.o.panel.edit(leaf);
  }

  /**
   * Select the next (or previous) value drawn, in the graph's order, from the one selected:
   * the keyboard's way to what a tap selects. The drawing scrolls it into view.
   * @param {1 | -1} by
   */
  #step(by) {
    const records = [...this.o.box.querySelectorAll("g.node")].filter((g) => /^n\d+$/.test(g.id));
    records.sort((a, b) => Number(a.id.slice(1)) - Number(b.id.slice(1)));
    if (!records.length) return;
    const at = this.selected ? records.findIndex((g) => Number(g.id.slice(1)) === this.selected?.id) : -1;
    const next = at < 0 ? (by > 0 ? 0 : records.length - 1) : (at + by + records.length) % records.length;
    const node = nodeOf(records[next]);
    this.select(node);
    node?.g.scrollIntoView?.({ block: "nearest", inline: "nearest" });
  }

  /** The node to show selected, null for none; one at a time. @param {Node | null} node */
  select(node) {
    if (node?.g === this.selected?.g) return;
    this.selected?.g.classList.remove("selected");
    node?.g.classList.add("selected");
    this.selected = node;
    this.o.onSelect?.(node);
  }

  /** @param {EventTarget | null} target */
  #hover(target) {
    if (this.press) return; // a drag captures the pointer: what it crosses is not pointed at
    const leaf = this.#leaf(nodeOf(target));
    if (leaf === this.hovered) return; // pointerover fires for every child crossed
    this.hovered = leaf;
    this.o.panel.mark(leaf);
  }

  /** The slider panel points at a leaf's row (null: none): mark its node. @param {number | null} id */
  link(id) {
    const g = id === null ? null : this.o.box.querySelector(`g.node[id="n${id}"]`);
    if (g === this.linked) return;
    this.linked?.classList.remove("linked");
    g?.classList.add("linked");
    this.linked = g;
  }

  destroy() {
    this.controller.abort();
  }
}
