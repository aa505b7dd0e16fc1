// Every path from a node to the output: the chain rule sums one product per path, so
// seeing them all says where a grad comes from. select(id) marks them on the drawing
// (class agw-path on records, op nodes and edges; agw-path-from on the node itself) and
// says how many there are; select(null) clears.
//
// A path goes record → op node → record. Each use of a node counts: in b = a + a, a has
// two paths to b (one drawn edge), as its grad has two terms.
//
// The drawn edges carry data-e (picture.py): "a b" from node a into node b's op node (or
// into closed box b), "b" from b's op node into b's record. An edge is marked when both
// its ends are on a path: a drawn edge a → b means a feeds b, so id → … → a → b → … →
// output is then a path. The selected node's own op node (and the edge from it) lies
// before it, on no path from it.

/**
 * The nodes and edges of every path from id to the root, and how many paths there are.
 * One sweep down the tape (what id feeds) and one up (what of that reaches the root).
 * @param {import("./evaluator.js").Evaluator} ev @param {number} id
 * @returns {{nodes: Set<number>, edges: Set<string>, count: bigint}} edges as "parent consumer";
 *   count exact (a deep net has more paths than a double counts)
 */
export function pathsToRoot(ev, id) {
  const { n, root, offsets, indices } = ev;
  /** @type {Set<number>} */
  const nodes = new Set();
  /** @type {Set<string>} */
  const edges = new Set();
  if (!(id >= 0 && id < n)) return { nodes, edges, count: 0n };
  /** @type {(bigint | undefined)[]} paths from id to each node it feeds, by id - id */
  const paths = [1n];
  for (let i = id + 1; i < n; i++) {
    let count = 0n;
    for (let q = offsets[i]; q < offsets[i + 1]; q++) {
      const p = indices[q];
      const via = p >= id ? paths[p - id] : undefined;
      if (via !== undefined) count += via;
    }
    if (count) paths[i - id] = count;
  }
  const count = paths[root - id] ?? 0n;
  if (!count) return { nodes, edges, count };
  const on = new Uint8Array(n - id);
  on[root - id] = 1;
  for (let i = root; i >= id; i--) {
    if (!on[i - id]) continue;
    nodes.add(i);
    if (i === id) continue;
    for (let q = offsets[i]; q < offsets[i + 1]; q++) {
      const p = indices[q];
      if (p < id || paths[p - id] === undefined) continue;
      on[p - id] = 1;
      edges.add(`${p} ${i}`);
    }
  }
  return { nodes, edges, count };
}

const NODE_ID = /^n(\d+)(op)?$/;

/**
 * @typedef {object} PathsContext
 * @property {HTMLElement} parent gets the status line
 * @property {import("./evaluator.js").Evaluator} ev
 * @property {() => Element | null} canvas the drawing now
 * @property {(id: number) => string} labelOf
 */

/**
 * @param {PathsContext} ctx
 * @typedef {{update(): void, redraw(): void, destroy(): void}} Mounted the integration contract
 * @returns {Mounted & {select(id: number | null): void, selected(): number | null}}
 */
export function mountPaths(ctx) {
  const { ev } = ctx;
  const status = ctx.parent.ownerDocument.createElement("p");
  status.className = "agw-paths-status";
  status.setAttribute("aria-live", "polite");
  ctx.parent.append(status);
  /** @type {number | null} */
  let from = null;
  /** @type {Set<number>} */
  let nodes = new Set();
  /** @type {Element[]} what carries our classes now */
  let marked = [];

  const clear = () => {
    for (const el of marked) el.classList.remove("agw-path", "agw-path-from");
    marked = [];
  };

  /** @type {Map<number, boolean>} layer boxes' answers, for one apply() */
  const layers = new Map();
  /**
   * Whether a drawn end is on a path: a node on one, or a layer box (its id past the
   * tape's nodes) one of whose outputs is.
   * @param {Element} root @param {number} x
   */
  const onPath = (root, x) => {
    if (x < ev.n) return nodes.has(x);
    let on = layers.get(x);
    if (on === undefined) {
      const box = root.querySelector(`g[id="n${x}"], g[id="c${x}"]`);
      const outputs = (box?.getAttribute("data-outputs") || "").split(/\s+/).filter(Boolean);
      on = outputs.some((s) => nodes.has(Number(s)));
      layers.set(x, on);
    }
    return on;
  };

  /** Mark the drawing now there: one pass over its nodes and edges. */
  const apply = () => {
    clear();
    layers.clear();
    const root = ctx.canvas();
    if (from === null || !root || !nodes.size) return;
    /** @param {Element} el */
    const mark = (el) => {
      el.classList.add("agw-path");
      marked.push(el);
    };
    for (const g of root.querySelectorAll("g.node")) {
      const m = NODE_ID.exec(g.id);
      if (!m) continue;
      const i = Number(m[1]);
      // the node's own op node is before it, not on its way to the output
      if (!onPath(root, i) || (m[2] && i === from)) continue;
      mark(g);
      if (i === from && !m[2]) g.classList.add("agw-path-from");
    }
    for (const edge of root.querySelectorAll("path[data-e]")) {
      const ends = (edge.getAttribute("data-e") || "").trim().split(/\s+/).map(Number);
      const [a, b = a] = ends; // "b": b's op node into b's record
      if (ends.length > 2 || !Number.isInteger(a) || !Number.isInteger(b)) continue;
      if (a === b ? a !== from && nodes.has(a) : onPath(root, a) && onPath(root, b)) mark(edge);
    }
  };

  /** @param {number | null} id */
  const select = (id) => {
    if (id === null || !(Number.isInteger(id) && id >= 0 && id < ev.n)) {
      from = null;
      nodes = new Set();
      status.textContent = "";
      clear();
      return;
    }
    const found = pathsToRoot(ev, id);
    from = id;
    nodes = found.nodes;
    const to = ctx.labelOf(ev.root);
    status.textContent =
      found.count === 0n
        ? `${ctx.labelOf(id)}: no path to ${to}`
        : `${ctx.labelOf(id)}: ${found.count} path${found.count === 1n ? "" : "s"} to ${to}`;
    apply();
  };

  return {
    select,
    selected: () => from,
    update() {}, // the paths are the graph's, whatever the numbers
    redraw: apply,
    destroy() {
      clear();
      status.remove();
    },
  };
}
