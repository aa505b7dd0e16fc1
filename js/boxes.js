// Boxes on the drawing: a big graph is drawn collapsed, one box per scope (a neuron, a
// layer), and a box opens into its members. The kernel lays the graph out again for every
// open or close (the `boxes` and `svg` traits); here each box drawn is made a button —
// a collapsed one is its record g#n{id}, an open one its cluster g#c{id} — that a tap or
// Enter/Space toggles, and the box a person toggled is kept in hand across the new
// drawing: focus comes back to it, and it stays where it was on screen as far as the new
// layout allows.

/** @typedef {import("./types.js").Box} Box */
/** @typedef {{x: number, y: number}} Point a place in the scroll box's visible part, CSS px */
/**
 * @typedef {object} Toggle the box a person last opened or closed, until the next drawing
 * @property {number} id
 * @property {boolean} expanded whether it was open when toggled
 * @property {Point | null} at where its node (g#n{id}; a layer box's own element) was on screen
 */
/** @typedef {{inside: boolean, box: number | null}} Focus focus was in the scroll box; on this box */

const DECORATION = ["data-scope", "aria-expanded", "role", "tabindex", "aria-label", "aria-busy"];

/** @param {Element} root @param {string} id @returns {Element | null} */
const byId = (root, id) => root.querySelector(`g[id="${id}"]`);

/**
 * The element a box is drawn as: its cluster when open, its record when collapsed.
 * @param {Element} root @param {number} id @param {boolean} expanded
 */
export const boxElement = (root, id, expanded) => byId(root, expanded ? `c${id}` : `n${id}`);

/**
 * What keeps a toggled box in place on screen: its output node g#n{id}, drawn both open
 * and collapsed; a layer box, which has no node of its own once open, by its own element.
 * @param {Element} root @param {number} id @param {boolean} expanded
 */
const anchorOf = (root, id, expanded) => byId(root, `n${id}`) ?? boxElement(root, id, expanded);

/**
 * An element's centre relative to the scroll box's corner, null if it has no layout.
 * @param {Element | null} el @param {Element} box @returns {Point | null}
 */
function placeOf(el, box) {
  if (!el) return null;
  const r = el.getBoundingClientRect();
  if (!r.width && !r.height) return null;
  const b = box.getBoundingClientRect();
  return { x: r.left + r.width / 2 - b.left, y: r.top + r.height / 2 - b.top };
}

/** Room kept between a frame brought into view and the scroll box's edge, in px. */
const MARGIN = 8;

/**
 * How much more to scroll so that an opened box's whole frame is in view, once the scroll
 * box has moved by `shift` (which keeps the box's output where it was): the frame grows
 * from its output, and could hang out of view with blank space on the other side. A frame
 * bigger than the view is left as it is: its output stays under the pointer.
 * @param {Element} frame @param {Element} box @param {Point} shift @returns {Point}
 */
function intoView(frame, box, shift) {
  const r = frame.getBoundingClientRect();
  const b = box.getBoundingClientRect();
  const [w, h] = [box.clientWidth, box.clientHeight];
  const axis = (/** @type {number} */ start, /** @type {number} */ size, /** @type {number} */ view) => {
    if (!view || size > view) return 0;
    if (start < 0) return Math.max(start - MARGIN, start + size - view);
    if (start + size > view) return Math.min(start + size - view + MARGIN, start);
    return 0;
  };
  return { x: axis(r.left - b.left - shift.x, r.width, w), y: axis(r.top - b.top - shift.y, r.height, h) };
}

/**
 * @typedef {object} BoxesOptions
 * @property {HTMLElement} box the scroll box around the drawing: keys and presses land there
 * @property {(msg: import("./types.js").ViewMessage) => void} send to the kernel
 */

export class Boxes {
  /** @type {Map<Element, Box>} the elements decorated now */
  drawn = new Map();
  /** @type {Toggle | null} */
  toggled = null;
  /** @type {Element | null} the drawing last decorated */
  root = null;

