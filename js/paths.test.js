import assert from "node:assert/strict";
import { test } from "node:test";
import { Evaluator } from "./evaluator.js";
import { buildTape, layerColumns, neuron } from "./fixtures/build-tape.js";
import { newWindow } from "./fixtures/dom.js";
import { encodeTape } from "./fixtures/encode-tape.js";
import { mountPaths, pathsToRoot } from "./paths.js";
import { parseSvg } from "./svg.js";

/** @param {import("./fixtures/encode-tape.js").TapeJson} columns */
const evaluator = (columns) => new Evaluator(encodeTape(columns)).run();

// The neuron's ids: x1 0, w1 1, x2 2, w2 3, b 4, x1*w1 5, x2*w2 6, x1*w1 + x2*w2 7, n 8, o 9.

test("the neuron: from x1 one path, through x1*w1, the sum, n, o", () => {
  const ev = evaluator(neuron());
  const { nodes, edges, count } = pathsToRoot(ev, 0);
  assert.deepEqual([...nodes].sort((a, b) => a - b), [0, 5, 7, 8, 9]);
  assert.deepEqual([...edges].sort(), ["0 5", "5 7", "7 8", "8 9"]);
  assert.equal(count, 1n);
  const fromN = pathsToRoot(ev, 8);
  assert.deepEqual([...fromN.nodes].sort(), [8, 9]);
  assert.deepEqual([...fromN.edges], ["8 9"]);
  const fromRoot = pathsToRoot(ev, 9);
  assert.deepEqual([...fromRoot.nodes], [9]);
  assert.equal(fromRoot.edges.size, 0);
  assert.equal(fromRoot.count, 1n, "the output is one (empty) path from itself");
});

// a 0, c 1, d 2; p = a*c 3, q = a+c 4, e = tanh(d) 5; s = p + q 6; out = s * e 7
const diamond = () =>
  buildTape([
    { label: "a", data: 1 },
    { label: "c", data: 2 },
    { label: "d", data: 0.5 },
    { label: "p", op: "*", parents: [0, 1] },
    { label: "q", op: "+", parents: [0, 1] },
    { label: "e", op: "tanh", parents: [2] },
    { label: "s", op: "+", parents: [3, 4] },
    { label: "out", op: "*", parents: [6, 5] },
  ]);

test("a node used by two consumers that meet later: two paths", () => {
  const ev = evaluator(diamond());
  const { nodes, edges, count } = pathsToRoot(ev, 0);
  assert.deepEqual([...nodes].sort(), [0, 3, 4, 6, 7], "not c, d, e: they are not on a's way");
  assert.deepEqual([...edges].sort(), ["0 3", "0 4", "3 6", "4 6", "6 7"]);
  assert.equal(count, 2n);
  assert.equal(pathsToRoot(ev, 2).count, 1n, "d: through e only");
});

test("paths multiply through diamonds in a row, and a + a counts each use", () => {
  // x, then three levels of tanh(top) and exp(top) meeting in a sum: 2 × 2 × 2 paths
  /** @type {import("./fixtures/build-tape.js").NodeSpec[]} */
  const nodes = [{ label: "x", data: 0.5 }];
  let top = 0;
  for (let l = 0; l < 3; l++) {
    const k = nodes.length;
    nodes.push({ op: "tanh", parents: [top] }, { op: "exp", parents: [top] }, { op: "+", parents: [k, k + 1] });
    top = k + 2;
  }
  assert.equal(pathsToRoot(evaluator(buildTape(nodes)), 0).count, 8n);
  const twice = pathsToRoot(evaluator(buildTape([{ label: "a", data: 3 }, { op: "+", parents: [0, 0] }])), 0);
  assert.equal(twice.count, 2n, "b = a + a: two uses, two terms of a's grad");
  assert.deepEqual([...twice.edges], ["0 1"], "one edge");
});

/** Records, op nodes, and the edges as picture.py draws them: data-e="a b" into b's op, data-e="b" from it to b. */
function neuronPage() {
  const window = newWindow();
  const ev = evaluator(neuron());
  const record = (/** @type {number} */ i) =>
    `<g id="n${i}" class="node"><path d="M0,0h100v60h-100z"/><text>${ev.labelOf(i)}</text></g>`;
  const op = (/** @type {number} */ i) => `<g id="n${i}op" class="node"><circle r="16"/><text>op</text></g>`;
  const computed = [5, 6, 7, 8, 9];
  const edges = [
    ...computed.flatMap((i) => [...ev.indices.subarray(ev.offsets[i], ev.offsets[i + 1])].map((p) => `${p} ${i}`)),
    ...computed.map((i) => `${i}`), // op node into its record
  ];
  const svg = () =>
    `<svg xmlns="http://www.w3.org/2000/svg"><g class="graph"><g class="edges">` +
    edges.map((e) => `<path data-e="${e}" d="M0,0l10,0"/>`).join("") +
    `</g>${[0, 1, 2, 3, 4, ...computed].map(record).join("")}${computed.map(op).join("")}</g></svg>`;
  const parent = window.document.createElement("div");
  window.document.body.append(parent);
  let canvas = parseSvg(window.document, svg());
  window.document.body.append(canvas);
  const paths = mountPaths({ parent, ev, canvas: () => canvas, labelOf: (i) => ev.labelOf(i) || `node ${i}` });
  const marked = () =>
    [...canvas.querySelectorAll(".agw-path")].map((el) => el.id || `e${el.getAttribute("data-e")}`).sort();
  const status = () => /** @type {Element} */ (parent.querySelector(".agw-paths-status[aria-live=polite]"));
  const redraw = () => {
    canvas.remove();
    canvas = parseSvg(window.document, svg());
    window.document.body.append(canvas);
    paths.redraw();
  };
  return { window, ev, paths, marked, status, parent, redraw, canvas: () => canvas };
}

