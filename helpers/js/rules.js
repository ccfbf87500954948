// @ts-check
// rules.js: the spec's rules, as the browser applies them (helpers.overlay.Overlay._apply_rules
// is the kernel's copy; tests/test_js.py runs both on the same cases).

import { snap } from "./descent.js";
import { save } from "./kernel.js";

/**
 * follow: a slider (the hand) moves a point; on_change: a dropdown sets other inputs.
 * @param {import("./kernel.js").Model} model
 */
export function applyRules(model) {
  const rules = model.get("spec").rules ?? {};
  const inputs = model.get("spec").inputs;
  for (const [hand, target] of Object.entries(rules.follow ?? {})) {
    // The slider moved: the point goes there, unless it already sits between the same
    // two grid points (a Step put it there exactly, and the slider shows it rounded).
    model.on(`change:${hand}`, () => {
      if (Math.abs(snap(inputs[hand], model.get(target)) - model.get(hand)) > 1e-9) {
        model.set(target, model.get(hand));
        save(model);
      }
    });
  }
  for (const [source, targets] of Object.entries(rules.on_change ?? {})) {
    model.on(`change:${source}`, () => {
      for (const [target, choices] of Object.entries(/** @type {Record<string, number[]>} */ (targets))) {
        model.set(target, choices[model.get(source)]);
      }
      save(model);
    });
  }
}
