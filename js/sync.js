// One view's conversation with the kernel. The view sends the leaves it moved
// (model.send: debounced while dragging, at once on release), numbered per view; the
// kernel answers each message by setting kernel_state, every node's numbers, naming the
// message it answers. It handles messages in order, so the answer to our latest message
// holds every change made before it: while that answer is due, any other state is
// skipped, not drawn and then overwritten. Silence is never hidden: a message unanswered
// for LOST_AFTER_MS, or a send that throws (a disposed comm), makes the status "lost".
// Requests that change the drawing (open a box, add a slider) go through here too, unnumbered.
// Mid-drag sends are paced by the answers: one in flight at most, and the next no sooner
// than KERNEL_REST times the last one's round trip after its answer. The kernel replays the
// whole graph per message (~0.7 s at 65k nodes): unpaced, it would take a core from the
// drag the whole time (measured on 2 cores: painted p95 41 ms with it, 12 ms without).
// A small graph's round trip is a few ms, so its sends keep the debounce's pace. A kernel
// whose round trip exceeds LIVE_ROUND_TRIP_MS cannot follow a drag anyway: once one took
// that long, mid-drag moves wait for the release (measured at 65k nodes: even one replay
// in four cost the drag its frames).

import { debounce } from "./debounce.js";
import { toJson } from "./json.js";

export const SEND_WAIT_MS = 100;
export const SEND_MAX_WAIT_MS = 400;
export const LOST_AFTER_MS = 3000;
export const KERNEL_REST = 3; // mid-drag, the kernel replays at most 1 / (1 + KERNEL_REST) of the time
export const LIVE_ROUND_TRIP_MS = 500; // slower, mid-drag moves are sent on release only

/** @typedef {import("./types.js").KernelState} KernelState */
/** @typedef {import("./types.js").ViewMessage} ViewMessage */
/** @typedef {import("@anywidget/types").AnyModel<import("./types.js").Model>} AnyModel */
/**
 * "ok": the kernel answered everything; "pending": an answer is due; "lost": one is overdue.
 * @typedef {"ok" | "pending" | "lost"} SyncStatus
 */
/**
 * @typedef {object} SyncEvents
 * @property {(state: KernelState) => void} apply draw this state: the truth, and nothing of ours is newer
 * @property {() => void} changed status or rejected changed
 */

/** Random enough to tell a model's views apart; crypto.randomUUID needs a secure context. */
const randomId = () => Math.random().toString(36).slice(2) + Math.random().toString(36).slice(2);

export class Sync {
  /** @type {SyncStatus} */
  status = "ok";
  /** why the kernel did not take this view's latest answered message; "" if it did */
  rejected = "";
  view = randomId();
  #seq = 0; // the latest message sent
  #answered = 0; // the latest message the kernel answered
  #overdue = false;
  /** @type {Map<number, number>} leaf id → value, for the leaves moved since the last send */
  #moved = new Map();
  /** @type {ReturnType<typeof setTimeout> | null} */
  #timer = null;
  #shown = "ok|"; // status and rejected as `changed` last reported them
  #sentAt = 0; // when the latest leaves message went out
  #leavesSeq = 0; // and its seq
  #resumeAt = 0; // no mid-drag send before this
  /** @type {ReturnType<typeof setTimeout> | null} */
  #resume = null;

