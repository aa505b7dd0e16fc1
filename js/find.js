// Find parameter: a search box over the tape's labelled leaves, for a graph too big to
// give every leaf a slider (an MLP loss has thousands of weights). Typing lists the
// leaves whose label matches (a combobox over a listbox: arrows move, Enter or a click
// picks, Escape clears, focus going elsewhere closes the list); picking one focuses its
// slider, asking the kernel for one first if it has none (the `sliders` trait then grows,
// and the new slider gets focus).

import { matcher } from "./sliders.js";
import { uniqueId } from "./ids.js";

/** More matches than this and the list says how many more, instead of showing them. */
export const MAX_OPTIONS = 20;
export const NO_MATCH = "no leaf matches";


/**
 * @typedef {object} FindOptions
 * @property {HTMLElement} parent gets the search box
 * @property {readonly number[]} leaves the labelled leaves, in tape order
 * @property {(id: number) => string} labelOf
 * @property {(id: number) => boolean} has whether a leaf has a slider
 * @property {(id: number) => void} focus focus a leaf's slider
 * @property {(id: number) => void} ask ask the kernel for a slider on a leaf
 */

export class Find {
  /** @type {number[]} the leaves listed, in order */
  shown = [];
  /** the option the arrows are on, -1 for none */
  active = -1;
  /** @type {number | null} the leaf whose slider was asked for and has not come yet */
  awaiting = null;
  /** a press on the list is under way: its click is still to come */
  #pressing = false;

  /** @param {FindOptions} o */
  constructor(o) {
    this.o = o;
    const doc = o.parent.ownerDocument;
    this.lower = o.leaves.map((id) => o.labelOf(id).toLowerCase());
    this.element = doc.createElement("div");
    this.element.className = "agw-find";
    this.input = doc.createElement("input");
    this.input.type = "search";
    this.input.spellcheck = false;
    this.input.autocomplete = "off";
    this.input.placeholder = "find a parameter by label";
    this.list = doc.createElement("ul");
    this.list.id = uniqueId("find");
    this.list.setAttribute("role", "listbox");
    this.list.setAttribute("aria-label", "Leaves that match");
    this.list.hidden = true;
    this.status = doc.createElement("div");
    this.status.id = uniqueId("find-status");
    this.status.className = "agw-find-status";
    this.status.setAttribute("aria-live", "polite");
    const input = this.input;
    for (const [k, v] of Object.entries({
      "aria-label": "Find parameter",
      role: "combobox",
      "aria-autocomplete": "list",
      "aria-expanded": "false",
      "aria-controls": this.list.id,
      "aria-describedby": this.status.id,
      "data-lm-suppress-shortcuts": "true", // its keys are the box's, not JupyterLab's command mode's
    }))
      input.setAttribute(k, v);
    this.element.append(input, this.list, this.status);
    o.parent.append(this.element);
    this.controller = new AbortController();
    const signal = this.controller.signal;
    input.addEventListener("input", () => this.#filter(), { signal });
    input.addEventListener("keydown", (e) => this.#onKey(e), { signal });
    // A press on an option must not take focus from the box: the click picks, the box keeps the keys.
    this.list.addEventListener(
      "pointerdown",
      (e) => {
        e.preventDefault();
        this.#pressing = true;
      },
      { signal },
    );
    this.list.addEventListener("mousedown", (e) => e.preventDefault(), { signal });
    this.list.addEventListener(
      "click",
      (e) => {
        const li = this.#option(e.target);
        if (li) this.#pick(Number(li.getAttribute("data-id")));
      },
      { signal },
    );
    // Focus gone elsewhere (the drawing, another cell): the list goes, unless a press on it
    // took focus away (a browser may, whatever pointerdown says) and its click is to come.
    this.element.addEventListener(
      "focusout",
      (e) => {
        if (!this.#pressing && !this.#holds(e.relatedTarget)) this.#dismiss();
      },
      { signal },
    );
    for (const type of ["pointerup", "pointercancel"])
      doc.addEventListener(type, (e) => this.#released(e), { signal, capture: true });
    this.update();
  }

  /**
   * The sliders changed: shown only while some labelled leaf has no slider; the slider asked
   * for gets focus once it is there, unless the person went on elsewhere meanwhile.
   */
  update() {
    const { o } = this;
    this.element.hidden = this.awaiting === null && o.leaves.every((id) => o.has(id));
    if (this.awaiting !== null && o.has(this.awaiting)) {
      const id = this.awaiting;
      this.awaiting = null;
      this.status.textContent = "";
      const doc = this.input.ownerDocument;
      const active = doc.activeElement;
      if (!active || active === this.input || active === doc.body) o.focus(id);
    }
    if (!this.list.hidden) this.#filter(); // "has a slider" may have changed
  }

  /** List the leaves that match what is typed. */
  #filter() {
    const query = this.input.value.trim();
    if (!query) return this.#close("");
    const matches = matcher(query);
    /** @type {number[]} */
    const shown = [];
    let more = 0;
    for (let k = 0; k < this.lower.length; k++) {
      if (!matches(this.lower[k])) continue;
      if (shown.length < MAX_OPTIONS) shown.push(this.o.leaves[k]);
      else more++;
    }
    this.#render(shown);
    this.status.textContent = !shown.length ? NO_MATCH : more ? `${more.toLocaleString("en")} more — keep typing` : "";
  }

  /** @param {number[]} ids */
  #render(ids) {
    const doc = this.list.ownerDocument;
    this.shown = ids;
    this.active = -1;
    this.input.removeAttribute("aria-activedescendant");
    this.list.replaceChildren(
      ...ids.map((id, k) => {
        const li = doc.createElement("li");
        li.id = `${this.list.id}-${k}`;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.setAttribute("data-id", String(id));
        li.textContent = this.o.labelOf(id);
        if (this.o.has(id)) {
          const note = doc.createElement("span");
          note.className = "agw-find-note";
          note.textContent = " · has a slider";
          li.append(note);
        }
        return li;
      }),
    );
    this.list.hidden = !ids.length;
    this.input.setAttribute("aria-expanded", String(ids.length > 0));
  }

  /** Whether focus on `target` is still the finder's. @param {EventTarget | null} target */
  #holds(target) {
    return target !== null && this.element.contains(/** @type {Node} */ (target));
  }

  /** The option an event landed on, if any. @param {EventTarget | null} target */
  #option(target) {
    const li = /** @type {Element | null} */ (target)?.closest?.("[role=option]");
    return li && this.list.contains(li) ? li : null;
  }

