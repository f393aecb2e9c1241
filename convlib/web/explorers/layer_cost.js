/* Chapter 07: the layer-cost explorer. One nn.Conv2d(C_in, C_out, k, stride=s, padding=p,
 * groups=g) on an i×i input: a table of its counts (output size, weights, biases,
 * parameters, MACs, FLOPs and those of its g = 1 twin), each with its rule and numbers,
 * and bars of the parameters and MACs against the dense twin's (the second implementation
 * of convlib.widgets.counting.layer_cost and layer_cost_rows). The groups slider spans 1
 * to gcd(C_in, C_out); a g that does not divide both is refused, as PyTorch does. */
import {COLOURS, FONT, explorer, fail, slider, title} from "./core.js";
import {convAxis} from "./shapes.js";

/* An int as Python's f"{n:,}" writes it. */
export const commas = (n) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
const gcd = (a, b) => (b ? gcd(b, a % b) : a);

/* convlib.counting.formulas._channels: g must divide both channel counts. */
function checkGroups(cIn, cOut, g) {
  if (cIn % g || cOut % g) {
    fail(`\`groups\` must divide in_channels and out_channels, got groups=${g}, ` +
         `in_channels=${cIn}, out_channels=${cOut}`);
  }
}

/* layer_cost: the output size first (a kernel larger than the padded input), then groups. */
export function layerCost(cIn, cOut, k, g, i, s, p) {
  const o = convAxis(i, k, s, p, 1);
  checkGroups(cIn, cOut, g);
  const weights = k * k * (cIn / g) * cOut, dense = k * k * cIn * cOut;
  return {cIn, cOut, k, g, i, s, p, o, weights, biases: cOut, params: weights + cOut,
          macs: weights * o * o, flops: 2 * weights * o * o, denseParams: dense + cOut,
          denseMacs: dense * o * o};
}

/* layer_cost_rows: [count, rule, numbers, value] per table row. */
export function rows(c) {
  const core = `${c.k}·${c.k}·(${c.cIn}/${c.g})·${c.cOut}`;
  return [
    ["output size H_out = W_out", "⌊(i + 2p − k)/s⌋ + 1",
      `⌊(${c.i} + 2·${c.p} − ${c.k})/${c.s}⌋ + 1`, c.o],
    ["weights", "k·k·(C_in/g)·C_out", core, c.weights],
    ["biases", "C_out", `${c.cOut}`, c.biases],
    ["parameters", "weights + biases", `${commas(c.weights)} + ${c.cOut}`, c.params],
    ["MACs", "k·k·(C_in/g)·C_out·H_out·W_out", `${core}·${c.o}·${c.o}`, c.macs],
    ["FLOPs (FlopCounterMode)", "2 × MACs", `2 · ${commas(c.macs)}`, c.flops],
    ["dense layer (g = 1): parameters", "k·k·C_in·C_out + C_out", "", c.denseParams],
    ["dense layer (g = 1): MACs", "k·k·C_in·C_out·H_out·W_out", "", c.denseMacs],
  ];
}

export function compute(v) {
  const c = layerCost(v.in_channels, v.out_channels, v.kernel_size, v.groups, v.input_size,
                      v.stride, v.padding);
  const table = rows(c);
  return {c, table, gcd: gcd(c.cIn, c.cOut),
          shown: {output_size: c.o, weights: c.weights, biases: c.biases, params: c.params,
                  macs: c.macs, flops: c.flops, dense_params: c.denseParams,
                  dense_macs: c.denseMacs, rows: table}};
}

function text(st) {
  const c = st.c;
  return `nn.Conv2d(${c.cIn}, ${c.cOut}, ${c.k}, stride=${c.s}, padding=${c.p}, groups=${c.g}) ` +
    `on a ${c.cIn}×${c.i}×${c.i} input → output ${c.cOut}×${c.o}×${c.o}`;
}

