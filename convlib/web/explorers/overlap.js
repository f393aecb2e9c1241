/* Chapter 03: the overlap (checkerboard) explorer. A square transposed convolution with
 * padding 0 and dilation 1: input n writes its k taps to outputs n·s … n·s + k − 1, so
 * output j gets #{(n, m) : n·s + m = j} of them; the 2-D map is the outer product of the
 * counts along one axis, and it is even inside exactly when s divides k (the second
 * implementation of convlib.transposed.layout.overlap_view and overlap_text). */
import {COLOURS, FONT, cells, explorer, heat, slider, title} from "./core.js";
import {positiveInt} from "./shapes.js";

/* Taps per output along one axis: length (i − 1)·s + k (convlib.overlap_counts). */
export function overlapAxis(k, s, i) {
  const counts = new Array((i - 1) * s + k).fill(0);
  for (let n = 0; n < i; n++) for (let m = 0; m < k; m++) counts[n * s + m] += 1;
  return counts;
}

export function compute(v) {
  const k = positiveInt("kernel_size", v.kernel_size), s = positiveInt("stride", v.stride);
  const i = positiveInt("input_size", v.input_size);
  const axis = overlapAxis(k, s, i);
  const counts = axis.map((a) => axis.map((b) => a * b));
  const uneven = k % s !== 0;
  const present = [...new Set(counts.flat())].sort((a, b) => a - b);
  return {k, s, i, axis, counts, present, most: present[present.length - 1],
          shown: {size: axis.length, axis, counts, uneven}};
}

function text(st) {
  const verdict = st.shown.uneven ? "uneven: checkerboard (s does not divide k)"
    : "even inside (s divides k)";
  return `k=${st.k}, s=${st.s}: counts along one axis ${st.axis.join(" ")}; ${verdict}`;
}

/* A number centred in a cell, white on the dark end of the heat scale. */
function cellNumber(ctx, value, x, y, dark) {
  ctx.fillStyle = dark ? COLOURS.overhang : COLOURS.text;
  ctx.font = FONT.label;
  ctx.textAlign = "center";
  ctx.textBaseline = "middle";
  ctx.fillText(String(value), x, y);
}

/* The key: one swatch per count that occurs in the map. */
function key(ctx, st, x, top, bottom) {
  title(ctx, "taps", x, top - 12);
  const step = Math.min(26, (bottom - top) / st.present.length), box = Math.min(20, step - 3);
  st.present.forEach((value, n) => {
    const y = top + n * step;
    ctx.fillStyle = heat(value / st.most);
    ctx.fillRect(x, y, box, box);
    ctx.strokeStyle = COLOURS.line;
    ctx.lineWidth = 1;
    ctx.strokeRect(x, y, box, box);
    ctx.fillStyle = COLOURS.text;
    ctx.font = FONT.label;
    ctx.textAlign = "left";
    ctx.textBaseline = "middle";
    ctx.fillText(String(value), x + box + 8, y + box / 2);
  });
}

function draw(ctx, st, W, H) {
  const n = st.shown.size, top = 40, left = 10;
  const cell = Math.min((W - 120) / n, (H - top - 8) / n, 34);
  title(ctx, `taps per output, ${n}×${n} (k=${st.k}, s=${st.s}, i=${st.i})`, left, 22);
  cells(ctx, left, top, cell, n, n, (r, c) => heat(st.counts[r][c] / st.most));
  if (cell >= 24) {
    for (let r = 0; r < n; r++) {
      for (let c = 0; c < n; c++) {
        const value = st.counts[r][c];
        cellNumber(ctx, value, left + (c + 0.5) * cell, top + (r + 0.5) * cell,
                   value / st.most > 0.6);
      }
    }
  }
  key(ctx, st, left + n * cell + 24, top + 12, H - 8);
}

export default explorer({
  name: "overlap",
  controls: [slider("kernel_size", "kernel k", 1, 7), slider("stride", "stride s", 1, 4),
    slider("input_size", "input i", 1, 5)],
  size: [560, 400], textLines: 2, compute, text, draw,
});
