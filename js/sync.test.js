import assert from "node:assert/strict";
import { test } from "node:test";
import { bytesOf } from "./bytes.js";
import { FakeModel, loadState } from "./fixtures/fake-model.js";
import { KERNEL_REST, LIVE_ROUND_TRIP_MS, LOST_AFTER_MS, SEND_MAX_WAIT_MS, SEND_WAIT_MS, Sync } from "./sync.js";

/**
 * A Sync on a model of the neuron widget, recording what it applies and each status it reports.
 * @param {import("node:test").TestContext} t
 */
function setUp(t) {
  t.mock.timers.enable({ apis: ["setTimeout", "Date"] });
  const model = new FakeModel(loadState("neuron"));
  /** @type {any[]} */
  const applied = [];
  /** @type {string[]} */
  const statuses = [];
  const sync = new Sync(/** @type {any} */ (model), {
    apply: (state) => applied.push(state),
    changed: () => statuses.push(sync.status),
  });
  /**
   * The kernel sets kernel_state: answering one of our messages (by seq), another view's, or nothing.
   * @param {number | null} seq @param {{view?: string, rejected?: string, x?: number | null}} [o]
   */
  const answer = (seq, { view = sync.view, rejected = "", x = seq } = {}) =>
    model.kernelSets("kernel_state", {
      ...model.get("kernel_state"),
      answers: seq === null ? null : { view, seq },
      rejected,
      // each state unlike the last (x null, as seq null gives it: zeros)
      data: bytesOf(new Float64Array(model.get("tape").n).fill(/** @type {number} */ (x))),
    });
  const tick = (/** @type {number} */ ms) => t.mock.timers.tick(ms);
  return { model, sync, applied, statuses, answer, tick };
}

test("messages: seq counts up from 1 per view, only the leaves moved since the last send, final on commit", (t) => {
  const { model, sync, answer, tick } = setUp(t);
  assert.match(sync.view, /^[0-9a-z]{8,}$/);
  const other = new Sync(/** @type {any} */ (model), { apply() {}, changed() {} });
  assert.notEqual(other.view, sync.view, "each view its own id");
  other.destroy();
  sync.commit(0, 1);
  answer(1); // mid-drag sends wait for it (paced)
  sync.input(3, 0.5);
  sync.input(4, NaN);
  sync.input(3, 0.25);
  tick(SEND_WAIT_MS);
  sync.commit(3, -Infinity);
  sync.ping();
  assert.deepEqual(model.sent, [
    { type: "leaves", view: sync.view, seq: 1, values: { 0: 1 }, final: true },
    { type: "leaves", view: sync.view, seq: 2, values: { 3: 0.25, 4: "NaN" }, final: false },
    { type: "leaves", view: sync.view, seq: 3, values: { 3: "-Infinity" }, final: true },
    { type: "ping", view: sync.view, seq: 4 },
  ]);
  assert.equal(model.saved.length, 0, "no trait is ever set");
});

test("mid-drag sends wait for a pause, at most SEND_MAX_WAIT_MS; a commit sends at once and cancels the wait", (t) => {
  const { model, sync, answer, tick } = setUp(t);
  sync.input(3, 0.5);
  tick(SEND_WAIT_MS - 1);
  sync.input(3, 0.75);
  tick(SEND_WAIT_MS - 1);
  assert.equal(model.sent.length, 0, "each input restarts the wait");
  tick(1);
  assert.equal(model.sent.length, 1);
  assert.deepEqual(model.sent[0].values, { 3: 0.75 });
  answer(1); // the next mid-drag send waits for it (paced)
  assert.equal(model.sent.length, 1, "nothing was held back");
  for (let k = 1; k <= 8; k++) {
    sync.input(3, k / 10);
    tick(SEND_WAIT_MS / 2);
  }
  assert.equal(model.sent.length, 2, `a long drag still sends after ${SEND_MAX_WAIT_MS} ms`);
  sync.input(3, 0.9);
  sync.commit(4, 2);
  assert.deepEqual(model.sent[2], { type: "leaves", view: sync.view, seq: 3, values: { 3: 0.9, 4: 2 }, final: true });
  tick(SEND_MAX_WAIT_MS);
  assert.equal(model.sent.length, 3, "nothing left to send again");
});

