/* Chapter 05: the groups explorer. One grouped nn.Conv2d (C_in, C_out, g, k, H_out = W_out):
 * left, the input channels and the filters, coloured by group, with a line from each filter
 * to every input channel it reads; right, the C_out × C_in connection matrix (the block
 * diagonal a grouped conv keeps of a standard weight tensor); under them the two cost
 * formulas with numbers. The second implementation of convlib.grouped.groups
 * (channel_groups, group_connectivity, grouped_conv_cost, grouped_cost_text) and of
 * convlib.widgets.grouped.valid_groups:
 *   params = k_h·k_w·(C_in/g)·C_out + C_out,   MACs = k_h·k_w·(C_in/g)·C_out·H_out·W_out. */
import {COLOURS, explorer, fail, FONT, label, outline, slider, title} from "./core.js";
import {positiveInt, thousands} from "./shapes.js";

/* The group of each of `channels` channels: c // (channels / g). */
export const channelGroups = (channels, g) =>
  Array.from({length: channels}, (_, c) => Math.floor(c / (channels / g)));

/* The values of g PyTorch accepts: the divisors of both channel counts. */
export function validGroups(cIn, cOut) {
  const out = [];
  for (let g = 1; g <= Math.min(cIn, cOut); g++) if (cIn % g === 0 && cOut % g === 0) out.push(g);
  return out;
}

function checkChannels(cIn, cOut, g) {
  positiveInt("in_channels", cIn); positiveInt("out_channels", cOut); positiveInt("groups", g);
  if (cIn % g || cOut % g) {
    fail(`\`groups\` must divide in_channels and out_channels, got groups=${g}, ` +
         `in_channels=${cIn}, out_channels=${cOut}`);
  }
}

/* grouped_cost_text, and the line naming the values g may take. */
function costText(c) {
  const k = `${c.k}·${c.k}`, o = `${c.o}·${c.o}`, core = `${k}·(${c.cIn}/${c.g})·${c.cOut}`;
  return `params = k_h·k_w·(C_in/g)·C_out + C_out = ${core} + ${c.cOut} = ` +
         `${thousands(c.params)}   (g=1: ${thousands(c.standardParams)})\n` +
         `MACs = k_h·k_w·(C_in/g)·C_out·H_out·W_out = ${core}·${o} = ${thousands(c.macs)} ` +
         `= 1/${c.g} of ${thousands(c.standardMacs)}`;
}

export function compute(v) {
  const cIn = v.in_channels, cOut = v.out_channels, g = v.groups;
  checkChannels(cIn, cOut, g);
  const k = positiveInt("kernel_size", v.kernel_size), o = positiveInt("output_size", v.output_size);
  const weights = k * k * (cIn / g) * cOut, standard = k * k * cIn * cOut;
  const c = {cIn, cOut, g, k, o, params: weights + cOut, standardParams: standard + cOut,
             macs: weights * o * o, standardMacs: standard * o * o};
  const inGroups = channelGroups(cIn, g), outGroups = channelGroups(cOut, g);
  const kept = (cIn / g) * cOut, valid = validGroups(cIn, cOut);
  const text = `${costText(c)}\ng must divide C_in = ${cIn} and C_out = ${cOut}: ` +
               `g = ${valid.join(", ")}`;
  return {c, inGroups, outGroups,
          shown: {params: c.params, macs: c.macs, standard_params: c.standardParams,
                  standard_macs: c.standardMacs, in_groups: inGroups, out_groups: outGroups,
                  kept, pairs: cIn * cOut, valid_groups: valid, text}};
}

const groupColour = (n) => COLOURS.group[n % COLOURS.group.length];

/* n positions spread over [top, top + span], centred in equal slots. */
const column = (n, top, span) => Array.from({length: n}, (_, i) => top + (i + 0.5) * span / n);

