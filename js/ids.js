// Element ids that stay unique on a page showing many widgets. anywidget loads this bundle
// once per widget, so a module-level counter alone restarts at 1 in each one and a
// `<label for>` would name another widget's input: a random part per module load keeps the
// ids of different widgets apart, the counter those within one.
const load = Math.random().toString(36).slice(2, 10);
let count = 0;

/** @param {string} name what the element is, e.g. "nudge-lr" @returns {string} */
export function uniqueId(name) {
  return `agw-${load}-${++count}-${name}`;
}
