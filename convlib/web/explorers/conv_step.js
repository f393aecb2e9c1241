/* Chapter 01: the step-through explorer. One output value at a time of a one-channel
 * convolution: the padded input with the window of the current output cell, the kernel,
 * the products window × kernel, and the output map filled so far; the text line writes
 * out the sum, the bias and the activation (the second implementation of
 * convlib.convolution.stepping.conv_step, ConvStep.equation and
 * convlib.sizes.windows.formula_text). The image `x` and the kernel `weight` are fixed
 * data (nested lists); `max_stride` and `max_padding` set the two sliders' ranges. */
import {COLOURS, FONT, cells, choice, explorer, floorDiv, label, outline, slider, title}
  from "./core.js";
import {convAxis} from "./shapes.js";

/* A number as Python's f"{v:g}" writes it (6 significant digits, no "-0"). */
export function fmtG(v) {
  v += 0;
  if (v === 0) return "0";
  if (!Number.isFinite(v)) return Number.isNaN(v) ? "nan" : v > 0 ? "inf" : "-inf";
  const [mant, ex] = v.toExponential(5).split("e");
  const e = Number(ex);
  if (e < -4 || e >= 6) {
    const m = mant.includes(".") ? mant.replace(/0+$/, "").replace(/\.$/, "") : mant;
    return `${m}e${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
  }
  return String(Number(v.toPrecision(6)));
}
/* A term of the equation: negatives in brackets (stepping._num). */
const term = (v) => { const t = fmtG(v); return t.startsWith("-") ? `(${t})` : t; };

/* The whole output map before and after the activation, and step `step`'s window. */
export function convStep(x, w, bias, stride, padding, step, activation) {
  const h = x.length, wd = x[0].length, kh = w.length, kw = w[0].length;
  const oh = convAxis(h, kh, stride, padding, 1), ow = convAxis(wd, kw, stride, padding, 1);
  const at = (r, c) => {  // the padded input
    const rr = r - padding, cc = c - padding;
    return rr >= 0 && rr < h && cc >= 0 && cc < wd ? x[rr][cc] : 0;
  };
  const act = activation === "relu" ? (v) => Math.max(v, 0) : (v) => v;
  const n = Math.min(Math.max(step, 0), oh * ow - 1);
  const output = [];
  let products = null;
  for (let r = 0; r < oh; r++) {
    const row = [];
    for (let c = 0; c < ow; c++) {
      const prod = w.map((wr, i) => wr.map((wv, j) => at(r * stride + i, c * stride + j) * wv + 0));
      if (r * ow + c === n) products = prod;
      let total = 0;
      for (const pr of prod) for (const p of pr) total += p;
      row.push(act(total + bias) + 0);
    }
    output.push(row);
  }
  const cell = [floorDiv(n, ow), n % ow], origin = [cell[0] * stride, cell[1] * stride];
  const window = w.map((wr, i) => wr.map((_, j) => at(origin[0] + i, origin[1] + j) + 0));
  let total = 0;
  for (const pr of products) for (const p of pr) total += p;
  total += 0;
  const pre = total + bias;
  return {h, wd, kh, kw, oh, ow, stride, padding, bias, activation, step: n, cell, origin,
          w, window, products, total, pre, value: act(pre) + 0, output, at};
}

/* ConvStep.equation: the products term by term, the bias, the activation. */
export function equation(st) {
  const lines = [`sum of products: ${st.products.flat().map(term).join(" + ")} = ${fmtG(st.total)}`,
    `${fmtG(st.total)} + bias ${term(st.bias)} = ${fmtG(st.pre)}`];
  if (st.activation === "relu") {
    lines.push(`ReLU(${fmtG(st.pre)}) = max(${fmtG(st.pre)}, 0) = ${fmtG(st.value)}`);
  }
  return lines;
}

/* formula_text of each axis (W only when it differs from H). */
export function sizeLines(st) {
  const line = (i, k, o, axis) =>
    `o_${axis} = ⌊(${i} + 2·${st.padding} − 1·(${k}−1) − 1) / ${st.stride}⌋ + 1 = ${o}`;
  const lines = [line(st.h, st.kh, st.oh, "H")];
  if (st.wd !== st.h || st.kw !== st.kh) lines.push(line(st.wd, st.kw, st.ow, "W"));
  return lines;
}

export function compute(v) {
  const st = convStep(v.x, v.weight, v.bias, v.stride, v.padding, v.step, v.activation);
  const filled = (r, c) => r * st.ow + c <= st.step;
  return {...st, filled, nSteps: st.oh * st.ow,
          shown: {output_shape: [st.oh, st.ow], n_steps: st.oh * st.ow, step: st.step,
                  cell: st.cell, origin: st.origin, window: st.window, products: st.products,
                  total: st.total, pre_activation: st.pre, value: st.value,
                  output_so_far: st.output.map((row, r) => row.map((y, c) => (filled(r, c) ? y : null))),
                  equation: equation(st), sizes: sizeLines(st)}};
}

function text(st) {
  return `step ${st.step + 1} of ${st.nSteps}: output cell (${st.cell.join(", ")}), window ` +
    `starts at padded row ${st.origin[0]}, col ${st.origin[1]} (stride ${st.stride})\n` +
    [...equation(st), ...sizeLines(st)].join("\n");
}

/* The four panels' titles (two lines each) and grid sizes. */
function panels(st) {
  const hp = st.h + 2 * st.padding, wp = st.wd + 2 * st.padding, [r, c] = st.origin;
  const what = st.activation === "relu" ? "ReLU(sum + bias)" : "sum + bias";
  return [
    {rows: hp, cols: wp, lines: [`input ${st.h}×${st.wd}` + (st.padding ? `, padded to ${hp}×${wp}` : ""),
      `window: rows ${r}–${r + st.kh - 1}, cols ${c}–${c + st.kw - 1}`]},
    {rows: st.kh, cols: st.kw, lines: [`kernel ${st.kh}×${st.kw}`, "same at every step"]},
    {rows: st.kh, cols: st.kw, lines: ["products", "window × kernel"]},
    {rows: st.oh, cols: st.ow, lines: [`output ${st.oh}×${st.ow}`, what]},
  ];
}

function subtitle(ctx, text, x, y) {
  ctx.fillStyle = COLOURS.text;
  ctx.font = FONT.label;
  ctx.textAlign = "left";
  ctx.textBaseline = "alphabetic";
  ctx.fillText(text, x, y);
}

/* The largest cell (≤ 36 px) at which the panels, each as wide as its grid or its titles,
 * fit side by side. */
function layout(ctx, ps, W, H, top, gap) {
  const textW = ps.map((p) => {
    ctx.font = FONT.title; const a = ctx.measureText(p.lines[0]).width;
    ctx.font = FONT.label; return Math.max(a, ctx.measureText(p.lines[1]).width);
  });
  const rows = Math.max(...ps.map((p) => p.rows));
  let cell = Math.min(36, (H - top - 4) / rows);
  const width = (c) => ps.reduce((s, p, i) => s + Math.max(p.cols * c, textW[i]), 0) +
    gap * (ps.length - 1);
  while (cell > 4 && width(cell) > W - 20) cell -= 1;
  let x = 10;
  return {cell, xs: ps.map((p, i) => { const at = x; x += Math.max(p.cols * cell, textW[i]) + gap; return at; })};
}

/* Each cell's value (null: left blank) in its cell, where cells are large enough. */
function numbers(ctx, x0, top, cell, rows, cols, value, white) {
  if (cell < 24) return;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const v = value(r, c);
      if (v === null) continue;
      const x = x0 + (c + 0.5) * cell, y = top + (r + 0.5) * cell;
      label(ctx, fmtG(v), x, y);  // sets the font and alignment
      if (white && white(r, c)) {  // white on the dark green of the current output cell
        ctx.fillStyle = COLOURS.current;
        ctx.fillRect(x0 + c * cell + 1, top + r * cell + 1, cell - 2, cell - 2);
        ctx.fillStyle = "#ffffff";
        ctx.fillText(fmtG(v), x, y);
      }
    }
  }
}

function draw(ctx, st, W, H) {
  const top = 54, gap = 24, ps = panels(st);
  const {cell, xs} = layout(ctx, ps, W, H, top, gap);
  ps.forEach((p, i) => { title(ctx, p.lines[0], xs[i], 20); subtitle(ctx, p.lines[1], xs[i], 43); });
  const [r0, c0] = st.origin, p = st.padding;
  const inX = (r, c) => r >= p && r < p + st.h && c >= p && c < p + st.wd;
  const inWin = (r, c) => r >= r0 && r < r0 + st.kh && c >= c0 && c < c0 + st.kw;
  cells(ctx, xs[0], top, cell, ps[0].rows, ps[0].cols, (r, c) =>
    COLOURS[inX(r, c) ? (inWin(r, c) ? "tap" : "input") : (inWin(r, c) ? "tap_pad" : "pad")]);
  numbers(ctx, xs[0], top, cell, ps[0].rows, ps[0].cols, (r, c) => st.at(r, c));
  outline(ctx, xs[0] + c0 * cell, top + r0 * cell, st.kw * cell, st.kh * cell);
  cells(ctx, xs[1], top, cell, st.kh, st.kw, () => COLOURS.kernel);
  numbers(ctx, xs[1], top, cell, st.kh, st.kw, (r, c) => st.w[r][c]);
  cells(ctx, xs[2], top, cell, st.kh, st.kw, () => COLOURS.tap);
  numbers(ctx, xs[2], top, cell, st.kh, st.kw, (r, c) => st.products[r][c]);
  const cur = (r, c) => r === st.cell[0] && c === st.cell[1];
  cells(ctx, xs[3], top, cell, st.oh, st.ow, (r, c) =>
    (cur(r, c) ? COLOURS.current : st.filled(r, c) ? COLOURS.output : COLOURS.overhang));
  numbers(ctx, xs[3], top, cell, st.oh, st.ow,
          (r, c) => (st.filled(r, c) ? st.output[r][c] : null), cur);
}

export default explorer({
  name: "conv_step",
  data: ["x", "weight", "max_stride", "max_padding"],
  controls: [slider("step", "output cell", 0, 1), slider("stride", "stride s", 1, 3),
    slider("padding", "padding p", 0, 2), slider("bias", "bias b", -5, 5),
    choice("activation", "activation", {relu: "ReLU", none: "none"})],
  size: [800, 380], textLines: 6, compute, text, draw,
  limits: (st, v) => ({step: st.nSteps - 1, stride: v.max_stride, padding: v.max_padding}),
});
