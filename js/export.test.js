import assert from "node:assert/strict";
import { test } from "node:test";
import { mountExport, PNG_FILE, pngScale, standaloneSvg, SVG_FILE, svgToPng } from "./export.js";
import { newWindow } from "./fixtures/dom.js";
import { fields, page, parse } from "./fixtures/export-page.js";
import { dataField } from "./format.js";

// Export SVG / Export PNG (export.js mountExport): the downloads, the PNG path and its failures.
// What the file holds: export-file.test.js.

/**
 * mountExport over the neuron's drawing; every link click recorded (and kept from
 * navigating the test's window), every object URL made and revoked recorded.
 * @param {{toPng?: any, canvas?: boolean}} [o]
 */
function mounted({ toPng, canvas: hasCanvas = true } = {}) {
  const p = page();
  const { window } = p;
  const parent = window.document.createElement("div");
  window.document.body.append(parent);
  /** @type {{url: string, blob: Blob}[]} */
  const made = [];
  /** @type {string[]} */
  const revoked = [];
  const { createObjectURL, revokeObjectURL } = window.URL;
  window.URL.createObjectURL = (/** @type {Blob} */ blob) => {
    const url = createObjectURL.call(window.URL, blob);
    made.push({ url, blob });
    return url;
  };
  window.URL.revokeObjectURL = (/** @type {string} */ url) => {
    revoked.push(url);
    revokeObjectURL.call(window.URL, url);
  };
  /** @type {{href: string, download: string, inDocument: boolean, revokedBefore: boolean}[]} */
  const clicks = [];
  window.document.addEventListener(
    "click",
    (/** @type {any} */ e) => {
      const a = e.target;
      if (a.localName !== "a") return;
      clicks.push({ href: a.href, download: a.download, inDocument: a.isConnected, revokedBefore: revoked.includes(a.href) });
      e.preventDefault(); // happy-dom would navigate the window to the file
    },
    true,
  );
  const ctx = { parent, ev: p.ev, canvas: () => (hasCanvas ? p.canvas : null) };
  const widget = mountExport(ctx, toPng ? { toPng } : undefined);
  /** @param {string} name */
  const button = (name) => {
    const b = [...parent.querySelectorAll("button")].find((x) => x.textContent === name);
    assert.ok(b, `a button "${name}"`);
    return /** @type {HTMLButtonElement} */ (b);
  };
  const status = () => parent.querySelector('[role="status"]')?.textContent ?? "";
  return { ...p, parent, made, revoked, clicks, widget, button, status };
}

test("Export SVG downloads autograd-graph.svg through a blob: link, clicked, then revoked", async () => {
  const { window, canvas, ev, drawing, id, made, revoked, clicks, button, status, parent } = mounted();
  assert.equal(button("Export SVG").type, "button");
  ev.setLeaf(id("b"), 7);
  drawing.patch();
  button("Export SVG").click();
  assert.equal(clicks.length, 1);
  assert.equal(clicks[0].download, SVG_FILE);
  assert.equal(SVG_FILE, "autograd-graph.svg");
  assert.match(clicks[0].href, /^blob:/);
  assert.equal(clicks[0].inDocument, true);
  assert.equal(clicks[0].revokedBefore, false, "not revoked before the click");
  assert.equal(made.length, 1);
  assert.equal(made[0].url, clicks[0].href);
  assert.match(made[0].blob.type, /^image\/svg\+xml/);
  const text = await made[0].blob.text();
  assert.equal(text, standaloneSvg(canvas), "the drawing as it is now");
  const { root } = parse(window, text);
  assert.equal(fields(root, id("b"))[0], dataField(7));
  assert.equal(parent.querySelector("a"), null, "the link is gone");
  await window.happyDOM.waitUntilComplete();
  assert.deepEqual(revoked, [made[0].url], "then revoked");
  assert.equal(status(), "Saved autograd-graph.svg");
});

test("Export PNG: the injected toPng gets the SVG and the size at 2×, and its blob is downloaded as autograd-graph.png", async () => {
  /** @type {{svg: string, size: any, view: any}[]} */
  const calls = [];
  const png = { blob: /** @type {Blob | null} */ (null) };
  const toPng = async (/** @type {string} */ svg, /** @type {any} */ size, /** @type {any} */ view) => {
    calls.push({ svg, size, view });
    png.blob = new view.Blob(["PNG bytes"], { type: "image/png" });
    return png.blob;
  };
  const { window, canvas, made, clicks, button, status, revoked } = mounted({ toPng });
  button("Export PNG").click();
  await window.happyDOM.waitUntilComplete();
  assert.equal(calls.length, 1);
  assert.equal(calls[0].svg, standaloneSvg(canvas));
  assert.equal(calls[0].view, window);
  assert.deepEqual(calls[0].size, { width: 882 * (4 / 3), height: 301 * (4 / 3), scale: 2 });
  assert.equal(clicks.length, 1);
  assert.equal(clicks[0].download, PNG_FILE);
  assert.equal(PNG_FILE, "autograd-graph.png");
  assert.equal(made.at(-1)?.blob, png.blob);
  assert.equal(made.at(-1)?.url, clicks[0].href);
  assert.deepEqual(revoked, [clicks[0].href]);
  assert.equal(status(), "Saved autograd-graph.png");
});

