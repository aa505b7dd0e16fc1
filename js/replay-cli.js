#!/usr/bin/env node
// Replays tapes with new leaf values through evaluator.js, for tests/test_parity.py.
//   node js/replay-cli.js cases.json > results.json
// cases.json: {"cases": [{"tape": …, "values": {"<leaf id>": number}}]}, each tape either in
// readable columns (label, op, arg, parents, known, data, grad, stale_data, stale_grad: what
// Tape.to_json wrote) or the widget's binary form with each bytes field in base64 (JSON
// carries no bytes).
// prints {"ops": [op names of ops.js], "results": [{"data", "grad", "stale_data", "stale_grad"}]}
import { readFileSync } from "node:fs";
import { Evaluator } from "./evaluator.js";
import { encodeTape } from "./fixtures/encode-tape.js";
import { fromJson, toJson } from "./json.js";
import { OP_LIST } from "./ops.js";

const BYTES = ["op", "offsets", "parents", "known", "data", "grad", "stale_data", "stale_grad"];

/** @param {any} tape @returns {import("./types.js").TapeState} */
function wire(tape) {
  if (Array.isArray(tape.label)) return encodeTape(tape);
  const out = { ...tape };
  for (const key of BYTES) if (typeof out[key] === "string") out[key] = Buffer.from(out[key], "base64");
  return out;
}

const path = process.argv[2];
if (!path) {
  process.stderr.write("usage: node js/replay-cli.js cases.json\n");
  process.exit(2);
}
const { cases } = JSON.parse(readFileSync(path, "utf8"));
/** @typedef {{tape: any, values: Record<string, import("./types.js").JsonNumber>}} Case */
const results = cases.map((/** @type {Case} */ { tape, values }) => {
  const ev = new Evaluator(wire(tape));
  ev.setLeaves(Object.fromEntries(Object.entries(values).map(([k, v]) => [k, fromJson(v)])));
  return {
    data: Array.from(ev.data, toJson),
    grad: Array.from(ev.grad, toJson),
    stale_data: Array.from(ev.staleData, Boolean),
    stale_grad: Array.from(ev.staleGrad, Boolean),
  };
});
process.stdout.write(JSON.stringify({ ops: OP_LIST.map((o) => o.name), results }));
