// Zoom and pan inside the widget. Zoom sizes the canvas (natural size × scale; tiles.js
// lays its <svg> tiles out in %, so nothing inside is touched), pan is the scroll box's
// scrollLeft/Top. Both are kept per model, so a re-render (a second view, a notebook that
// re-attaches its outputs) shows the drawing where the person left it.
//
// Until a person zooms or pans, the view follows the room there is: the whole drawing if
// it fits at a readable size (text at least READABLE_PX tall) and no more than 100%,
// else the readable size with the output node in view, not the top-left corner.
//
// The wheel zooms only with Ctrl (or ⌘) held, which is also what a trackpad pinch sends
// (Safari: gesture events). A plain wheel scrolls the drawing, then the notebook: in a
// page that scrolls with the wheel, a drawing that took it would trap the pointer.

/** Text is readable from this many CSS px tall. */
export const READABLE_PX = 9;
/** No default scale goes above 100%; a person may zoom in up to this. */
export const MAX_SCALE = 4;
/** A person may zoom out to this, or further if that is what fitting the whole drawing takes. */
export const MIN_SCALE = 0.25;
/** One button press, key press or wheel notch. */
export const STEP = 1.25;
/** Arrow keys pan this far; with Shift, most of the view. */
const KEY_PAN_PX = 40;
/** A wheel delta of 100 px zooms by e; one notch at most by STEP (a pinch's deltas are far smaller). */
const WHEEL_CLAMP = 100 * Math.log(STEP);
const LINE_PX = 16;

/** @typedef {{scale: number, left: number, top: number}} View the scale and the scroll box's scroll offsets */
/** @typedef {{x: number, y: number, w: number, h: number}} Rect in CSS px */

/**
 * Per model (its tape object, the same for all its views): what a person chose, and the
 * scroll box's height they zoomed in ("": it wraps the drawing).
 * @type {WeakMap<object, {view: View, height: string}>}
 */
const saved = new WeakMap();

/** @param {number} x @param {number} lo @param {number} hi */
export const clamp = (x, lo, hi) => Math.min(hi, Math.max(lo, x));

/**
 * The view at `scale` that keeps the drawing's point under (px, py) — a point of the scroll
 * box's visible part, in CSS px from its top-left — where it is.
 * @param {View} view @param {number} scale @param {number} px @param {number} py @returns {View}
 */
export function zoomAbout(view, scale, px, py) {
  const k = scale / view.scale;
  return { scale, left: (view.left + px) * k - px, top: (view.top + py) * k - py };
}

/**
 * The scale that shows all of a drawing `width` × `height` in a room `roomW` × `roomH`, never above 1.
 * @param {number} width @param {number} height @param {number} roomW @param {number} roomH
 */
export function fitScale(width, height, roomW, roomH) {
  if (!(width > 0 && height > 0 && roomW > 0)) return 1;
  return Math.min(1, roomW / width, roomH > 0 ? roomH / height : Infinity);
}

/**
 * The scales a person may choose, given the scale that fits the whole drawing.
 * @param {number} fit @returns {[number, number]}
 */
export const scaleRange = (fit) => [Math.min(MIN_SCALE, fit), MAX_SCALE];

/** The smallest scale at which text `textPx` tall at 100% is readable; never above 1. @param {number} textPx */
export const readableScale = (textPx) => (textPx > 0 ? Math.min(1, READABLE_PX / textPx) : 1);

/**
 * The scale to open at: all of the drawing if that is readable, else the readable minimum
 * (it shows the most of the graph that can still be read; 100% is a key press away).
 * @param {number} fit fitScale of the drawing in the room @param {number} textPx
 * @returns {{scale: number, all: boolean}} all: the whole drawing is in view
 */
export function firstScale(fit, textPx) {
  const readable = readableScale(textPx);
  return fit >= readable ? { scale: fit, all: true } : { scale: readable, all: false };
}

/**
 * Scroll offsets that centre `target` (natural CSS px) in a view `viewW` × `viewH` of the
 * drawing at `scale`, as far as the content `contentW` × `contentH` allows. The output is the
 * last rank, at an end of the drawing, so clamping puts it at the view's edge, its inputs beside it.
 * @param {Rect} target @param {number} scale @param {number} contentW @param {number} contentH
 * @param {number} viewW @param {number} viewH @returns {{left: number, top: number}}
 */
export function centredOn(target, scale, contentW, contentH, viewW, viewH) {
  return {
    left: clamp((target.x + target.w / 2) * scale - viewW / 2, 0, Math.max(0, contentW - viewW)),
    top: clamp((target.y + target.h / 2) * scale - viewH / 2, 0, Math.max(0, contentH - viewH)),
  };
}

