import assert from "node:assert/strict";
import { test } from "node:test";
import { loadState } from "./fixtures/fake-model.js";
import { renderWidget } from "./fixtures/render-widget.js";
import { fitScale, fitsByDefault, MIN_FIT } from "./fit.js";

const NATURAL = 1715 * (4 / 3); // the neuron fixture: width="1715pt"

/** The neuron in a scroll box `room` px wide (happy-dom lays nothing out), with a ResizeObserver we can fire. */
function render(room) {
  /** @type {Function[]} */
  const observers = [];
  const widget = renderWidget("neuron", (window) => {
    const w = /** @type {any} */ (window);
    Object.defineProperty(w.HTMLElement.prototype, "clientWidth", {
      get() {
        return this.classList.contains("agw-drawing") ? room.width : 0;
      },
    });
    w.ResizeObserver = class {
      constructor(/** @type {Function} */ callback) {
        observers.push(callback);
      }
      observe() {}
      disconnect() {}
    };
  });
  const { el } = widget;
  const button = /** @type {HTMLButtonElement} */ (el.querySelector(".agw-toolbar button"));
  const canvas = /** @type {HTMLElement} */ (el.querySelector(".agw-canvas"));
  const resize = (/** @type {number} */ width) => {
    room.width = width;
    for (const f of observers) f([]);
  };
  const size = () => [parseFloat(canvas.style.width), parseFloat(canvas.style.height)];
  return { ...widget, button, canvas, resize, size };
}

const near = (/** @type {number} */ a, /** @type {number} */ b) => Math.abs(a - b) < 1e-6;

test("fitScale scales down only; the default fits unless that takes it below MIN_FIT", () => {
  assert.equal(fitScale(2000, 1000), 0.5);
  assert.equal(fitScale(500, 1000), 1, "never up");
  assert.equal(fitScale(500, 0), 1, "no room known: as it is");
  assert.equal(fitsByDefault(1500, 1000), true);
  assert.equal(fitsByDefault(1000 / MIN_FIT + 1, 1000), false, "too small to read: 100% and scroll");
  assert.equal(fitsByDefault(900, 1000), false, "it fits as it is");
  assert.equal(fitsByDefault(900, 0), false);
});

test("a drawing wider than the output fits by default; the Fit button toggles 100% and back", () => {
  const { button, canvas, size, el } = render({ width: 1500 });
  assert.equal(button.localName, "button");
  assert.equal(button.type, "button");
  assert.equal(button.textContent, "Fit");
  assert.equal(button.getAttribute("aria-pressed"), "true");
  const svg = /** @type {Element} */ (canvas.querySelector("svg"));
  assert.ok(svg.classList.contains("agw-base"), "the SVG fills the canvas, which is sized");
  const [w, h] = size();
  assert.ok(near(w, 1500) && near(h, (137 * (4 / 3) * 1500) / NATURAL), `fit to 1500 px: ${w} × ${h}`);
  assert.equal(el.querySelector(".agw-zoom")?.textContent, `${Math.round((1500 / NATURAL) * 100)}%`);
  button.click();
  assert.equal(button.getAttribute("aria-pressed"), "false");
  assert.ok(near(size()[0], NATURAL) && near(size()[1], 137 * (4 / 3)), "100%: the natural size");
  assert.equal(el.querySelector(".agw-zoom")?.textContent, "100%");
  button.click();
  assert.equal(button.getAttribute("aria-pressed"), "true");
  assert.ok(near(size()[0], 1500));
});

test("too small to read when fitted: 100% and scrolling by default, Fit still on request", () => {
  const { button, size, resize } = render({ width: 800 });
  assert.equal(button.getAttribute("aria-pressed"), "false");
  assert.ok(near(size()[0], NATURAL));
  resize(2000); // the output got wider: the default follows while nobody chose
  assert.equal(button.getAttribute("aria-pressed"), "true");
  assert.ok(near(size()[0], 2000));
  button.click();
  assert.equal(button.getAttribute("aria-pressed"), "false");
  resize(1900);
  assert.equal(button.getAttribute("aria-pressed"), "false", "a person's choice stays");
  button.click();
  resize(800);
  assert.ok(near(size()[0], 800), "fitted on request, below MIN_FIT too");
});

test("a drawing narrower than the output is never scaled up", () => {
  const { button, size } = render({ width: 4000 });
  assert.equal(button.getAttribute("aria-pressed"), "false");
  assert.ok(near(size()[0], NATURAL));
  button.click();
  assert.equal(button.getAttribute("aria-pressed"), "true");
  assert.ok(near(size()[0], NATURAL), "fit means at most 100%");
});

test("a drawing with no natural size gets no toggle and sizes itself", () => {
  const state = loadState("neuron");
  state.svg = state.svg.replace(/ width="[^"]*pt" height="[^"]*pt"/, "");
  const { el } = renderWidget(state);
  assert.equal(el.querySelector(".agw-toolbar"), null);
  const svg = el.querySelector(".agw-canvas > svg");
  assert.ok(svg && !svg.classList.contains("agw-tile"), "in the flow, not laid over a sized canvas");
  assert.equal(/** @type {HTMLElement} */ (el.querySelector(".agw-canvas")).style.width, "");
});
