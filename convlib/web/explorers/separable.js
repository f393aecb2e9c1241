/* Chapter 05: the depthwise-separable explorer. A standard k×k conv C_in -> C_out against a
 * depthwise k×k conv (groups = C_in) then a pointwise 1×1 conv: left, parameters and MACs
 * as bars (the separable bar split into its depthwise and pointwise parts); right, the MACs
 * ratio 1/C_out + 1/k² against C_out = 1 … 256, the current C_out marked and the floor
 * 1/k² dashed; under them the MAC formulas with numbers. The second implementation of
 * convlib.grouped.separable (depthwise_separable_cost, separable_cost_text) and of
 * convlib.widgets.grouped.separable_view. */
import {COLOURS, explorer, FONT, label, slider, title} from "./core.js";
import {positiveInt, pyFixed, thousands} from "./shapes.js";

/** Largest C_out on the sliders and on the ratio curve (convlib.widgets.grouped.MAX_CHANNELS). */
export const MAX_CHANNELS = 256;

export const macsRatio = (cOut, k) => 1 / cOut + 1 / (k * k);

/* depthwise_separable_cost with its bias terms; sizes are square. */
export function separableCost(cIn, cOut, k, o) {
  const hw = o * o, kk = k * k;
  const c = {cIn, cOut, k, o, standardParams: kk * cIn * cOut + cOut, standardMacs: kk * cIn * cOut * hw,
             depthwiseParams: kk * cIn + cIn, depthwiseMacs: kk * cIn * hw,
             pointwiseParams: cIn * cOut + cOut, pointwiseMacs: cIn * cOut * hw};
  c.separableParams = c.depthwiseParams + c.pointwiseParams;
  c.separableMacs = c.depthwiseMacs + c.pointwiseMacs;
  c.ratio = c.separableMacs / c.standardMacs;
  return c;
}

/* separable_cost_text, its long second line split after the depthwise count. */
function costText(c) {
  const k = `${c.k}·${c.k}`, o = `${c.o}·${c.o}`;
  return `standard  k_h·k_w·C_in·C_out·H_out·W_out = ${k}·${c.cIn}·${c.cOut}·${o} ` +
         `= ${thousands(c.standardMacs)} MACs\n` +
         `depthwise k_h·k_w·C_in·H_out·W_out = ${k}·${c.cIn}·${o} = ${thousands(c.depthwiseMacs)};\n` +
         `pointwise C_in·C_out·H_out·W_out = ${c.cIn}·${c.cOut}·${o} = ${thousands(c.pointwiseMacs)}\n` +
         `ratio ${thousands(c.separableMacs)} / ${thousands(c.standardMacs)} = ` +
         `${pyFixed(c.ratio, 4)} = 1/C_out + 1/(k_h·k_w) = 1/${c.cOut} + 1/${c.k * c.k}`;
}

export function compute(v) {
  const cIn = positiveInt("in_channels", v.in_channels);
  const cOut = positiveInt("out_channels", v.out_channels);
  const k = positiveInt("kernel_size", v.kernel_size), o = positiveInt("output_size", v.output_size);
  const c = separableCost(cIn, cOut, k, o);
  return {c, shown: {standard_params: c.standardParams, standard_macs: c.standardMacs,
                     depthwise_params: c.depthwiseParams, depthwise_macs: c.depthwiseMacs,
                     pointwise_params: c.pointwiseParams, pointwise_macs: c.pointwiseMacs,
                     ratio: c.ratio, floor: 1 / (k * k), text: costText(c)}};
}

/* One bar panel: "standard" (one bar) over "separable" (depthwise + pointwise). */
function drawBars(ctx, name, std, dw, pw, y) {
  const x0 = 100, long = 165, top = Math.max(std, dw + pw), len = (n) => n / top * long;
  const h = 28, rows = [y + 50, y + 88];
  title(ctx, name, 10, y + 20);
  ctx.font = FONT.label; ctx.textBaseline = "middle"; ctx.fillStyle = COLOURS.text;
  ctx.textAlign = "right";
  ctx.fillText("standard", x0 - 8, rows[0]);
  ctx.fillText("separable", x0 - 8, rows[1]);
  const bar = (x, w, row, colour) => {
    ctx.fillStyle = colour;
    ctx.fillRect(x, row - h / 2, w, h);
    ctx.strokeStyle = COLOURS.line; ctx.lineWidth = 1;
    ctx.strokeRect(x, row - h / 2, w, h);
  };
  const wd = Math.max(len(dw), 2);  // the depthwise sliver stays visible
  bar(x0, len(std), rows[0], COLOURS.input);
  bar(x0, wd, rows[1], COLOURS.kernel);
  bar(x0 + wd, Math.max(len(dw + pw) - wd, 0), rows[1], COLOURS.accent);
  ctx.fillStyle = COLOURS.text; ctx.textAlign = "left";
  ctx.fillText(thousands(std), x0 + len(std) + 6, rows[0]);
  ctx.fillText(thousands(dw + pw), x0 + Math.max(len(dw + pw), wd) + 6, rows[1]);
}