/**
 * The drawing's text height in CSS px at 100%: its computed font size (widget.css; the
 * drawing carries no font attributes) in user units, times the CSS px per user unit.
 * @param {Element} canvas holding the drawing's <svg> (and its tiles) @param {number} width natural, CSS px
 */
export function textHeight(canvas, width) {
  const svg = canvas.querySelector("svg");
  const view = (svg?.getAttribute("viewBox") || "")
    .trim()
    .split(/[\s,]+/)
    .map(Number);
  const unit = view[2] > 0 ? width / view[2] : 1;
  const text = canvas.querySelector("text");
  const win = /** @type {any} */ (canvas.ownerDocument.defaultView);
  const size = (text && parseFloat(win?.getComputedStyle(text).fontSize)) || 11; // widget.css's 11px
  return size * unit;
}

/**
 * @typedef {object} ZoomOptions
 * @property {HTMLElement} toolbar gets the buttons
 * @property {HTMLElement} box the scroll box: made focusable, its keys and wheel are ours
 * @property {HTMLElement} canvas what gets sized
 * @property {number} width the drawing's natural size, CSS px
 * @property {number} height
 * @property {object} key the model's tape: views of one model share what a person chose
 * @property {() => Element | null} output the output node's group, to bring into view
 */

export class Zoom {
  /** @type {View} */
  view = { scale: 1, left: 0, top: 0 };
  /** a person zoomed or scrolled: the view no longer follows the room */
  chosen = false;
  /** @type {View} what we last set, to tell our scrolling from theirs */
  #set = { scale: 1, left: 0, top: 0 };
  #room = 0; // the box's inner width the view was last laid out for; 0: not in a rendered page
  #textPx = NaN;
  #size = "";

