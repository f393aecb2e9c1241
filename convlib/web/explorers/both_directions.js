/* Chapter 03: both directions of one convolution matrix. A square convolution (i, k, s,
 * p, d) is y = C x; its transpose (same k, s, p, d, output_padding = (i + 2p − d(k−1) − 1)
 * mod s) is x' = Cᵀ y. Call the operator A (C in conv mode, Cᵀ in transposed mode): an
 * output reads the inputs of its row of A; an input feeds the outputs of its column of A,
 * which is also A applied to a one-hot input (the scatter) and autograd's gradient through
 * the other direction. The picture: A's input grid, A as a matrix (rows: outputs, columns:
 * inputs), A's output grid; the numbers are the kernel weights 1…k² on the selected
 * row or column. The second implementation of convlib.transposed.directions
 * (directions_view, input_reach, directions_text). */
import {COLOURS, FONT, cells, choice, explorer, fail, floorDiv, label, outline, pyBool, slider,
  title} from "./core.js";
import {convAxis} from "./shapes.js";

export const MODES = {conv: "conv (C)", transposed: "transposed (Cᵀ)"};
export const SELECTIONS = {output: "an output (a row)", input: "an input (a column)"};

function oneOf(name, value, options) {
  const names = Object.keys(options);
  if (!names.includes(value)) {
    fail(`\`${name}\` must be one of (${names.map((n) => `'${n}'`).join(", ")}), got '${value}'`);
  }
  return value;
}

/* Where tap t = ky·k + kx of output (a, b) reads, or -1 in the padding. */
const tapPosition = (c, a, b, ky, kx) => {
  const y = a * c.s - c.p + ky * c.d, x = b * c.s - c.p + kx * c.d;
  return y >= 0 && y < c.i && x >= 0 && x < c.i ? y * c.i + x : -1;
};

/* The convolution matrix C as tap ids (-1: zero): o² rows, i² columns
 * (convlib.transposed.layout.conv_matrix_taps). */
export function convMatrixTaps(c) {
  const rows = [];
  for (let a = 0; a < c.o; a++) {
    for (let b = 0; b < c.o; b++) {
      const row = new Array(c.i * c.i).fill(-1);
      for (let ky = 0; ky < c.k; ky++) {
        for (let kx = 0; kx < c.k; kx++) {
          const q = tapPosition(c, a, b, ky, kx);
          if (q >= 0) row[q] = ky * c.k + kx;
        }
      }
      rows.push(row);
    }
  }
  return rows;
}

const transpose = (m) => m[0].map((_, j) => m.map((row) => row[j]));

/* Every tap of the operator: output y = a·o + b reads input x (a flat index; x < 0 is
 * padding, skipped) through weight wt = ky·k + kx + 1 (distinct and positive: nothing
 * cancels). */
function forEachTap(c, visit) {
  for (let a = 0; a < c.o; a++) {
    for (let b = 0; b < c.o; b++) {
      for (let ky = 0; ky < c.k; ky++) {
        for (let kx = 0; kx < c.k; kx++) {
          const x = tapPosition(c, a, b, ky, kx);
          if (x >= 0) visit(x, a * c.o + b, ky * c.k + kx + 1);
        }
      }
    }
  }
}

/* The operator run on a vector: conv2d gathers each output from its window (x -> y, i² ->
 * o²); conv_transpose2d scatters each input through the kernel (y -> x, o² -> i²). */
export function applyOperator(c, vec, transposed) {
  const out = new Array(transposed ? c.i * c.i : c.o * c.o).fill(0);
  forEachTap(c, (x, y, wt) => {
    if (transposed) out[x] += wt * vec[y]; else out[y] += wt * vec[x];
  });
  return out;
}

const oneHot = (n, q) => Array.from({length: n}, (_, m) => (m === q ? 1 : 0));

/* Reverse mode through the operator: the gradient of <seed, operator(vec)> with respect to
 * vec. Every forward step `out[t] += w·vec[u]` sends w·seed[t] back to u. */
export function backward(c, seed, transposed) {
  const grad = new Array(transposed ? c.o * c.o : c.i * c.i).fill(0);
  forEachTap(c, (x, y, wt) => {
    if (transposed) grad[y] += wt * seed[x]; else grad[x] += wt * seed[y];
  });
  return grad;
}

