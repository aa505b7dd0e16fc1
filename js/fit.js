// The drawing at its natural size (100%) or scaled down to the width of the output
// (Fit), switched by a toggle button above it. Until a person presses it, the drawing
// fits when it is wider than the output, unless that would take it below MIN_FIT —
// too small to read — when it stays at 100% and scrolls. Fit never scales up.

/** Below this scale a drawing does not fit by default. */
export const MIN_FIT = 0.5;

/** The scale that makes `natural` px fit into `available` px, never above 1. @param {number} natural @param {number} available */
export function fitScale(natural, available) {
  return natural > 0 && available > 0 ? Math.min(1, available / natural) : 1;
}

/** Whether a drawing `natural` px wide fits into `available` px by default. @param {number} natural @param {number} available */
export function fitsByDefault(natural, available) {
  return available > 0 && natural > available && available / natural >= MIN_FIT;
}

export class Fit {
  /**
   * @param {HTMLElement} toolbar where the button goes
   * @param {HTMLElement} box the scroll box around the canvas: its inner width is the room there is
   * @param {HTMLElement} canvas what gets sized
   * @param {number} width the drawing's natural size in CSS px
   * @param {number} height
   */
  constructor(toolbar, box, canvas, width, height) {
    const doc = toolbar.ownerDocument;
    this.box = box;
    this.canvas = canvas;
    this.width = width;
    this.height = height;
    /** @type {boolean | null} the person's choice; null: the default for the width there is */
    this.chosen = null;
    this.fitting = false;
    this.scale = 1;
    this.button = doc.createElement("button");
    this.button.type = "button";
    this.button.className = "agw-fit";
    this.button.textContent = "Fit";
    this.button.title = "Fit the drawing to the width of the output; press again for 100%";
    // JupyterLab's command mode binds Enter (and more) and would take the key from the button.
    this.button.setAttribute("data-lm-suppress-shortcuts", "true");
    this.zoom = doc.createElement("span");
    this.zoom.className = "agw-zoom";
    toolbar.append(this.button, this.zoom);
    this.button.addEventListener("click", () => {
      this.chosen = !this.fitting;
      this.update();
    });
    this.update();
  }

  /** Size the canvas for the mode and the room there is now; again whenever the box is resized. */
  update() {
    const available = this.box.clientWidth;
    this.fitting = this.chosen ?? fitsByDefault(this.width, available);
    const scale = this.fitting ? fitScale(this.width, available) : 1;
    this.button.setAttribute("aria-pressed", String(this.fitting));
    if (scale === this.scale && this.canvas.style.width) return;
    this.scale = scale;
    this.canvas.style.width = `${this.width * scale}px`;
    this.canvas.style.height = `${this.height * scale}px`;
    this.zoom.textContent = `${Math.round(scale * 100)}%`;
  }
}