  /** @param {ZoomOptions} o */
  constructor(o) {
    const { toolbar, box, canvas } = o;
    this.o = o;
    const doc = box.ownerDocument;
    this.controller = new AbortController();
    const signal = this.controller.signal;
    const keep = saved.get(o.key);
    if (keep) {
      this.view = { ...keep.view };
      this.chosen = true;
      box.style.height = keep.height;
    }
    // The drawing is one focusable stop: the keys it uses zoom and pan and go no further
    // (#onKey stops them before JupyterLab's command mode, which listens as they bubble);
    // every other key, Shift+Enter and Ctrl+S among them, still reaches JupyterLab.
    box.tabIndex = 0;
    box.setAttribute("role", "group");
    box.setAttribute("aria-label", "Drawing: + and − zoom, 0 is 100%, F fits, arrow keys pan");

    /** @param {string} text @param {string} label @param {string} keys @param {string} title @param {() => void} act */
    const button = (text, label, keys, title, act) => {
      const b = doc.createElement("button");
      b.type = "button";
      b.className = "agw-tool";
      b.textContent = text;
      b.title = title;
      b.setAttribute("aria-label", label);
      b.setAttribute("aria-keyshortcuts", keys);
      // JupyterLab's command mode binds Enter (and more) and would take the key from the button.
      b.setAttribute("data-lm-suppress-shortcuts", "true");
      b.addEventListener("click", act, { signal });
      return b;
    };
    this.outButton = button("−", "Zoom out", "-", "Zoom out (−, or Ctrl + wheel)", () => this.zoomBy(1 / STEP));
    this.level = doc.createElement("span");
    this.level.className = "agw-zoom";
    this.level.title = "Ctrl + wheel or pinch zooms about the pointer; drag the background to pan";
    this.inButton = button("+", "Zoom in", "Plus", "Zoom in (+, or Ctrl + wheel)", () => this.zoomBy(STEP));
    const fit = button("Fit", "Fit", "F", "The whole drawing (F)", () => this.fit());
    const actual = button("100%", "100%", "0", "Actual size (0)", () => this.zoomTo(1));
    toolbar.append(this.outButton, this.level, this.inButton, fit, actual);

    box.addEventListener("keydown", (e) => this.#onKey(e), { signal });
    box.addEventListener("wheel", (e) => this.#onWheel(e), { signal, passive: false });
    box.addEventListener("scroll", () => this.#onScroll(), { signal, passive: true });
    let pinchFrom = 1;
    box.addEventListener(
      "gesturestart",
      (e) => {
        e.preventDefault(); // Safari would zoom the page
        pinchFrom = this.view.scale;
      },
      { signal },
    );
    box.addEventListener(
      "gesturechange",
      (e) => {
        e.preventDefault();
        const p = this.#point(/** @type {MouseEvent} */ (e));
        this.zoomTo(pinchFrom * /** @type {any} */ (e).scale, p.x, p.y);
      },
      { signal },
    );
    this.#sizeCanvas(this.view.scale);
    this.#readout();
  }

  /**
   * A new drawing in the same box (the kernel laid the graph out again): the scale stays,
   * chosen or not, so the rest keeps its size; the scroll offsets stay as far as they can.
   * @param {HTMLElement} canvas @param {number} width @param {number} height natural, CSS px
   */
  replace(canvas, width, height) {
    Object.assign(this.o, { canvas, width, height });
    this.#textPx = NaN;
    this.#size = "";
    if (this.#room) this.#apply(this.view);
    else this.#sizeCanvas(this.view.scale); // not in a rendered page: offsets are restored by update()
    this.#readout();
  }

  /** Lay the view out for the room there is now; again whenever the box is resized. */
  update() {
    const room = this.o.box.clientWidth;
    if (!room) {
      this.#room = 0; // detached or hidden: scroll offsets are lost, restore them when it is back
      return;
    }
    const was = this.#room;
    this.#room = room;
    if (!this.chosen && room !== was) {
      this.#apply(this.#first());
      // Resizing the canvas can take the notebook's scrollbar away (or bring it), and with it
      // change the room again: the room after is the one this view was made for.
      this.#room = this.o.box.clientWidth;
    } else if (was === 0) this.#apply(this.view);
  }

  /** The whole drawing's scale in the room there is (the box's inner width and its max-height). */
  fitScale() {
    const { box, width, height } = this.o;
    const win = /** @type {any} */ (box.ownerDocument.defaultView);
    const max = win?.getComputedStyle(box).maxHeight || "";
    const roomH = max.endsWith("px") ? parseFloat(max) : Infinity;
    return fitScale(width, height, box.clientWidth, roomH);
  }

  /**
   * Zoom to `scale` about (px, py) of the box's visible part (default its centre).
   * @param {number} scale @param {number} [px] @param {number} [py]
   */
  zoomTo(scale, px, py) {
    const { box } = this.o;
    const [lo, hi] = scaleRange(this.fitScale());
    const s = clamp(scale, lo, hi);
    this.chosen = true;
    // The box keeps its height while a person zooms: grown with the drawing, it would push the
    // notebook down under the pointer, and the point under it could not stay put (nothing to
    // scroll in a box as tall as its content). Fit lets it wrap the drawing again.
    if (!box.style.height && box.offsetHeight > 0) box.style.height = `${box.offsetHeight}px`; // no border, no padding
    const from = { scale: this.view.scale, left: box.scrollLeft, top: box.scrollTop };
    this.#apply(zoomAbout(from, s, px ?? box.clientWidth / 2, py ?? box.clientHeight / 2));
  }

  /** A button or key step; a step across 100% stops there, the size the drawing was made for. @param {number} factor */
  zoomBy(factor) {
    const s = this.view.scale;
    const next = s * factor;
    this.zoomTo((s < 1 && next > 1) || (s > 1 && next < 1) ? 1 : next);
  }

  /** All of the drawing, from its top-left corner. */
  fit() {
    this.chosen = true;
    this.o.box.style.height = "";
    this.#apply({ scale: this.fitScale(), left: 0, top: 0 });
  }

  /** Scroll the view by (dx, dy) CSS px. @param {number} dx @param {number} dy */
  panBy(dx, dy) {
    const { box } = this.o;
    this.chosen = true;
    this.#apply({ ...this.view, left: box.scrollLeft + dx, top: box.scrollTop + dy });
  }

  /** @returns {View} the first view: all of it, or the readable minimum with the output in view */
  #first() {
    const { box, width, height, canvas } = this.o;
    if (Number.isNaN(this.#textPx)) this.#textPx = textHeight(canvas, width);
    const { scale, all } = firstScale(this.fitScale(), this.#textPx);
    if (all) return { scale, left: 0, top: 0 };
    this.#sizeCanvas(scale);
    const target = this.#outputRect(scale);
    if (!target) return { scale, left: 0, top: 0 };
    const [w, h] = this.#canvasSize(scale);
    return { scale, ...centredOn(target, scale, w, h, box.clientWidth, box.clientHeight) };
  }

  /** The output node's box in natural CSS px from the canvas's corner, null if none (yet). @param {number} scale */
  #outputRect(scale) {
    const el = this.o.output();
    if (!el) return null;
    const r = el.getBoundingClientRect();
    const c = this.o.canvas.getBoundingClientRect();
    if (!r.width && !r.height) return null;
    return { x: (r.left - c.left) / scale, y: (r.top - c.top) / scale, w: r.width / scale, h: r.height / scale };
  }

  /** Whole px: a fitted canvas a fraction wider than the room would bring a scrollbar. @param {number} scale */
  #canvasSize(scale) {
    return [Math.floor(this.o.width * scale), Math.floor(this.o.height * scale)];
  }

  /** @param {number} scale */
  #sizeCanvas(scale) {
    const [w, h] = this.#canvasSize(scale);
    const size = `${w}x${h}`;
    if (size === this.#size) return;
    this.#size = size;
    this.o.canvas.style.width = `${w}px`;
    this.o.canvas.style.height = `${h}px`;
  }

  /** Size, scroll, and keep what the browser made of it (it clamps the offsets). @param {View} v */
  #apply(v) {
    const { box } = this.o;
    this.#sizeCanvas(v.scale);
    box.scrollLeft = Math.max(0, v.left);
    box.scrollTop = Math.max(0, v.top);
    this.view = this.#set = { scale: v.scale, left: box.scrollLeft, top: box.scrollTop };
    this.#readout();
    this.#save();
  }

  #save() {
    if (this.chosen) saved.set(this.o.key, { view: { ...this.view }, height: this.o.box.style.height });
  }

  #readout() {
    const s = this.view.scale;
    this.level.textContent = `${Math.round(s * 100)}%`;
    const [lo, hi] = this.#room ? scaleRange(this.fitScale()) : [0, MAX_SCALE];
    this.outButton.setAttribute("aria-disabled", String(s <= lo));
    this.inButton.setAttribute("aria-disabled", String(s >= hi));
  }

  /** Scrolled, by us or by a person (scrollbar, wheel, touch, a node scrolled into view). */
  #onScroll() {
    const { box } = this.o;
    const left = box.scrollLeft;
    const top = box.scrollTop;
    if (Math.abs(left - this.#set.left) > 1 || Math.abs(top - this.#set.top) > 1) this.chosen = true;
    this.view = { ...this.view, left, top };
    this.#save();
  }

  /** @param {WheelEvent} e */
  #onWheel(e) {
    if (!e.ctrlKey && !e.metaKey) return;
    e.preventDefault(); // the browser would zoom the whole page
    const unit = e.deltaMode === 1 ? LINE_PX : e.deltaMode === 2 ? this.o.box.clientHeight : 1;
    const dy = clamp(e.deltaY * unit, -WHEEL_CLAMP, WHEEL_CLAMP);
    const p = this.#point(e);
    this.zoomTo(this.view.scale * Math.exp(-dy / 100), p.x, p.y);
  }

  /** An event's point in the box's visible part. @param {MouseEvent} e */
  #point(e) {
    const { box } = this.o;
    const r = box.getBoundingClientRect();
    return { x: e.clientX - r.left - box.clientLeft, y: e.clientY - r.top - box.clientTop };
  }