test("Export PNG that fails says why, downloads nothing", async () => {
  const { window, clicks, button, status } = mounted({
    toPng: async () => {
      throw new Error("no canvas here");
    },
  });
  button("Export PNG").click();
  await window.happyDOM.waitUntilComplete();
  assert.equal(clicks.length, 0);
  assert.equal(status(), "PNG export failed: no canvas here");
});

test("the default PNG path in happy-dom, which has no canvas: an error in the status line, not silence", async () => {
  const { window, clicks, button, status } = mounted();
  assert.equal(window.document.createElement("canvas").getContext("2d"), null, "happy-dom draws nothing");
  button("Export PNG").click();
  await window.happyDOM.waitUntilComplete();
  assert.equal(clicks.length, 0);
  assert.equal(status(), "PNG export failed: this browser cannot draw on a canvas");
});

test("svgToPng: an Image of the SVG from a blob: URL, drawn at the scale on a canvas, toBlob'd as PNG", async () => {
  const window = /** @type {any} */ (newWindow());
  /** @type {any[][]} */
  const log = [];
  const fake = {
    scale: (/** @type {number} */ x, /** @type {number} */ y) => log.push(["scale", x, y]),
    drawImage: (/** @type {any[]} */ ...a) => log.push(["drawImage", ...a]),
  };
  window.HTMLCanvasElement.prototype.getContext = function (/** @type {string} */ kind) {
    log.push(["getContext", kind, this.width, this.height]);
    return fake;
  };
  /** @param {BlobCallback} cb @param {string} type */
  window.HTMLCanvasElement.prototype.toBlob = function (cb, type) {
    log.push(["toBlob", type]);
    cb(new window.Blob(["png"], { type }));
  };
  /** @type {{url: string, blob: Blob}[]} */
  const made = [];
  /** @type {string[]} */
  const revoked = [];
  const { createObjectURL } = window.URL;
  window.URL.createObjectURL = (/** @type {Blob} */ blob) => {
    const url = createObjectURL.call(window.URL, blob);
    made.push({ url, blob });
    return url;
  };
  window.URL.revokeObjectURL = (/** @type {string} */ url) => revoked.push(url);
  /** @type {any[]} */
  const images = [];
  window.Image = class {
    set src(/** @type {string} */ url) {
      images.push(this);
      this.url = url;
      queueMicrotask(() => /** @type {any} set by svgToPng */ (this).onload());
    }
  };
  const blob = await svgToPng("<svg/>", { width: 100, height: 40, scale: 2 }, window);
  assert.equal(blob.type, "image/png");
  assert.deepEqual(log[0], ["getContext", "2d", 200, 80], "a canvas twice the size");
  assert.deepEqual(log[1], ["scale", 2, 2]);
  assert.deepEqual(log[2], ["drawImage", images[0], 0, 0, 100, 40]);
  assert.deepEqual(log[3], ["toBlob", "image/png"]);
  assert.equal(images[0].url, made[0].url);
  assert.match(made[0].url, /^blob:/);
  assert.equal(await made[0].blob.text(), "<svg/>");
  assert.match(made[0].blob.type, /^image\/svg\+xml/);
  assert.deepEqual(revoked, [made[0].url], "the image's URL revoked once drawn");
  // an SVG the browser cannot render: rejected, the URL revoked all the same
  window.Image = class {
    set src(/** @type {string} */ url) {
      queueMicrotask(() => /** @type {any} set by svgToPng */ (this).onerror());
    }
  };
  await assert.rejects(svgToPng("<svg/>", { width: 1, height: 1, scale: 2 }, window), /could not render/);
  assert.equal(revoked.length, 2);
});

test("pngScale: 2× unless the canvas would be too big to draw", () => {
  assert.equal(pngScale(1176, 401), 2);
  assert.equal(pngScale(20000, 1000), 16384 / 20000);
  assert.ok(Math.abs(pngScale(6000, 6000) - 8192 / 6000) < 1e-12, "area: 8192² at most");
});

test("no drawing: the status says so and nothing is downloaded", async () => {
  const { window, clicks, button, status } = mounted({ canvas: false, toPng: async () => assert.fail("not called") });
  button("Export SVG").click();
  assert.equal(status(), "No drawing to export.");
  button("Export PNG").click();
  await window.happyDOM.waitUntilComplete();
  assert.equal(clicks.length, 0);
  assert.equal(status(), "No drawing to export.");
});

test("destroy takes the buttons away", () => {
  const { parent, widget } = mounted();
  assert.equal(parent.querySelectorAll("button").length, 2);
  widget.destroy();
  assert.equal(parent.children.length, 0);
});