function legendEntry(ctx, x, y, draw, text) {
  draw(x, y);
  ctx.font = FONT.label; ctx.textAlign = "left"; ctx.textBaseline = "middle";
  ctx.fillStyle = COLOURS.text;
  ctx.fillText(text, x + 30, y);
}

/* The ratio against C_out on a log2 axis, 0 … 2.05 up. */
function drawRatio(ctx, st, W, H) {
  const c = st.c, x0 = 490, x1 = W - 16, y0 = 44, y1 = H - 58;
  const X = (n) => x0 + Math.log2(n) / Math.log2(MAX_CHANNELS) * (x1 - x0);
  const Y = (r) => y1 - r / 2.05 * (y1 - y0);
  title(ctx, `ratio for k×k = ${c.k * c.k}: ${pyFixed(c.ratio, 4)}`, x0 - 40, 20);
  ctx.font = FONT.label; ctx.fillStyle = COLOURS.text; ctx.textBaseline = "middle";
  ctx.lineWidth = 1;
  ctx.strokeStyle = COLOURS.pad;
  ctx.beginPath();
  for (const r of [0, 0.5, 1, 1.5, 2]) { ctx.moveTo(x0, Y(r)); ctx.lineTo(x1, Y(r)); }
  for (let n = 1; n <= MAX_CHANNELS; n *= 2) { ctx.moveTo(X(n), y0); ctx.lineTo(X(n), y1); }
  ctx.stroke();
  ctx.textAlign = "right";
  for (const r of [0, 0.5, 1, 1.5, 2]) ctx.fillText(String(r), x0 - 6, Y(r));
  for (let n = 1; n <= MAX_CHANNELS; n *= 2) label(ctx, String(n), X(n), y1 + 14);
  label(ctx, "C_out", (x0 + x1) / 2, y1 + 38);
  ctx.save();
  ctx.translate(x0 - 42, (y0 + y1) / 2);
  ctx.rotate(-Math.PI / 2);
  label(ctx, "separable / standard MACs", 0, 0);
  ctx.restore();
  ctx.strokeStyle = COLOURS.line; ctx.lineWidth = 1;
  ctx.beginPath(); ctx.moveTo(x0, Y(1)); ctx.lineTo(x1, Y(1)); ctx.stroke();
  ctx.strokeRect(x0, y0, x1 - x0, y1 - y0);
  const floor = () => { ctx.beginPath(); ctx.setLineDash([7, 5]); ctx.strokeStyle = COLOURS.kernel;
                        ctx.lineWidth = 1.8; };
  floor(); ctx.moveTo(x0, Y(st.shown.floor)); ctx.lineTo(x1, Y(st.shown.floor)); ctx.stroke();
  ctx.setLineDash([]);
  ctx.beginPath();
  for (let n = 1; n <= MAX_CHANNELS; n++) ctx[n === 1 ? "moveTo" : "lineTo"](X(n), Y(macsRatio(n, c.k)));
  ctx.strokeStyle = COLOURS.accent; ctx.lineWidth = 2.5; ctx.stroke();
  ctx.beginPath(); ctx.arc(X(c.cOut), Y(c.ratio), 6, 0, 2 * Math.PI);
  ctx.fillStyle = COLOURS.current; ctx.fill();
  const lx = x1 - 170;
  legendEntry(ctx, lx, y0 + 20, (x, y) => {
    ctx.beginPath(); ctx.moveTo(x, y); ctx.lineTo(x + 24, y);
    ctx.strokeStyle = COLOURS.accent; ctx.lineWidth = 2.5; ctx.stroke(); }, "1/C_out + 1/k²");
  legendEntry(ctx, lx, y0 + 44, (x, y) => {
    floor(); ctx.moveTo(x, y); ctx.lineTo(x + 24, y); ctx.stroke(); ctx.setLineDash([]); }, "1/k²");
}

function draw(ctx, st, W, H) {
  const c = st.c;
  drawBars(ctx, "parameters", c.standardParams, c.depthwiseParams, c.pointwiseParams, 0);
  drawBars(ctx, "MACs", c.standardMacs, c.depthwiseMacs, c.pointwiseMacs, 124);
  const ly = 262, box = (colour) => (x, y) => {
    ctx.fillStyle = colour; ctx.fillRect(x, y - 9, 24, 18);
    ctx.strokeStyle = COLOURS.line; ctx.lineWidth = 1; ctx.strokeRect(x, y - 9, 24, 18); };
  legendEntry(ctx, 10, ly, box(COLOURS.kernel), "depthwise k×k");
  legendEntry(ctx, 10, ly + 28, box(COLOURS.accent), "pointwise 1×1");
  drawRatio(ctx, st, W, H);
}

export default explorer({
  name: "separable",
  controls: [slider("in_channels", "C_in", 1, MAX_CHANNELS),
    slider("out_channels", "C_out", 1, MAX_CHANNELS), slider("kernel_size", "k", 1, 9),
    slider("output_size", "H_out = W_out", 1, 112)],
  size: [800, 340], textLines: 4, compute, text: (st) => st.shown.text, draw,
  groups: [["channels", ["in_channels", "out_channels"]],
           ["kernel and output", ["kernel_size", "output_size"]]],
});
