// The filter box above many slider rows (sliders.js): typing narrows the rows to those
// whose label matches, Escape clears it, and a "k of n" count says how many are shown.
// Apart from sliders.js because it only hides and counts rows: it never reads or writes
// a value.

import { filterBar } from "./slider-markup.js";

/** More rows than this and a filter box comes above them: 12 fit on a screen, more are searched. */
export const FILTER_ABOVE = 12;

/**
 * Whether a label matches the filter text: every space-separated term, in any case, is in it.
 * @param {string} query @returns {(label: string) => boolean}
 */
export function matcher(query) {
  const terms = query.toLowerCase().split(/\s+/).filter(Boolean);
  return (label) => terms.every((t) => label.toLowerCase().includes(t));
}

/**
 * What the filter needs of a row.
 * @typedef {object} FilteredRow
 * @property {HTMLElement} row
 * @property {string} label the spec's label in lower case
 */

export class SliderFilter {
  /**
   * The filter box and its "k of n" count, before the rows.
   * @param {HTMLElement} container the rows' container
   * @param {Map<number, FilteredRow>} rows every row, shown or not: read on each filter and count
   * @param {AbortSignal} signal removes the listeners
   */
  constructor(container, rows, signal) {
    this.rows = rows;
    const { bar, input, count } = filterBar(container.ownerDocument);
    container.prepend(bar);
    input.addEventListener("input", () => this.filter(input.value), { signal });
    input.addEventListener(
      "keydown",
      (e) => {
        if (e.key !== "Escape" || !input.value) return;
        e.preventDefault(); // a search box clears itself on Escape in some browsers: once is enough
        this.set("");
      },
      { signal },
    );
    this.input = input;
    this.count = count;
  }

  /** The typed filter's test for a label, or null when nothing is typed. @returns {((label: string) => boolean) | null} */
  matches() {
    return this.input.value ? matcher(this.input.value) : null;
  }

  /** Show only the rows whose label matches. @param {string} query */
  filter(query) {
    const matches = matcher(query);
    for (const r of this.rows.values()) {
      const hide = !matches(r.label);
      if (r.row.hidden !== hide) r.row.hidden = hide;
    }
    this.recount();
  }

  /** "k of n": the rows shown, of all. */
  recount() {
    let shown = 0;
    for (const r of this.rows.values()) if (!r.row.hidden) shown++;
    this.count.textContent = `${shown} of ${this.rows.size}`;
  }

  /** Type a filter into the box and apply it. @param {string} query */
  set(query) {
    this.input.value = query;
    this.filter(query);
  }
}