test("mid-drag sends are paced by the answers: one in flight, the held moves go out when it is answered", (t) => {
  const { model, sync, applied, answer, tick } = setUp(t);
  sync.input(3, 0.5);
  tick(SEND_WAIT_MS);
  assert.deepEqual(model.sent, [{ type: "leaves", view: sync.view, seq: 1, values: { 3: 0.5 }, final: false }]);
  sync.input(3, 0.6);
  tick(SEND_WAIT_MS);
  sync.input(4, 2);
  for (let k = 1; k <= 8; k++) {
    sync.input(3, k / 10);
    tick(SEND_WAIT_MS / 4);
  }
  tick(SEND_WAIT_MS);
  assert.equal(model.sent.length, 1, "1 is unanswered: inputs and debounce ticks send nothing");
  assert.equal(sync.status, "pending");
  answer(1); // 400 ms after it was sent: the kernel rests KERNEL_REST times that before the next
  tick(KERNEL_REST * 400 - 1);
  assert.equal(model.sent.length, 1, "the kernel rests after a replay");
  tick(1);
  assert.deepEqual(
    model.sent.slice(1),
    [{ type: "leaves", view: sync.view, seq: 2, values: { 3: 0.8, 4: 2 }, final: false }],
    "then the held moves go out, in one message, with the latest values",
  );
  assert.equal(applied.length, 0, "the answer to 1 is not drawn: 2 is due");
  tick(SEND_MAX_WAIT_MS);
  assert.equal(model.sent.length, 2, "nothing held is sent twice");
  sync.input(3, 0.9);
  tick(SEND_MAX_WAIT_MS);
  assert.equal(model.sent.length, 2, "2 is in flight");
  sync.commit(4, 3);
  assert.deepEqual(
    model.sent.at(-1),
    { type: "leaves", view: sync.view, seq: 3, values: { 3: 0.9, 4: 3 }, final: true },
    "a commit is never held: sent at once, final, with the held moves",
  );
  sync.input(3, 1);
  tick(SEND_WAIT_MS);
  sync.ping();
  assert.deepEqual(model.sent.at(-1), { type: "ping", view: sync.view, seq: 4 }, "a ping is never held");
  answer(3);
  assert.equal(model.sent.length, 4, "3 is not the latest message: the move still waits");
  answer(4);
  assert.deepEqual(model.sent.at(-1), { type: "leaves", view: sync.view, seq: 5, values: { 3: 1 }, final: false });
  assert.equal(applied.length, 0);
  answer(5);
  assert.equal(applied.length, 1, "the answer to the latest is drawn");
  assert.deepEqual(applied[0].answers, { view: sync.view, seq: 5 });
  assert.equal(sync.status, "ok");
  tick(SEND_MAX_WAIT_MS);
  assert.equal(model.sent.length, 5, "nothing left to send");
});

test("a kernel slower than LIVE_ROUND_TRIP_MS gets mid-drag moves on release only", (t) => {
  const { model, sync, applied, answer, tick } = setUp(t);
  sync.input(3, 0.5);
  tick(SEND_WAIT_MS);
  assert.equal(model.sent.length, 1, "the first mid-drag move goes: nothing is known of the kernel yet");
  tick(LIVE_ROUND_TRIP_MS + 1);
  answer(1);
  for (let k = 1; k <= 20; k++) {
    sync.input(3, k / 10);
    tick(SEND_MAX_WAIT_MS);
  }
  tick(60_000);
  assert.equal(model.sent.length, 1, "held, however long the drag");
  assert.equal(sync.status, "ok", "nothing is unanswered: the kernel is not lost");
  sync.ping();
  answer(2);
  assert.equal(model.sent.length, 2, "a ping answered does not release the moves");
  sync.commit(4, 1);
  assert.deepEqual(
    model.sent.at(-1),
    { type: "leaves", view: sync.view, seq: 3, values: { 3: 2, 4: 1 }, final: true },
    "the release sends every held move with it",
  );
  tick(100);
  answer(3); // a quick answer: the kernel keeps up again
  assert.deepEqual(applied.map((a) => a.answers.seq), [1, 3], "2 answered a ping while moves were held: not drawn");
  sync.input(3, 5);
  tick(KERNEL_REST * 100 + SEND_MAX_WAIT_MS);
  assert.deepEqual(model.sent.at(-1), { type: "leaves", view: sync.view, seq: 4, values: { 3: 5 }, final: false });
});

