// The model's synced traits, typed once; they mirror GraphWidget in
// src/autograd_widget/widget.py. Types only: no runtime code.

/**
 * A float as tape.json_number sends it: non-finite numbers as the strings Number() reads.
 * @typedef {number | "NaN" | "Infinity" | "-Infinity"} JsonNumber
 */

/**
 * Bytes as ipywidgets delivers a `bytes` value nested in a trait: a DataView in the page
 * (an ArrayBuffer or any typed array is taken too; bytes.js reads them). Little-endian.
 * @typedef {DataView | ArrayBuffer | ArrayBufferView} Bytes
 */

/**
 * The tape, binary and columnar: node ids are topological positions; the root is node n-1.
 * @typedef {object} TapeState
 * @property {number} n node count
 * @property {string[]} ops op-name table: ops[0] is "" (a leaf); an op with no rule is here by its raw name
 * @property {Bytes} op Uint16 per node: index into ops
 * @property {Bytes} offsets Int32, n+1: the parents of node i are parents[offsets[i] .. offsets[i+1])
 * @property {Bytes} parents Int32: ordered parent ids ([a, a] for a + a)
 * @property {Bytes} known Uint8 per node: 1 if the kernel has a rule for the node's op
 * @property {Record<string, JsonNumber>} args sparse, by node id: the constant of a "**k" node
 * @property {Record<string, string>} labels sparse, by node id: labelled nodes only
 * @property {Bytes} data Float64 per node
 * @property {Bytes} grad Float64 per node
 * @property {Bytes} stale_data Uint8 per node
 * @property {Bytes} stale_grad Uint8 per node
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
 * @property {Bytes} data Float64 per node: every node's data, by node id
 * @property {Bytes} grad Float64 per node
 * @property {Bytes} stale_data Uint8 per node
 * @property {Bytes} stale_grad Uint8 per node
 */

/**
 * A box the drawing shows: one node (its output, `id`) and everything that reaches the
 * graph's output only through it. Collapsed, it is the record g#n{id} (class agw-box);
 * expanded, the cluster g#c{id} around its members, g#n{id} among them.
 *
 * A layer box (`outputs` set) is all the neurons of one layer call on one point: it has no
 * output node of its own, and its `id` is a number >= the tape's node count. Collapsed, it
 * is the record g#n{id} (class "agw-box agw-layer", data-outputs="12 57 99"); expanded,
 * the cluster g#c{id} (class "cluster agw-layer", data-outputs too) around its neuron
 * boxes, with no g#n{id}.
 * @typedef {object} Box
 * @property {number} id the box's output node; for a layer box, an id past the tape's nodes
 * @property {string} name
 * @property {number} size how many nodes it stands for
 * @property {boolean} expanded
 * @property {number[]} [outputs] a layer box's neurons' output nodes, in neuron order; absent for any other box
 */

/**
 * What a view sends the kernel (model.send). `seq` counts up from 1 per view; `view` is
 * random per view. "leaves" carries only the leaves moved since the view's last send;
 * `final` is true on release / an applied exact value, false for the debounced sends of a
 * drag. "ping" only asks for an answer (after the comm was reported down, say).
 * "expand" opens (open: true) or closes a box by its id; "slider" asks for a slider on a
 * leaf. These two carry no view or seq: the kernel answers by changing traits (svg, boxes,
 * sliders, notice), which every view follows.
 * @typedef {{type: "leaves", view: string, seq: number, values: Record<string, JsonNumber>, final: boolean}
 *   | {type: "ping", view: string, seq: number}
 *   | {type: "expand", id: number, open: boolean}
 *   | {type: "slider", id: number}} ViewMessage
 */

/**
 * GraphWidget's synced traits.
 * @typedef {object} Model
 * @property {TapeState} tape never changes
 * @property {string} svg the drawing (picture.py's compact SVG); a new one when a box opens or closes
 * @property {Box[]} boxes every box drawn now
 * @property {SliderSpec[]} sliders grows when the kernel adds a slider
 * @property {KernelState} kernel_state
 * @property {string} message
 * @property {string} notice one line from the kernel: how the graph is drawn, or why an expansion was refused
 * @property {string} rankdir
 */

export {};