/* Column q of the operator A three ways (convlib's input_reach): read off the matrix, A
 * applied to a one-hot input (the scatter), and the gradient of output q of the other
 * direction Aᵀ with respect to its input (reverse mode, as autograd does). All three are
 * flat over A's output grid. */
export function inputReach(c, A, transposed, q) {
  const nIn = A[0].length, nOut = A.length;
  const column = A.map((row) => (row[q] >= 0 ? row[q] + 1 : 0));
  const scatter = applyOperator(c, oneHot(nIn, q), transposed);
  const gradient = backward(c, oneHot(nIn, q), !transposed);
  const same = (u, v) => u.length === v.length && u.every((value, n) => value === v[n]);
  return {column, scatter, gradient, agree: same(column, scatter) && same(column, gradient)};
}

const reshape = (flat, cols) => Array.from({length: flat.length / cols},
  (_, r) => flat.slice(r * cols, (r + 1) * cols));

export function compute(v) {
  const mode = oneOf("mode", v.mode, MODES), select = oneOf("select", v.select, SELECTIONS);
  const {input_size: i, kernel_size: k, stride: s, padding: p, dilation: d} = v;
  if (!Number.isInteger(k) || k < 1) fail(`\`kernel_size\` must be a positive int, got ${k}`);
  const o = convAxis(i, k, s, p, d);
  const c = {i, k, s, p, d, o}, transposed = mode === "transposed";
  const C = convMatrixTaps(c), A = transposed ? transpose(C) : C;
  const op = (((i + 2 * p - d * (k - 1) - 1) % s) + s) % s;
  const inShape = transposed ? [o, o] : [i, i], outShape = transposed ? [i, i] : [o, o];
  const grid = select === "output" ? outShape : inShape;
  const index = Math.min(Math.max(Math.trunc(v.cell), 0), grid[0] * grid[1] - 1);
  const nIn = inShape[0] * inShape[1], nOut = outShape[0] * outShape[1];
  let inMask, outMask, weights, reach = null;
  if (select === "output") {
    weights = A[index];
    inMask = weights.map((t) => t >= 0);
    outMask = Array.from({length: nOut}, (_, n) => n === index);
  } else {
    weights = A.map((row) => row[index]);
    inMask = Array.from({length: nIn}, (_, n) => n === index);
    outMask = weights.map((t) => t >= 0);
    reach = inputReach(c, A, transposed, index);
  }
  return {mode, select, k, inShape, outShape, A, index, inMask, outMask, weights, op, reach,
          indexMax: grid[0] * grid[1] - 1,
          shown: {mode, select, in_shape: inShape, out_shape: outShape, matrix: [nOut, nIn],
                  index, in_mask: reshape(inMask, inShape[1]),
                  out_mask: reshape(outMask, outShape[1]), weights, output_padding: op,
                  agree: reach ? reach.agree : null}};
}

function text(st) {
  const name = st.mode === "transposed" ? "Cᵀ" : "C";
  const [ih, iw] = st.inShape, [oh, ow] = st.outShape;
  const head = `${st.mode} ${ih}×${iw} → ${oh}×${ow} (matrix ${name}: ${oh * ow}×${ih * iw})` +
    (st.mode === "transposed" ? `, output_padding=${st.op}` : "");
  const count = (mask) => mask.filter(Boolean).length;
  if (st.select === "output") {
    return `${head}\noutput (${floorDiv(st.index, ow)}, ${st.index % ow}) reads ` +
      `${count(st.inMask)} inputs: row ${st.index} of ${name}`;
  }
  const via = st.mode === "transposed" ? "conv_transpose2d(one-hot) = autograd dy/dx of the conv"
    : "conv2d(one-hot) = autograd of Cᵀ";
  return `${head}\ninput (${floorDiv(st.index, iw)}, ${st.index % iw}) feeds ` +
    `${count(st.outMask)} outputs: column ${st.index} of ${name} = ${via}: ${pyBool(st.reach.agree)}`;
}

/* One grid of the operator: `mask` cells orange, the selected cell outlined, and the
 * weights on the selected row or column written where the cells are large enough. */