  /** @param {AnyModel} model @param {SyncEvents} events @param {() => number} [now] ms, a clock */
  constructor(model, events, now = () => Date.now()) {
    this.model = model;
    this.events = events;
    this.now = now;
    this.sender = debounce(() => this.#sendLeaves(false), SEND_WAIT_MS, SEND_MAX_WAIT_MS);
    this.onState = () => this.#receive(model.get("kernel_state"));
    // ipywidgets fires it when the comm goes down or comes back; only an answer tells which
    this.onLive = () => this.ping();
    model.on("change:kernel_state", this.onState);
    model.on("comm_live_update", this.onLive);
  }

  /** A leaf moved mid-drag: sent after a pause. @param {number} id @param {number} x */
  input(id, x) {
    this.#moved.set(id, x);
    this.sender.schedule();
  }

  /** A leaf was released or given an exact value: sent now, with whatever else moved. @param {number} id @param {number} x */
  commit(id, x) {
    this.#moved.set(id, x);
    this.sender.cancel();
    this.#sendLeaves(true);
  }

  /**
   * A request the kernel answers by changing traits, not kernel_state ("expand", "slider"):
   * no seq, nothing to wait for; a send that throws still says the kernel is lost.
   * @param {ViewMessage} msg
   */
  post(msg) {
    this.#send(msg);
  }

  /** Ask the kernel for an answer, to learn whether it is there. */
  ping() {
    this.#send({ type: "ping", view: this.view, seq: this.#next() });
  }

  /** @param {boolean} final */
  #sendLeaves(final) {
    if (!this.#moved.size) return;
    if (!final && this.#answered < this.#seq) return; // sent when the answer comes (#receive)
    const rest = this.#resumeAt - this.now();
    if (!final && rest === Infinity) return; // a slow kernel: sent with the release (commit)
    if (!final && rest > 0) {
      this.#resume ??= setTimeout(() => {
        this.#resume = null;
        this.#sendLeaves(false);
      }, rest);
      return;
    }
    this.#cancelResume();
    /** @type {Record<string, import("./types.js").JsonNumber>} */
    const values = {};
    for (const [id, x] of this.#moved) values[String(id)] = toJson(x);
    this.#moved.clear();
    this.#leavesSeq = this.#next();
    this.#sentAt = this.now();
    this.#send({ type: "leaves", view: this.view, seq: this.#leavesSeq, values, final });
  }

  /** The next seq; the lost clock starts if this is now the oldest unanswered message. */
  #next() {
    if (this.#answered === this.#seq) this.#wait();
    return ++this.#seq;
  }

  /** @param {ViewMessage} msg */
  #send(msg) {
    try {
      this.model.send(msg);
    } catch (err) {
      console.warn("autograd-widget: could not send to the kernel", err);
      this.#overdue = true;
    }
    this.#update();
  }

  /** @param {KernelState | undefined} state */
  #receive(state) {
    if (!state) return;
    const a = state.answers;
    if (a?.view === this.view) {
      if (a.seq <= this.#answered || a.seq > this.#seq) return; // a repeat, or no message of ours
      this.#answered = a.seq;
      this.#overdue = false;
      this.rejected = state.rejected || "";
      if (this.rejected) console.warn(`autograd-widget: the kernel did not take message ${a.seq}: ${this.rejected}`);
      if (a.seq === this.#seq) this.#stopWaiting();
      else this.#wait(); // the kernel is alive, just behind
      if (a.seq === this.#seq) {
        const now = this.now();
        const trip = now - this.#sentAt; // a replay's cost
        if (a.seq === this.#leavesSeq) this.#resumeAt = trip > LIVE_ROUND_TRIP_MS ? Infinity : now + KERNEL_REST * trip;
        if (this.#moved.size) this.#sendLeaves(false); // moves held back meanwhile
      }
      this.#update();
      if (this.#idle()) this.events.apply(state);
    } else if (this.#idle()) this.events.apply(state);
  }

  /** Nothing of ours is sent and unanswered, or waiting to be sent. */
  #idle() {
    return this.#answered === this.#seq && !this.#moved.size;
  }

  /** (Re)start the clock on the oldest unanswered message. */
  #wait() {
    this.#stopWaiting();
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#overdue = true;
      this.#update();
    }, LOST_AFTER_MS);
  }

  #stopWaiting() {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }

  #update() {
    this.status = this.#overdue ? "lost" : this.#answered < this.#seq ? "pending" : "ok";
    const shown = `${this.status}|${this.rejected}`;
    if (shown === this.#shown) return;
    this.#shown = shown;
    this.events.changed();
  }

  #cancelResume() {
    if (this.#resume !== null) clearTimeout(this.#resume);
    this.#resume = null;
  }

  destroy() {
    this.model.off("change:kernel_state", this.onState);
    this.model.off("comm_live_update", this.onLive);
    this.sender.cancel();
    this.#cancelResume();
    this.#stopWaiting();
  }
}