test("the answer to the latest message is applied; an older one is ignored while a newer is due", (t) => {
  const { sync, applied, answer, tick } = setUp(t);
  sync.input(0, 1);
  tick(SEND_WAIT_MS);
  sync.commit(0, 2);
  answer(1);
  assert.equal(applied.length, 0, "the answer to 2 is due, and holds everything 1 did");
  assert.equal(sync.status, "pending");
  answer(2);
  assert.equal(applied.length, 1);
  assert.deepEqual(applied[0].answers, { view: sync.view, seq: 2 });
  assert.equal(sync.status, "ok");
  answer(2, { x: 7 });
  answer(9);
  assert.equal(applied.length, 1, "a repeat, or a seq never sent, is no answer");
});

test("the answer to the latest message waits while newer moves are not sent yet", (t) => {
  const { model, sync, applied, answer, tick } = setUp(t);
  sync.commit(0, 1);
  sync.input(0, 1.5);
  answer(1);
  assert.equal(applied.length, 0, "1.5 is still to go out: the answer would pull the slider back");
  assert.deepEqual(
    model.sent.at(-1),
    { type: "leaves", view: sync.view, seq: 2, values: { 0: 1.5 }, final: false },
    "1.5 goes out now, paced by that answer",
  );
  assert.equal(sync.status, "pending", "and its answer is due");
  tick(SEND_WAIT_MS);
  assert.equal(model.sent.length, 2, "nothing left to send again");
  answer(2);
  assert.equal(applied.length, 1);
  assert.deepEqual(applied[0].answers, { view: sync.view, seq: 2 });
  assert.equal(sync.status, "ok");
});

test("a state that answers nothing of ours is applied only when nothing of ours is unanswered or unsent", (t) => {
  const { sync, applied, answer, tick } = setUp(t);
  answer(null);
  assert.equal(applied.length, 1, "set_leaf or a cell that ran: applied at once when idle");
  sync.commit(0, 1);
  answer(null, { x: 2 });
  answer(1, { view: "another view", x: 3 });
  assert.equal(applied.length, 1, "our answer is due, and will include both");
  answer(1);
  assert.equal(applied.length, 2);
  sync.input(0, 2);
  answer(null, { x: 4 });
  answer(5, { view: "another view" });
  assert.equal(applied.length, 2, "a move of ours is still to go out");
  tick(SEND_WAIT_MS);
  answer(2);
  answer(6, { view: "another view" });
  assert.equal(applied.length, 4);
  assert.deepEqual(applied[3].answers, { view: "another view", seq: 6 });
});

test("a rejected message: its state is applied (the truth), and the reason shown until one is taken", (t) => {
  const { sync, applied, statuses, answer } = setUp(t);
  const warn = t.mock.method(console, "warn", () => {});
  sync.commit(0, 1);
  answer(1, { rejected: "x1 is not a number" });
  assert.equal(applied.length, 1, "it reverts the local preview");
  assert.equal(sync.rejected, "x1 is not a number");
  assert.equal(warn.mock.callCount(), 1);
  assert.match(String(warn.mock.calls[0].arguments[0]), /x1 is not a number/);
  const reported = statuses.length;
  sync.commit(0, 2);
  answer(2);
  assert.equal(sync.rejected, "");
  assert.ok(statuses.length > reported, "the change is reported");
});

