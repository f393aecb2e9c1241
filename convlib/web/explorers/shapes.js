/* Output sizes, the second implementation of convlib.sizes.shapes and
 * convlib.transposed (same formulas, same invalid messages), for every explorer:
 *   convolution  o = ⌊(i + 2p − d(k−1) − 1) / s⌋ + 1
 *   pooling      the same, with ceil_mode's ⌈·⌉ and its last-window rule
 *   transposed   o = (i−1)s − 2p + d(k−1) + op + 1 */
import {fail, floorDiv, pyBool} from "./core.js";

export function checkFits(i, padded, kEff, padText) {
  if (kEff > padded) {
    fail(`\`kernel_size\` too large: effective kernel ${kEff} is larger than the padded ` +
         `input ${padded} (input_size=${i}${padText})`);
  }
}
export function convAxis(i, k, s, p, d) {
  const kEff = d * (k - 1) + 1;
  checkFits(i, i + 2 * p, kEff, `, padding=${p}`);
  return floorDiv(i + 2 * p - kEff, s) + 1;
}
export function poolAxis(i, k, s, p, d, ceil) {
  const kEff = d * (k - 1) + 1;
  if (p > floorDiv(k, 2)) {
    fail(`\`padding\` must be at most half the kernel size, got padding=${p}, kernel_size=${k}`);
  }
  let o = floorDiv(i + 2 * p - kEff + (ceil ? s - 1 : 0), s) + 1;
  if (ceil && (o - 1) * s >= i + p) o -= 1;
  if (o < 1) checkFits(i, i + 2 * p, kEff, `, padding=${p}, ceil_mode=${pyBool(ceil)}`);
  return o;
}
export function convTransposeAxis(i, k, s, p, op, d) {
  const kEff = d * (k - 1) + 1;
  if (op >= s && op >= d) {
    fail(`\`output_padding\` must be smaller than stride or dilation, got ` +
         `output_padding=${op}, stride=${s}, dilation=${d}`);
  }
  const o = (i - 1) * s - 2 * p + kEff + op;
  if (o < 1) {
    fail(`\`padding\`=${p} too large: output size would be ${o} ((i-1)s - 2p + d(k-1) + op + 1 ` +
         `with i=${i}, s=${s}, k_eff=${kEff}, op=${op})`);
  }
  return o;
}

/* Counts (chapter 05's groups and separable explorers), as convlib checks and prints them:
 * convlib._validate.positive_int's message, Python's f"{n:,}" and f"{x:.Nf}" (ties to even,
 * as Python rounds an exact binary tie such as 0.03125). */
export function positiveInt(name, value) {
  if (!Number.isInteger(value) || value < 1) fail(`\`${name}\` must be a positive int, got ${value}`);
  return value;
}
export const thousands = (n) => n.toLocaleString("en-US");
export function pyFixed(x, digits) {
  const s = x.toFixed(digits), scaled = x * 10 ** digits;
  if (Math.abs(scaled - Math.trunc(scaled)) !== 0.5) return s;
  const even = Math.trunc(scaled) % 2 === 0 ? Math.trunc(scaled) : Math.trunc(scaled) + Math.sign(scaled);
  return (even / 10 ** digits).toFixed(digits);
}