function grid(ctx, box, shape, mask, base, numbers, selected) {
  const [rows, cols] = shape;
  const cell = Math.min(box.w / cols, box.h / rows, 34);
  cells(ctx, box.x, box.y, cell, rows, cols,
        (r, c) => (mask[r * cols + c] ? COLOURS.tap : COLOURS[base]));
  if (numbers && cell >= 24) {
    numbers.forEach((t, n) => {
      if (t >= 0) label(ctx, String(t + 1), box.x + (n % cols + 0.5) * cell,
                        box.y + (floorDiv(n, cols) + 0.5) * cell);
    });
  }
  if (selected !== null) {
    outline(ctx, box.x + (selected % cols) * cell, box.y + floorDiv(selected, cols) * cell,
            cell, cell);
  }
}

/* The operator's matrix, stretched to its box (cells at most 3 times wider than tall):
 * weights vermilion, the selected row or column tinted, its weights orange. */
function matrix(ctx, box, st) {
  const A = st.A, rows = A.length, cols = A[0].length, byRow = st.select === "output";
  let cw = Math.min(box.w / cols, 34), ch = Math.min(box.h / rows, 34);
  cw = Math.min(cw, 3 * ch); ch = Math.min(ch, 3 * cw);
  const x = box.x + (box.w - cw * cols) / 2;
  const inBand = (r, c) => (byRow ? r === st.index : c === st.index);
  ctx.save();
  ctx.translate(x, box.y);
  ctx.scale(cw, ch);
  cells(ctx, 0, 0, 1, rows, cols, (r, c) => {
    const on = A[r][c] >= 0;
    if (inBand(r, c)) return on ? COLOURS.tap : COLOURS.tap_overhang;
    return on ? COLOURS.kernel : COLOURS.overhang;
  });
  ctx.restore();
  ctx.strokeStyle = COLOURS.line;
  ctx.lineWidth = 1;
  ctx.strokeRect(x, box.y, cw * cols, ch * rows);
  if (byRow) outline(ctx, x, box.y + st.index * ch, cw * cols, ch);
  else outline(ctx, x + st.index * cw, box.y, cw, ch * rows);
}

function draw(ctx, st, W, H) {
  const top = 40, side = 200, gap = 28, h = H - top - 40;
  const left = {x: 10, y: top, w: side, h}, right = {x: W - 10 - side, y: top, w: side, h};
  const middle = {x: left.x + side + gap, y: top + 26, w: W - 20 - 2 * (side + gap), h: h - 26};
  const [ih, iw] = st.inShape, [oh, ow] = st.outShape, byRow = st.select === "output";
  const name = st.mode === "transposed" ? "Cᵀ" : "C";
  title(ctx, `input ${ih}×${iw}`, left.x, 22);
  title(ctx, `${name}: ${oh * ow}×${ih * iw}`, middle.x, 22);
  label(ctx, "rows: outputs · columns: inputs", middle.x + middle.w / 2, top + 8);
  title(ctx, `output ${oh}×${ow}`, right.x, 22);
  grid(ctx, left, st.inShape, st.inMask, "input", byRow ? st.weights : null,
       byRow ? null : st.index);
  matrix(ctx, middle, st);
  grid(ctx, right, st.outShape, st.outMask, "output", byRow ? null : st.weights,
       byRow ? st.index : null);
  const what = byRow ? "the inputs the outlined output reads" : "the outputs the outlined input feeds";
  const weights = st.k === 1 ? "the weight (1)" : `the weights (1…${st.k * st.k})`;
  label(ctx, `orange: ${what}; numbers: ${weights} between them`, W / 2, H - 16);
}

export default explorer({
  name: "both_directions",
  controls: [choice("mode", "mode", MODES), choice("select", "select", SELECTIONS),
    slider("input_size", "conv input i", 1, 7), slider("kernel_size", "kernel k", 1, 4),
    slider("stride", "stride s", 1, 3), slider("padding", "padding p", 0, 3),
    slider("dilation", "dilation d", 1, 2), slider("cell", "cell", 0, 1)],
  groups: [["", ["mode", "select", "cell"]]],
  size: [800, 440], textLines: 3, compute, text, draw,
  limits: (st) => ({cell: st.indexMax}),
});
