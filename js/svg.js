// The drawing as the page gets it: parsed from the `svg` trait (picture.py's compact SVG), plus the one
// pattern the drawing adds (a hatch for NaN and infinite grads).

export const SVG_NS = "http://www.w3.org/2000/svg";
const NODE = /^n\d+(op)?$/;
const CLUSTER = /^c\d+$/;

/**
 * Parse the `svg` trait (a whole SVG document) into an element of `doc`.
 * @param {Document} doc @param {string} text
 * @returns {SVGSVGElement}
 */
export function parseSvg(doc, text) {
  const view = /** @type {any} */ (doc.defaultView);
  const parsed = new view.DOMParser().parseFromString(text, "image/svg+xml").documentElement;
  if (parsed && parsed.localName === "svg" && parsed.namespaceURI === SVG_NS) {
    // The picture's own <style> serves viewers without widget.css; in the page its rules
    // would apply to every SVG, so widget.css styles the drawing instead.
    for (const style of parsed.querySelectorAll("style")) style.remove();
    // picture.py leaves out class="node" (bytes per node); the page's code and CSS find nodes by it
    // and an open box's cluster by class="cluster"; put it there too, should a drawing leave it out
    for (const g of parsed.querySelectorAll("g[id]")) {
      if (NODE.test(g.id)) g.classList.add("node");
      else if (CLUSTER.test(g.id)) g.classList.add("cluster");
    }
    return /** @type {SVGSVGElement} */ (doc.importNode(parsed, true));
  }
  throw new Error("the drawing is not valid SVG");
}

let patterns = 0;

/**
 * A hatch for NaN/inf grads, with an id no other widget on the page uses.
 * @param {SVGSVGElement} svg gets the pattern @param {ElementCSSInlineStyle} host gets --agw-hatch, for all it holds
 */
export function addHatch(svg, host) {
  const doc = svg.ownerDocument;
  const id = `agw-hatch-${++patterns}-${Math.random().toString(36).slice(2, 8)}`;
  /** @param {string} tag @param {Record<string, string>} attrs */
  const el = (tag, attrs) => {
    const e = doc.createElementNS(SVG_NS, tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    return e;
  };
  const pattern = el("pattern", {
    id,
    width: "6",
    height: "6",
    patternUnits: "userSpaceOnUse",
    patternTransform: "rotate(45)",
  });
  pattern.append(
    el("rect", { width: "6", height: "6", class: "agw-hatch-bg" }),
    el("rect", { width: "2.5", height: "6", class: "agw-hatch-line" }),
  );
  const defs = el("defs", {});
  defs.append(pattern);
  svg.prepend(defs);
  host.style.setProperty("--agw-hatch", `url(#${id})`);
}