  /** @param {BoxesOptions} o */
  constructor(o) {
    this.o = o;
    this.controller = new AbortController();
    o.box.addEventListener("keydown", (e) => this.#onKey(e), { signal: this.controller.signal });
  }

  /**
   * Make every box of `boxes` drawn in `root` a button; undo it on what no longer is one.
   * @param {Element} root the drawing @param {readonly Box[]} boxes
   */
  decorate(root, boxes) {
    this.root = root;
    const was = this.drawn;
    this.drawn = new Map();
    for (const b of boxes) {
      const el = boxElement(root, b.id, b.expanded);
      if (!el) continue; // the kernel's boxes and drawing arrive one after the other
      el.removeAttribute("aria-busy");
      el.setAttribute("data-scope", b.name);
      el.setAttribute("aria-expanded", String(b.expanded));
      el.setAttribute("role", "button");
      el.setAttribute("tabindex", "0");
      el.setAttribute(
        "aria-label",
        b.expanded
          ? `${b.name}: press Enter to collapse`
          : b.outputs
            ? `${b.name}: ${b.outputs.length} neurons, ${b.size} nodes, press Enter to expand`
            : `${b.name}: ${b.size} nodes, press Enter to expand`,
      );
      if (!b.expanded) el.classList.add("agw-box"); // picture.py draws it so; a drawing that does not still looks a box
      this.drawn.set(el, b);
    }
    // Undone only on what is no box now: a focused box that stays one never loses its
    // tabindex, which would make the browser blur it.
    for (const el of was.keys()) if (!this.drawn.has(el)) for (const a of DECORATION) el.removeAttribute(a);
  }

  /**
   * A tap on the drawing (scrub.js): on a box, toggle it.
   * @param {EventTarget | null} target @returns {boolean} whether it was a box's
   */
  tap(target) {
    const el = /** @type {Element | null} */ (target)?.closest?.("g.node, g.cluster") ?? null;
    const b = el && this.drawn.get(el);
    if (!el || !b) return false; // a member of an open box is a node of its own
    // A press focuses the drawing, not the box (scrub.js): on the box, restore() carries focus to its new element
    /** @type {HTMLElement} */ (el).focus?.({ preventScroll: true });
    this.#toggle(el, b);
    return true;
  }

  /** @param {KeyboardEvent} e */
  #onKey(e) {
    const el = /** @type {Element} */ (e.target);
    const b = this.drawn.get(el);
    if (!b || (e.key !== "Enter" && e.key !== " ") || e.ctrlKey || e.metaKey || e.altKey) return;
    e.preventDefault(); // Space would scroll the box
    e.stopPropagation(); // JupyterLab's command mode: Enter would open the cell's editor
    this.#toggle(el, b);
  }

  /** @param {Element} el @param {Box} b */
  #toggle(el, b) {
    if (el.getAttribute("aria-busy") === "true") return; // asked already: a double-click is one toggle
    el.setAttribute("aria-busy", "true");
    const node = (this.root && anchorOf(this.root, b.id, b.expanded)) ?? el;
    this.toggled = { id: b.id, expanded: b.expanded, at: placeOf(node, this.o.box) };
    this.o.send({ type: "expand", id: b.id, open: !b.expanded });
  }

  /** The kernel answered without a new drawing (it refused, say): the boxes may be pressed again. */
  settle() {
    for (const el of this.drawn.keys()) el.removeAttribute("aria-busy");
  }

  /**
   * Where focus is, before the drawing is replaced (its elements go with it).
   * @returns {Focus}
   */
  focusBefore() {
    const active = this.o.box.ownerDocument.activeElement;
    const b = active ? this.drawn.get(active) : undefined;
    return { inside: Boolean(active && this.o.box.contains(active)), box: b ? b.id : null };
  }

  /**
   * After a new drawing, decorated: bring the box last toggled here back where it was on
   * screen, by scrolling (`scrollBy`), and give it focus if focus was in the drawing. Its
   * element is the other one now (cluster ⇄ record); its node g#n{id}, drawn in both, is
   * the anchor (a layer box has none once open: its own element is). A drawing that left
   * that box as it was (the kernel refused; another view changed something) moves
   * nothing; focus that was on a box goes back to that box.
   * @param {Element} root @param {Focus} before focusBefore()'s answer
   * @param {(dx: number, dy: number) => void} scrollBy
   */
  restore(root, before, scrollBy) {
    const t = this.toggled;
    this.toggled = null;
    const find = (/** @type {number} */ id) => [...this.drawn.values()].find((x) => x.id === id);
    let focus = before.box;
    if (t && find(t.id)?.expanded !== t.expanded) {
      const now = placeOf(anchorOf(root, t.id, !t.expanded), this.o.box);
      if (t.at && now) {
        const shift = { x: now.x - t.at.x, y: now.y - t.at.y };
        const frame = t.expanded ? null : boxElement(root, t.id, true); // just opened: its frame
        const more = frame ? intoView(frame, this.o.box, shift) : { x: 0, y: 0 };
        scrollBy(shift.x + more.x, shift.y + more.y);
      }
      if (before.inside) focus = t.id;
    }
    const b = focus === null ? undefined : find(focus);
    const el = b && boxElement(root, b.id, b.expanded);
    /** @type {HTMLElement | null | undefined} */ (el)?.focus({ preventScroll: true });
  }

  destroy() {
    this.controller.abort();
  }
}