/* Left: input channels and filters, a line from each filter to each channel it reads. */
function drawConnections(ctx, st, x0, x1, top, span) {
  const {cIn, cOut} = st.c, yIn = column(cIn, top, span), yOut = column(cOut, top, span);
  const slot = span / Math.max(cIn, cOut), side = Math.min(18, slot * 0.78);
  ctx.lineWidth = 1.6;
  for (let f = 0; f < cOut; f++) {
    ctx.strokeStyle = groupColour(st.outGroups[f]);
    ctx.beginPath();
    for (let ch = 0; ch < cIn; ch++) {
      if (st.inGroups[ch] !== st.outGroups[f]) continue;
      ctx.moveTo(x0 + side / 2, yIn[ch]);
      ctx.lineTo(x1 - side / 2, yOut[f]);
    }
    ctx.stroke();
  }
  const squares = (x, ys, groups) => ys.forEach((y, i) => {
    ctx.fillStyle = groupColour(groups[i]);
    ctx.fillRect(x - side / 2, y - side / 2, side, side);
    ctx.strokeStyle = COLOURS.line; ctx.lineWidth = 1;
    ctx.strokeRect(x - side / 2, y - side / 2, side, side);
  });
  squares(x0, yIn, st.inGroups);
  squares(x1, yOut, st.outGroups);
  if (slot >= 19) {  // channel numbers where they fit
    yIn.forEach((y, i) => label(ctx, String(i), x0 - side / 2 - 14, y));
    yOut.forEach((y, i) => label(ctx, String(i), x1 + side / 2 + 14, y));
  }
}

/* Right: the C_out × C_in matrix, a kept pair in its group's colour. */
function drawMatrix(ctx, st, x0, top, size) {
  const {cIn, cOut} = st.c, cell = Math.min(size / cIn, size / cOut, 30);
  for (let f = 0; f < cOut; f++) {
    for (let ch = 0; ch < cIn; ch++) {
      const same = st.inGroups[ch] === st.outGroups[f];
      ctx.fillStyle = same ? groupColour(st.outGroups[f]) : COLOURS.overhang;
      ctx.fillRect(x0 + ch * cell, top + f * cell, cell, cell);
    }
  }
  ctx.beginPath();
  for (let r = 0; r <= cOut; r++) { ctx.moveTo(x0, top + r * cell); ctx.lineTo(x0 + cIn * cell, top + r * cell); }
  for (let c = 0; c <= cIn; c++) { ctx.moveTo(x0 + c * cell, top); ctx.lineTo(x0 + c * cell, top + cOut * cell); }
  ctx.strokeStyle = COLOURS.line; ctx.lineWidth = 0.6; ctx.stroke();
  outline(ctx, x0, top, cIn * cell, cOut * cell);
  label(ctx, "input channel", x0 + cIn * cell / 2, top + cOut * cell + 16);
  ctx.save();
  ctx.translate(x0 - 16, top + cOut * cell / 2);
  ctx.rotate(-Math.PI / 2);
  label(ctx, "filter", 0, 0);
  ctx.restore();
}

/* A title centred on x, with the line under it (a count) centred too. */
function heading(ctx, text, under, x) {
  ctx.font = FONT.title;
  title(ctx, text, Math.max(4, x - ctx.measureText(text).width / 2), 20);
  label(ctx, under, x, 44);
}

function draw(ctx, st, W, H) {
  const {cIn, cOut, g} = st.c, top = 62, span = H - top - 10, xIn = 80, xOut = 330, xM = 460;
  heading(ctx, "input channels", `C_in = ${cIn}`, xIn);
  heading(ctx, "filters", `C_out = ${cOut}`, xOut);
  drawConnections(ctx, st, xIn, xOut, top, span);
  const size = Math.min(W - xM - 20, H - top - 36), width = cIn * Math.min(size / cIn, size / cOut, 30);
  heading(ctx, "pairs kept (filter, channel)", `${st.shown.kept} of ${st.shown.pairs}: 1/${g}`,
          Math.min(xM + width / 2, W - 120));
  drawMatrix(ctx, st, xM, top, size);
}

export default explorer({
  name: "groups",
  controls: [slider("in_channels", "C_in", 1, 16), slider("out_channels", "C_out", 1, 16),
    slider("groups", "groups g", 1, 16), slider("kernel_size", "k", 1, 7),
    slider("output_size", "H_out = W_out", 1, 32)],
  size: [800, 400], textLines: 3, compute, text: (st) => st.shown.text, draw,
  groups: [["channels", ["in_channels", "out_channels", "groups"]],
           ["cost", ["kernel_size", "output_size"]]],
});
