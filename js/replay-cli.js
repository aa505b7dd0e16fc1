#!/usr/bin/env node
// Replays tapes with new leaf values through evaluator.js, for tests/test_parity.py.
//   node js/replay-cli.js cases.json > results.json
// cases.json: {"cases": [{"tape": Tape.to_json(), "values": {"<leaf id>": number}}]}
// prints {"ops": [op names of ops.js], "results": [{"data", "grad", "stale_data", "stale_grad"}]}
import { readFileSync } from "node:fs";
import { Evaluator } from "./evaluator.js";
import { fromJson, toJson } from "./json.js";
import { OP_LIST } from "./ops.js";

const path = process.argv[2];
if (!path) {
  process.stderr.write("usage: node js/replay-cli.js cases.json\n");
  process.exit(2);
}
const { cases } = JSON.parse(readFileSync(path, "utf8"));
/** @typedef {{tape: import("./types.js").TapeJson, values: Record<string, import("./types.js").JsonNumber>}} Case */
const results = cases.map((/** @type {Case} */ { tape, values }) => {
  const ev = new Evaluator(tape);
  ev.setLeaves(Object.fromEntries(Object.entries(values).map(([k, v]) => [k, fromJson(v)])));
  return {
    data: Array.from(ev.data, toJson),
    grad: Array.from(ev.grad, toJson),
    stale_data: Array.from(ev.staleData, Boolean),
    stale_grad: Array.from(ev.staleGrad, Boolean),
  };
});
process.stdout.write(JSON.stringify({ ops: OP_LIST.map((o) => o.name), results }));
