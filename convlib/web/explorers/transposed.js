/* Chapter 03: the transposed-convolution explorer. The stretched input (zeros inserted
 * between values, padded by d(k−1) − p), the window of one output cell, and how many input
 * values each output window holds (the second implementation of convlib.transposed.layout). */
import {COLOURS, cells, explorer, floorDiv, heat, label, outline, slider, title} from "./core.js";
import {convTransposeAxis} from "./shapes.js";

/* One axis of the stretched input: which positions hold a value, and per output cell the
 * number of values its window meets. */
export function transposedAxis(i, k, s, p, op, d) {
  const o = convTransposeAxis(i, k, s, p, op, d);
  const kEff = d * (k - 1) + 1, spread = (i - 1) * s + 1, before = kEff - 1 - p;
  const after = before + op, extent = spread + Math.max(before, 0) + Math.max(after, 0);
  const firstActive = Math.max(-before, 0);
  const isValue = new Array(extent).fill(false);
  for (let n = 0; n < i; n++) isValue[Math.max(before, 0) + n * s] = true;
  const counts = [];
  for (let j = 0; j < o; j++) {
    let c = 0;
    for (let t = 0; t < k; t++) c += isValue[firstActive + j + t * d] ? 1 : 0;
    counts.push(c);
  }
  return {i, k, s, p, op, d, o, spread, before, after, extent, firstActive, isValue, counts};
}

export function compute(v) {
  const a = transposedAxis(v.input_size, v.kernel_size, v.stride, v.padding,
                           v.output_padding, v.dilation);
  const n = Math.min(Math.max(v.cell, 0), a.o * a.o - 1);
  const j = [floorDiv(n, a.o), n % a.o];
  const span = a.d * (a.k - 1);
  const win = [a.firstActive + j[0], a.firstActive + j[0] + span,
               a.firstActive + j[1], a.firstActive + j[1] + span];
  return {a, j, shown: {output: a.o, stretched: a.extent, cell: j, window: win,
                        values_in_window: a.counts[j[0]] * a.counts[j[1]]},
          indexMax: a.o * a.o - 1};
}

function text(st) {
  const a = st.a, n = st.shown.values_in_window;
  return `o = (i−1)·s − 2p + d·(k−1) + op + 1 = (${a.i}−1)·${a.s} − 2·${a.p} + ` +
         `${a.d}·(${a.k}−1) + ${a.op} + 1 = ${a.o}\n` +
         `output cell (${st.j[0]}, ${st.j[1]}): its ${a.k}×${a.k} window holds ${n} input ` +
         `value(s), ${a.k * a.k - n} zero(s)`;
}

function draw(ctx, st, W, H) {
  const a = st.a, n = a.extent, o = a.o, gap = 40, top = 32;
  const cell = Math.min((W - gap - 20) / (n + o), (H - top - 4) / Math.max(n, o), 34);
  const [r0, r1, c0, c1] = st.shown.window;
  const cat = (x) => {
    if (a.before < 0 && x < -a.before) return "cropped";
    if (a.after < 0 && x >= n + a.after) return "cropped";
    if (a.isValue[x]) return "value";
    const lo = Math.max(a.before, 0);
    return x >= lo && x < lo + a.spread ? "zero" : "pad";
  };
  const fill = {value: COLOURS.input, zero: COLOURS.overhang, pad: COLOURS.pad, cropped: "#f2bfc8"};
  title(ctx, `stretched input ${n}×${n}`, 10, 20);
  cells(ctx, 10, top, cell, n, n, (r, c) => {
    const cr = cat(r), cc = cat(c);
    const kind = cr === "cropped" || cc === "cropped" ? "cropped" :
      cr === "value" && cc === "value" ? "value" : cr === "pad" || cc === "pad" ? "pad" : "zero";
    const tapped = r >= r0 && r <= r1 && (r - r0) % a.d === 0 && c >= c0 && c <= c1 &&
                   (c - c0) % a.d === 0;
    return tapped ? (kind === "value" ? COLOURS.tap : COLOURS.tap_pad) : fill[kind];
  });
  outline(ctx, 10 + c0 * cell, top + r0 * cell, (c1 - c0 + 1) * cell, (r1 - r0 + 1) * cell);
  const x0 = 10 + n * cell + gap;
  title(ctx, `output ${o}×${o}: values per window`, x0, 20);
  const most = Math.max(1, Math.max(...a.counts) ** 2);
  cells(ctx, x0, top, cell, o, o, (r, c) => heat(a.counts[r] * a.counts[c] / most));
  if (cell >= 24) {
    for (let r = 0; r < o; r++) {
      for (let c = 0; c < o; c++) {
        label(ctx, String(a.counts[r] * a.counts[c]), x0 + (c + 0.5) * cell, top + (r + 0.5) * cell);
      }
    }
  }
  outline(ctx, x0 + st.j[1] * cell, top + st.j[0] * cell, cell, cell, COLOURS.tap);
}

export default explorer({
  name: "transposed",
  controls: [slider("input_size", "input i", 1, 6), slider("kernel_size", "kernel k", 1, 5),
    slider("stride", "stride s", 1, 4), slider("padding", "padding p", 0, 4),
    slider("output_padding", "output_padding", 0, 3), slider("dilation", "dilation d", 1, 3),
    slider("cell", "output cell", 0, 1)],
  size: [800, 440], textLines: 2, compute, text, draw,
  limits: (st) => ({cell: st.indexMax}),
});
