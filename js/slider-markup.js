// The slider panel's markup, which sliders.js wires: a row per leaf (its name, a range
// input, a number box for the exact value, the line that says what is wrong with a typed
// one), and the filter bar above many rows.
import { uniqueId } from "./ids.js";


/**
 * @param {Document} doc @param {import("./types.js").SliderSpec} spec
 * @returns {{row: HTMLElement, range: HTMLInputElement, box: HTMLInputElement, error: HTMLElement}}
 */
export function sliderRow(doc, spec) {
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
  error.id = uniqueId("error");
  error.setAttribute("aria-live", "polite");
  box.setAttribute("aria-describedby", error.id);
  // Keys typed here are the inputs' own: JupyterLab's command-mode shortcuts (ArrowRight
  // expands a heading, digits change the cell type) must not take them. Lumino matches
  // ":focus" on the input itself, so the attribute must be on the input, not an ancestor.
  for (const input of [range, box]) input.setAttribute("data-lm-suppress-shortcuts", "true");
  row.append(name, range, box, error);
  return { row, range, box, error };
}

/**
 * The filter box and its "k of n" count.
 * @param {Document} doc @returns {{bar: HTMLElement, input: HTMLInputElement, count: HTMLElement}}
 */
export function filterBar(doc) {
  const bar = doc.createElement("div");
  bar.className = "agw-filter";
  const input = doc.createElement("input");
  input.type = "search";
  input.spellcheck = false;
  input.autocomplete = "off";
  input.placeholder = "filter by label";
  input.setAttribute("aria-label", "Filter sliders");
  input.setAttribute("data-lm-suppress-shortcuts", "true");
  const count = doc.createElement("span");
  count.className = "agw-filter-count";
  count.setAttribute("aria-live", "polite"); // the effect of each keystroke, heard without leaving the box
  bar.append(input, count);
  return { bar, input, count };
}
