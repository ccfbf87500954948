// @ts-check
/**
 * The math kit, bundled on its own into helpers/js/dist/mathkit.js (a classic script, loaded
 * late by kit.js): MathLive's <math-field> (it speaks the formula, and shows a math keyboard on
 * phones) and the Compute Engine's LaTeX-to-MathJSON reader (its 0.4 MB `latex-syntax` part,
 * not the 3.4 MB engine: formula.js evaluates what it reads). Fonts sit beside the script in
 * fonts/; no sounds.
 */
import { parse } from "@cortex-js/compute-engine/latex-syntax";
import { MathfieldElement } from "mathlive";

const script = /** @type {HTMLScriptElement | null} */ (document.currentScript);
MathfieldElement.fontsDirectory = script?.src ? new URL("fonts/", script.src).href : null;
MathfieldElement.soundsDirectory = null;
/** @type {any} */ (globalThis)[Symbol.for("cross-entropy-derivatives.mathkit")] = { parse, MathfieldElement };
