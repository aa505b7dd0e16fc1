// The model's synced traits, typed once; they mirror GraphWidget in
// src/autograd_widget/widget.py and Tape.to_json in tape.py. Types only: no runtime code.

/**
 * A float as tape.json_number sends it: non-finite numbers as the strings Number() reads.
 * @typedef {number | "NaN" | "Infinity" | "-Infinity"} JsonNumber
 */

/**
 * Tape.to_json: one column per field, indexed by node id (= topological position); the
 * root is the last node.
 * @typedef {object} TapeJson
 * @property {string[]} label
 * @property {string[]} op table name, "" for a leaf, or the raw string of an op with no rule
 * @property {(number | null)[]} arg the constant of a "**k"
 * @property {number[][]} parents ordered parent ids ([a, a] for a + a)
 * @property {boolean[]} known whether the kernel has a rule for the node's op
 * @property {(string | null)[]} scope
 * @property {JsonNumber[]} data
 * @property {JsonNumber[]} grad
 * @property {boolean[]} stale_data
 * @property {boolean[]} stale_grad
 */

/**
 * @typedef {object} SliderSpec
 * @property {number} id leaf node id
 * @property {string} label
 * @property {number} min
 * @property {number} max
 * @property {number} step
 */

/**
 * What the kernel computed for the leaf values in `values`.
 * @typedef {object} KernelState
 * @property {Record<string, JsonNumber>} values
 * @property {JsonNumber[]} data
 * @property {JsonNumber[]} grad
 * @property {boolean[]} stale_data
 * @property {boolean[]} stale_grad
 */

/**
 * GraphWidget's synced traits.
 * @typedef {object} Model
 * @property {TapeJson} tape
 * @property {string} svg Graphviz SVG of drawing.to_dot(tape)
 * @property {SliderSpec[]} sliders
 * @property {Record<string, JsonNumber>} values leaf id (as a string) → value
 * @property {KernelState | Record<string, never>} kernel_state
 * @property {string} message
 * @property {string} rankdir
 */

export {};
