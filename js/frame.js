// At most one DOM patch per animation frame. Inputs can come faster than frames (a held
// arrow key, a synthetic drag, a busy main thread that lets events queue up); each one
// still runs the evaluator, but only the frame's last state is written to the drawing.
// Chromium dispatches a drag's pointer input just before the frame's animation callbacks,
// so a patch scheduled from an input handler lands in that same frame.

/**
 * @param {Window} win where requestAnimationFrame comes from
 * @param {() => void} run the patch
 */
export function perFrame(win, run) {
  /** @type {number | null} */
  let id = null;
  const fire = () => {
    id = null;
    run();
  };
  return {
    /** Run once, in the next animation frame. */
    schedule() {
      if (id === null) id = win.requestAnimationFrame(fire);
    },
    /** Run now, and not again in the frame unless scheduled anew. */
    flush() {
      this.cancel();
      run();
    },
    cancel() {
      if (id !== null) win.cancelAnimationFrame(id);
      id = null;
    },
  };
}
