// Leaf values go to the kernel debounced while dragging: `wait` ms after the last
// input, but at least every `maxWait` ms during a long drag, so the kernel's objects
// (and other views of them) still follow along; `flush` sends at once.

/**
 * @param {() => void} send
 * @param {number} wait
 * @param {number} maxWait
 */
export function debounce(send, wait, maxWait) {
  /** @type {ReturnType<typeof setTimeout> | null} */
  let timer = null;
  /** @type {ReturnType<typeof setTimeout> | null} */
  let deadline = null;
  const cancel = () => {
    if (timer !== null) clearTimeout(timer);
    if (deadline !== null) clearTimeout(deadline);
    timer = deadline = null;
  };
  const flush = () => {
    cancel();
    send();
  };
  return {
    schedule() {
      if (timer !== null) clearTimeout(timer);
      timer = setTimeout(flush, wait);
      if (deadline === null) deadline = setTimeout(flush, maxWait);
    },
    flush,
    cancel,
  };
}
