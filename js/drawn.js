// How the drawing's markup (drawing.to_dot's elements) is read: the ids that name a node's
// groups and an open box's cluster, and a field's text node. Shared by patch.js,
// layer-boxes.js and tooltip.js, which each find elements by these ids, never by order.

/** A node's record n{i}, or its op node n{i}op. */
export const NODE_ID = /^n(\d+)(op)?$/;
/** An open box's cluster c{i}. */
export const CLUSTER_ID = /^c(\d+)$/;

/**
 * A field's text node, to write through Text.data: setting textContent would replace
 * the node, and the browser rebuild its layout object, on every write.
 * @param {Element} el @returns {Text}
 */
export function textNode(el) {
  const t = el.firstChild;
  if (t && t.nodeType === 3 && !t.nextSibling) return /** @type {Text} */ (t);
  const text = el.ownerDocument.createTextNode(el.textContent || "");
  el.replaceChildren(text);
  return text;
}
