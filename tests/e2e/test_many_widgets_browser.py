"""Several widgets on one page (the tour shows five): anywidget loads the bundle once per
widget, so ids must be unique across widgets, and every ``<label for>``, ``aria-describedby``
and ``aria-controls`` must point into the label's own widget — else clicking "Learning rate"
under one widget focused the first widget's box, and screen readers named the wrong inputs.
"""

from __future__ import annotations

import pytest
from graphs import LABELLED_NEURON_CODE

pytestmark = pytest.mark.e2e

REFERENCES = """() => {
  // the controls' ids (the drawing's own g#n3 ids repeat per widget and are looked up inside it)
  const ids = [...document.querySelectorAll('.agw [id]')].filter(e => !e.closest('svg')).map(e => e.id);
  const dup = ids.filter((id, i) => ids.indexOf(id) !== i);
  const wrong = [];
  for (const [selector, attr] of [['label[for]', 'for'], ['[aria-describedby]', 'aria-describedby'],
                                  ['[aria-controls]', 'aria-controls']]) {
    for (const el of document.querySelectorAll(`.agw ${selector}`)) {
      for (const id of el.getAttribute(attr).split(/\\s+/)) {
        const target = document.getElementById(id);
        if (!target || target.closest('.agw') !== el.closest('.agw')) wrong.push(`${attr}=${id}`);
      }
    }
  }
  return {count: ids.length, dup, wrong};
}"""


def test_ids_are_unique_and_labels_name_their_own_widget_s_inputs(open_notebook, page):
    show = LABELLED_NEURON_CODE + "from autograd_widget import GraphWidget\nGraphWidget(o)"
    open_notebook([show, show])
    page.locator(".agw").nth(1).locator('input[type="range"][aria-label="w1"]').wait_for()
    assert page.locator(".agw").count() == 2
    found = page.evaluate(REFERENCES)
    assert found["count"] >= 2 * 8, found  # per widget: 5 sliders' error lines, find, nudge, quiz
    assert found["dup"] == [] and found["wrong"] == [], found

    # a person clicks the second widget's "Learning rate": its own box takes the focus
    second = page.locator(".agw").nth(1)
    second.get_by_text("Learning rate", exact=True).click()
    assert page.evaluate("() => document.activeElement.closest('.agw') === document.querySelectorAll('.agw')[1]")
    assert second.get_by_label("Learning rate").count() == 1