test("status: ok, pending while an answer is due, lost once it is LOST_AFTER_MS overdue, ok when it comes", (t) => {
  const { sync, statuses, answer, tick } = setUp(t);
  assert.equal(sync.status, "ok");
  sync.commit(0, 1);
  assert.equal(sync.status, "pending");
  tick(1000);
  sync.commit(0, 2); // not the oldest unanswered: the clock runs on from message 1
  tick(LOST_AFTER_MS - 1000 - 1);
  assert.equal(sync.status, "pending");
  tick(1);
  assert.equal(sync.status, "lost");
  answer(2);
  assert.equal(sync.status, "ok", "a late answer brings it back");
  assert.deepEqual(statuses, ["pending", "lost", "ok"]);
  tick(LOST_AFTER_MS * 2);
  assert.equal(sync.status, "ok", "no clock left running");
});

test("an answer to an older message restarts the clock: the kernel is alive, just behind", (t) => {
  const { sync, answer, tick } = setUp(t);
  sync.commit(0, 1);
  sync.commit(0, 2);
  tick(LOST_AFTER_MS - 500);
  answer(1);
  tick(LOST_AFTER_MS - 1);
  assert.equal(sync.status, "pending");
  tick(1);
  assert.equal(sync.status, "lost");
  answer(2);
  assert.equal(sync.status, "ok");
  sync.commit(0, 3);
  sync.commit(0, 4);
  tick(LOST_AFTER_MS);
  assert.equal(sync.status, "lost");
  answer(3);
  assert.equal(sync.status, "pending", "lost → pending: answers come, one is still due");
});

test("comm_live_update: a ping; no answer within LOST_AFTER_MS means lost", (t) => {
  const { model, sync, answer, tick } = setUp(t);
  model.emit("comm_live_update");
  assert.deepEqual(model.sent, [{ type: "ping", view: sync.view, seq: 1 }]);
  assert.equal(sync.status, "pending");
  tick(LOST_AFTER_MS);
  assert.equal(sync.status, "lost");
  answer(1);
  assert.equal(sync.status, "ok");
  model.emit("comm_live_update");
  answer(2);
  tick(LOST_AFTER_MS);
  assert.equal(sync.status, "ok", "answered in time");
});

test("a send that throws (a disposed comm) is lost at once", (t) => {
  const { model, sync, answer } = setUp(t);
  t.mock.method(console, "warn", () => {});
  const send = model.send;
  model.send = () => {
    throw new Error("Comm is closed");
  };
  sync.commit(0, 1);
  assert.equal(sync.status, "lost");
  model.send = send;
  sync.commit(0, 2);
  assert.equal(sync.status, "lost", "still: nothing has answered");
  answer(2);
  assert.equal(sync.status, "ok");
});

test("destroy removes its listeners and clears every timer", (t) => {
  const { model, sync, statuses, applied, answer, tick } = setUp(t);
  sync.commit(0, 1); // the lost clock runs
  sync.input(0, 2); // a send waits
  assert.equal(model.listenerCount, 2);
  sync.destroy();
  assert.equal(model.listenerCount, 0);
  const reported = statuses.length;
  tick(LOST_AFTER_MS * 2);
  answer(null);
  model.emit("comm_live_update");
  assert.equal(model.sent.length, 1, "the waiting send is dropped, no ping");
  assert.equal(statuses.length, reported, "no clock fired");
  assert.equal(applied.length, 0);
});

test("post: a request answered by traits (expand, slider) goes out unnumbered and waits for nothing", (t) => {
  const { model, sync, statuses } = setUp(t);
  sync.post({ type: "expand", id: 7, open: true });
  sync.post({ type: "slider", id: 3 });
  // typed, or the assertion would narrow model.sent to these two messages' type
  assert.deepEqual(
    model.sent,
    /** @type {any[]} */ ([
      { type: "expand", id: 7, open: true },
      { type: "slider", id: 3 },
    ]),
  );
  assert.equal(sync.status, "ok", "no answer is due");
  sync.commit(0, 1);
  assert.equal(model.sent.at(-1).seq, 1, "the leaves' numbering is untouched");
  t.mock.method(console, "warn", () => {});
  model.send = () => {
    throw new Error("Comm is closed");
  };
  sync.post({ type: "expand", id: 7, open: false });
  assert.equal(sync.status, "lost", "a send that throws says so, whatever it carried");
  assert.deepEqual(statuses, ["pending", "lost"]);
});
