// Which tiles of the drawing a person can see: an IntersectionObserver with the drawing's
// scroll box as its root. A tile counts as seen until the observer says otherwise, so
// without one (happy-dom's never reports) every node is patched at once, as before.
// Observing the ~30 tiles of a 1,000-node drawing rather than its ~1,750 node groups:
// the browser recomputes every observed target's intersection each frame something moved.

/** How far outside the scroll box a node still counts as seen: it is patched before it scrolls in. */
const MARGIN = "25%";

export class Visibility {
  /**
   * @param {Element} root the scroll box
   * @param {(target: Element, seen: boolean) => void} onChange for each target whose visibility changed
   */
  constructor(root, onChange) {
    const view = /** @type {any} */ (root.ownerDocument.defaultView);
    /** @type {Set<Element>} */
    this.hidden = new Set();
    /** @type {IntersectionObserver | null} */
    this.observer = view?.IntersectionObserver
      ? new view.IntersectionObserver(
          (/** @type {IntersectionObserverEntry[]} */ entries) => {
            for (const { target, isIntersecting } of entries) {
              if (isIntersecting === !this.hidden.has(target)) continue;
              if (isIntersecting) this.hidden.delete(target);
              else this.hidden.add(target);
              onChange(target, isIntersecting);
            }
          },
          { root, rootMargin: MARGIN },
        )
      : null;
  }

  /** @param {Element} el */
  observe(el) {
    this.observer?.observe(el);
  }

  /** @param {Element} el */
  seen(el) {
    return !this.hidden.has(el);
  }

  disconnect() {
    this.observer?.disconnect();
    this.hidden.clear();
  }
}
