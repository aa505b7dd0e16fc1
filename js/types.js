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
 * @property {string} label the slider's name: the leaf's label, made unique ("a", "a (2)")
 * @property {number} min
 * @property {number} max
 * @property {number} step
 */

/**
 * The objects' numbers as the kernel read them after its latest change, and which message
 * (if any) that change answered. The kernel sets it when the widget is built, after every
 * message from a view, and whenever the objects changed by any other way (set_leaf, another
 * widget over shared objects, a cell that ran): it is always the truth to draw.
 * @typedef {object} KernelState
 * @property {{view: string, seq: number} | null} answers the message this state answers; null if none
 * @property {string} rejected why that message changed nothing ("" when it was taken)
 * @property {JsonNumber[]} data every node's data, by node id
 * @property {JsonNumber[]} grad every node's grad, by node id
 * @property {boolean[]} stale_data
 * @property {boolean[]} stale_grad
 */

/**
 * What a view sends the kernel (model.send). `seq` counts up from 1 per view; `view` is
 * random per view. "leaves" carries only the leaves moved since the view's last send;
 * `final` is true on release / an applied exact value, false for the debounced sends of a
 * drag. "ping" only asks for an answer (after the comm was reported down, say).
 * @typedef {{type: "leaves", view: string, seq: number, values: Record<string, JsonNumber>, final: boolean}
 *   | {type: "ping", view: string, seq: number}} ViewMessage
 */

/**
 * GraphWidget's synced traits.
 * @typedef {object} Model
 * @property {TapeJson} tape
 * @property {string} svg Graphviz SVG of drawing.to_dot(tape)
 * @property {SliderSpec[]} sliders
 * @property {KernelState} kernel_state
 * @property {string} message
 * @property {string} rankdir
 */

export {};
