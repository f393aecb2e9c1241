/* Chapter 02: the feature-map explorer. The padded input, the window of one output cell
 * and the output grid, for PyTorch's explicit padding, padding='same', TensorFlow's
 * 'SAME' and 'VALID', convolution or max pooling (the second implementation of
 * convlib.sizes.windows and convlib.widgets.sizes._state). */
import {COLOURS, cells, check, choice, explorer, fail, floorDiv, outline, slider, title}
  from "./core.js";
import {checkFits, convAxis, poolAxis} from "./shapes.js";

export const MODE_NAMES = {torch: "PyTorch, padding p", same: "PyTorch padding='same'",
  tf_same: "TensorFlow 'SAME'", tf_valid: "TensorFlow 'VALID'"};

/* One axis: padding before/after, output size o and the drawn extent. */
export function axisLayout(i, k, s, p, d, mode, op, ceil) {
  if (op === "pool" && mode !== "torch") {
    fail(`\`mode\`='${mode}' applies to convolution; pooling takes explicit padding`);
  }
  let o, before, after;
  if (mode === "torch") {
    before = after = p;
    o = op === "pool" ? poolAxis(i, k, s, p, d, ceil) : convAxis(i, k, s, p, d);
  } else if (mode === "same") {
    if (s !== 1) fail(`\`padding\`='same' needs stride 1, got stride=${s}`);
    const total = d * (k - 1);
    o = i; before = floorDiv(total, 2); after = total - before;
  } else if (mode === "tf_same") {
    o = Math.ceil(i / s);
    const total = Math.max((o - 1) * s + d * (k - 1) + 1 - i, 0);
    before = floorDiv(total, 2); after = total - before;
  } else {
    const kEff = d * (k - 1) + 1;
    checkFits(i, i, kEff, ", mode='VALID'");
    o = Math.ceil((i - kEff + 1) / s); before = after = 0;
  }
  const last = (o - 1) * s + d * (k - 1) + 1;
  return {i, k, s, d, before, after, o, extent: Math.max(before + i + after, last)};
}

export function compute(v) {
  const ceil = v.ceil_mode && v.op === "pool";
  const h = axisLayout(v.H, v.kH, v.stride, v.padding, v.dilation, v.mode, v.op, ceil);
  const w = axisLayout(v.W, v.kW, v.stride, v.padding, v.dilation, v.mode, v.op, ceil);
  const n = Math.min(v.window, h.o * w.o - 1);
  const j = [floorDiv(n, w.o), n % w.o];
  const win = [j[0] * h.s, j[0] * h.s + h.d * (h.k - 1), j[1] * w.s, j[1] * w.s + w.d * (w.k - 1)];
  return {h, w, j, shown: {output: [h.o, w.o], pads: [h.before, h.after, w.before, w.after],
                           cell: j, window: win}, indexMax: h.o * w.o - 1};
}

/* The output-size formula of one axis with its numbers filled in (the second
 * implementation of convlib.sizes.windows.formula_text). */
export function formulaText(a, name, mode, ceil) {
  const {i, k, s, d, o} = a, sub = `_${name}`, kEff = d * (k - 1) + 1;
  if (mode === "same") {
    return `o${sub} = i = ${i},  total pad = d·(k−1) = ${d}·(${k}−1) = ${d * (k - 1)}` +
           ` → ${a.before} before + ${a.after} after`;
  }
  if (mode === "tf_same") {
    return `o${sub} = ⌈${i} / ${s}⌉ = ${o},  total pad = max((${o}−1)·${s} + ${kEff} − ${i}, 0)` +
           ` = ${a.before + a.after} → ${a.before} + ${a.after}`;
  }
  if (mode === "tf_valid") return `o${sub} = ⌈(${i} − ${kEff} + 1) / ${s}⌉ = ${o}`;
  const p = a.before;
  if (ceil) {
    const head = `o${sub} = ⌈(${i} + 2·${p} − ${d}·(${k}−1) − 1) / ${s}⌉ + 1`;
    const plain = Math.ceil((i + 2 * p - d * (k - 1) - 1) / s) + 1;
    if (plain === o) return `${head} = ${o}`;
    return `${head} = ${plain};  but window ${plain - 1} would start at ${(plain - 1) * s}` +
           ` ≥ i + p = ${i + p}, in the right padding: drop it → o${sub} = ${o}`;
  }
  return `o${sub} = ⌊(${i} + 2·${p} − ${d}·(${k}−1) − 1) / ${s}⌋ + 1 = ${o}`;
}

function text(st, v) {
  const ceil = v.ceil_mode && v.op === "pool";
  return `${formulaText(st.h, "H", v.mode, ceil)}\n${formulaText(st.w, "W", v.mode, ceil)}`;
}

function draw(ctx, st, W, H) {
  const {h, w} = st;
  const rows = h.extent, cols = w.extent, gap = 40, top = 32;
  const cell = Math.min((W - gap - 20) / (cols + w.o), (H - top - 4) / Math.max(rows, h.o), 34);
  const [r0, r1, c0, c1] = st.shown.window;
  title(ctx, `padded input ${rows}×${cols}`, 10, 20);
  cells(ctx, 10, top, cell, rows, cols, (r, c) => {
    const inH = r >= h.before && r < h.before + h.i, inW = c >= w.before && c < w.before + w.i;
    const overH = r >= h.before + h.i + h.after, overW = c >= w.before + w.i + w.after;
    const tapped = r >= r0 && r <= r1 && (r - r0) % h.d === 0 &&
                   c >= c0 && c <= c1 && (c - c0) % w.d === 0;
    let colour = overH || overW ? "overhang" : inH && inW ? "input" : "pad";
    if (tapped) colour = colour === "input" ? "tap" : colour === "pad" ? "tap_pad" : "tap_overhang";
    return COLOURS[colour];
  });
  outline(ctx, 10 + c0 * cell, top + r0 * cell, (c1 - c0 + 1) * cell, (r1 - r0 + 1) * cell);
  const x0 = 10 + cols * cell + gap;
  title(ctx, `output ${h.o}×${w.o}`, x0, 20);
  cells(ctx, x0, top, cell, h.o, w.o,
        (r, c) => COLOURS[r === st.j[0] && c === st.j[1] ? "current" : "output"]);
}

export default explorer({
  name: "feature_map",
  controls: [slider("H", "H", 1, 12), slider("W", "W", 1, 12), slider("kH", "k_H", 1, 7),
    slider("kW", "k_W", 1, 7), slider("stride", "stride s", 1, 4),
    slider("padding", "padding p", 0, 3), slider("dilation", "dilation d", 1, 3),
    choice("mode", "padding convention", MODE_NAMES),
    choice("op", "operation", {conv: "convolution", pool: "max pool"}),
    check("ceil_mode", "ceil_mode (pool)"), slider("window", "output cell", 0, 1)],
  size: [720, 360], textLines: 2, compute, text, draw,
  limits: (st) => ({window: st.indexMax}),
});