  /**
   * A press on the list ended. Released on an option, its click comes next and picks;
   * elsewhere, no click picks: the list goes if focus did.
   * @param {Event} e
   */
  #released(e) {
    if (!this.#pressing) return;
    this.#pressing = false;
    const onOption = e.type === "pointerup" && this.#option(e.target);
    if (!onOption && !this.#holds(this.element.ownerDocument.activeElement)) this.#dismiss();
  }

  /** Close the list, if open, without a word: what is typed stays, and arrows open it again. */
  #dismiss() {
    if (!this.list.hidden) this.#close("");
  }

  /** @param {string} status */
  #close(status) {
    this.#render([]);
    this.status.textContent = status;
  }

  /** @param {KeyboardEvent} e */
  #onKey(e) {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault(); // the caret stays where it is
      if (this.list.hidden) this.#filter();
      this.#move(e.key === "ArrowDown" ? 1 : -1);
    } else if (e.key === "Enter") {
      e.preventDefault();
      if (this.list.hidden) this.#filter();
      const id = this.shown[Math.max(0, this.active)];
      if (id !== undefined) this.#pick(id);
    } else if (e.key === "Escape") {
      if (!this.input.value && this.list.hidden) return;
      e.preventDefault(); // a search box clears itself on Escape in some browsers: once is enough
      e.stopPropagation();
      this.input.value = "";
      this.#close("");
    }
  }

  /** Move the active option by one, round the ends. @param {number} step */
  #move(step) {
    const count = this.shown.length;
    if (!count) return;
    const was = this.list.children[this.active];
    was?.setAttribute("aria-selected", "false");
    was?.classList.remove("agw-active");
    this.active = this.active < 0 ? (step > 0 ? 0 : count - 1) : (this.active + step + count) % count;
    const li = /** @type {HTMLElement} */ (this.list.children[this.active]);
    li.setAttribute("aria-selected", "true");
    li.classList.add("agw-active");
    this.input.setAttribute("aria-activedescendant", li.id);
    li.scrollIntoView?.({ block: "nearest" });
  }

  /** @param {number} id */
  #pick(id) {
    const label = this.o.labelOf(id);
    this.input.value = label;
    this.#close("");
    if (this.o.has(id)) {
      this.awaiting = null;
      this.o.focus(id);
      return;
    }
    this.awaiting = id;
    this.status.textContent = `asking the kernel for a slider on ${label}…`;
    this.o.ask(id);
  }

  destroy() {
    this.controller.abort();
    this.element.remove();
  }
}