  /** @param {KeyboardEvent} e */
  #onKey(e) {
    const { box } = this.o;
    // The box's own keys, also from a control drawn in the drawing (a box of boxes.js has focus)
    const target = /** @type {Element} */ (e.target);
    const ours = target === box || (box.contains(target) && target.closest?.("svg"));
    if (!ours || e.ctrlKey || e.metaKey || e.altKey) return; // Ctrl+0 and friends: the browser's
    const page = (/** @type {number} */ n) => (e.shiftKey ? n * 0.8 : KEY_PAN_PX);
    /** @type {Record<string, () => void>} */
    const keys = {
      "+": () => this.zoomBy(STEP),
      "=": () => this.zoomBy(STEP),
      "-": () => this.zoomBy(1 / STEP),
      _: () => this.zoomBy(1 / STEP),
      0: () => this.zoomTo(1),
      f: () => this.fit(),
      F: () => this.fit(),
      ArrowLeft: () => this.panBy(-page(box.clientWidth), 0),
      ArrowRight: () => this.panBy(page(box.clientWidth), 0),
      ArrowUp: () => this.panBy(0, -page(box.clientHeight)),
      ArrowDown: () => this.panBy(0, page(box.clientHeight)),
    };
    const act = keys[e.key];
    if (!act) return;
    e.preventDefault(); // the box and the page would scroll too
    e.stopPropagation(); // JupyterLab's command mode: "0 0" would restart the kernel
    act();
  }

  destroy() {
    this.controller.abort();
  }
}