test("select marks records, op nodes and edges on every path, and says how many paths", () => {
  const { window, paths, marked, status, canvas } = neuronPage();
  assert.equal(status().textContent, "");
  paths.select(0);
  assert.deepEqual(
    marked(),
    ["e0 5", "e5", "e5 7", "e7", "e7 8", "e8", "e8 9", "e9"].concat(
      ["n0", "n5", "n5op", "n7", "n7op", "n8", "n8op", "n9", "n9op"],
    ),
  );
  assert.deepEqual(
    [...canvas().querySelectorAll(".agw-path-from")].map((el) => el.id),
    ["n0"],
    "the node selected stands out",
  );
  assert.equal(status().textContent, "x1: 1 path to o");
  assert.equal(paths.selected(), 0);

  paths.select(8); // from n: its own op node and the edges into it are behind it
  assert.deepEqual(marked(), ["e8 9", "e9", "n8", "n9", "n9op"]);
  assert.deepEqual([...canvas().querySelectorAll(".agw-path-from")].map((el) => el.id), ["n8"]);
  assert.equal(status().textContent, "n: 1 path to o");

  paths.update(); // numbers change nothing
  assert.deepEqual(marked(), ["e8 9", "e9", "n8", "n9", "n9op"]);

  paths.select(null);
  assert.deepEqual(marked(), []);
  assert.equal(canvas().querySelectorAll(".agw-path-from").length, 0);
  assert.equal(status().textContent, "");
  assert.equal(paths.selected(), null);
  window.close();
});

test("redraw marks the new drawing's elements; destroy takes everything away", () => {
  const { window, paths, marked, parent, redraw, canvas } = neuronPage();
  paths.select(3); // w2: through x2*w2
  const before = canvas();
  const edges = ["e3 6", "e6", "e6 7", "e7", "e7 8", "e8", "e8 9", "e9"];
  const onPath = [...edges, "n3", "n6", "n6op", "n7", "n7op", "n8", "n8op", "n9", "n9op"];
  assert.deepEqual(marked(), onPath);
  redraw();
  assert.notEqual(canvas(), before);
  assert.deepEqual(marked(), onPath);
  assert.equal(canvas().querySelector(".agw-path-from")?.id, "n3");
  paths.destroy();
  assert.deepEqual(marked(), []);
  assert.equal(parent.querySelector(".agw-paths-status"), null);
  window.close();
});

test("boxes: an edge into a closed box, and a layer box on a path through one of its outputs", () => {
  // x 0, w1 1, w2 2, w3 3; n1 = w1*x 4, n2 = w2*x 5, n3 = w3*x 6; s = n1*n2 7; out = s + n3 8.
  // Drawn: x, w1, the closed layer box 9 over n1..n3 (s is not drawn), out and its op.
  const window = newWindow();
  const ev = evaluator(layerColumns());
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg"><g class="graph"><g class="edges">` +
    ["0 9", "1 9", "9 8", "8"].map((e) => `<path data-e="${e}" d="M0,0l1,0"/>`).join("") +
    `</g><g id="n0" class="node"><path d="M0,0h1"/></g><g id="n1" class="node"><path d="M0,0h1"/></g>` +
    `<g id="n9" class="node agw-box agw-layer" data-outputs="4 5 6"><path d="M0,0h1"/></g>` +
    `<g id="n8" class="node"><path d="M0,0h1"/></g><g id="n8op" class="node"><circle r="1"/></g></g></svg>`;
  const canvas = parseSvg(window.document, svg);
  const parent = window.document.createElement("div");
  window.document.body.append(parent, canvas);
  const paths = mountPaths({ parent, ev, canvas: () => canvas, labelOf: (i) => ev.labelOf(i) || `node ${i}` });
  const marked = () =>
    [...canvas.querySelectorAll(".agw-path")].map((el) => el.id || `e${el.getAttribute("data-e")}`).sort();
  paths.select(1); // w1 → n1 → s → out: the layer box holds n1
  assert.deepEqual(marked(), ["e1 9", "e8", "e9 8", "n1", "n8", "n8op", "n9"]);
  assert.equal(parent.textContent, "w1: 1 path to out");
  paths.select(0); // x feeds n1, n2 (then s) and n3: three paths
  assert.deepEqual(marked(), ["e0 9", "e8", "e9 8", "n0", "n8", "n8op", "n9"]);
  assert.equal(parent.textContent, "x: 3 paths to out");
  window.close();
});