/* The table: four columns, as wide as their widest entry. */
function drawTable(ctx, table, x0, y0, rowH) {
  ctx.font = FONT.label;
  const head = ["count", "rule", "numbers", "value"];
  const body = table.map(([n, r, nums, v]) => [n, r, nums, commas(v)]);
  const widths = head.map((h, j) => Math.max(...[h, ...body.map((b) => b[j])]
    .map((t) => ctx.measureText(t).width)));
  const xs = [x0];
  for (let j = 1; j < 4; j++) xs.push(xs[j - 1] + widths[j - 1] + 18);
  const right = xs[3] + widths[3];
  ctx.textBaseline = "middle";
  ctx.fillStyle = COLOURS.text;
  ctx.font = `bold ${FONT.label}`;
  head.forEach((h, j) => {
    ctx.textAlign = j === 3 ? "right" : "left";
    ctx.fillText(h, j === 3 ? right : xs[j], y0 + rowH / 2);
  });
  line(ctx, x0, right, y0 + rowH);
  body.forEach((b, r) => {
    const y = y0 + (r + 1.5) * rowH;
    if (r % 2 === 1) {  // zebra rows: the eye follows a row to its value
      ctx.fillStyle = "#f2f2f2";
      ctx.fillRect(x0 - 4, y - rowH / 2, right - x0 + 8, rowH);
    }
    ctx.fillStyle = COLOURS.text;
    b.forEach((t, j) => {
      ctx.font = j === 3 ? `bold ${FONT.label}` : FONT.label;
      ctx.textAlign = j === 3 ? "right" : "left";
      ctx.fillText(t, j === 3 ? right : xs[j], y);
    });
  });
  line(ctx, x0, right, y0 + (body.length + 1) * rowH);
}

function line(ctx, x0, x1, y) {
  ctx.strokeStyle = COLOURS.line;
  ctx.lineWidth = 1;
  ctx.beginPath(); ctx.moveTo(x0, y); ctx.lineTo(x1, y); ctx.stroke();
}

/* A bar of `value` on a track of the dense twin's `whole`, with its label. */
function bar(ctx, name, value, whole, colour, x0, y, w, h) {
  ctx.font = FONT.label;
  ctx.textAlign = "left";
  ctx.textBaseline = "middle";
  ctx.fillStyle = COLOURS.text;
  ctx.fillText(name, x0, y + h / 2);
  const bx = x0 + 110;
  ctx.fillStyle = COLOURS.pad;
  ctx.fillRect(bx, y, w, h);
  ctx.fillStyle = colour;
  ctx.fillRect(bx, y, Math.max(1, w * value / whole), h);
  ctx.strokeStyle = COLOURS.line;
  ctx.lineWidth = 1;
  ctx.strokeRect(bx, y, w, h);
  ctx.fillStyle = COLOURS.text;
  const share = value === whole ? "the same" : `÷ ${Number((whole / value).toFixed(2))}`;
  ctx.fillText(`${commas(value)} of ${commas(whole)} (${share})`, bx + w + 12, y + h / 2);
}

function draw(ctx, st, W) {
  const c = st.c, rowH = 27;
  drawTable(ctx, st.table, 12, 4, rowH);
  const y = 4 + 10 * rowH + 6;
  title(ctx, `this layer (g = ${c.g}) against the dense layer (g = 1): the full bar`, 12, y);
  bar(ctx, "parameters", c.params, c.denseParams, COLOURS.kernel, 12, y + 14, 340, 24);
  bar(ctx, "MACs", c.macs, c.denseMacs, COLOURS.accent, 12, y + 50, 340, 24);
}

export default explorer({
  name: "layer_cost",
  controls: [slider("in_channels", "C_in", 1, 64), slider("out_channels", "C_out", 1, 64),
    slider("groups", "groups g", 1, 64), slider("kernel_size", "k", 1, 7),
    slider("input_size", "H_in = W_in", 1, 32), slider("stride", "stride s", 1, 3),
    slider("padding", "padding p", 0, 3)],
  groups: [["channels", ["in_channels", "out_channels", "groups"]],
    ["kernel and input", ["kernel_size", "input_size", "stride", "padding"]]],
  size: [800, 370], textLines: 1, compute, text, draw,
  limits: (st) => ({groups: st.gcd}),
});
