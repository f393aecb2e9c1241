/* Chapter 04: the dilated-convolution explorer. One square Conv2d with dilation d: the
 * kernel drawn with its d − 1 gaps between taps (k_eff = d(k−1) + 1), the padded input
 * with the taps one output cell reads and the centre of its field (+), and the output grid
 * (the second implementation of convlib.dilated.layout.dilated_view and dilated_text;
 * sizes and invalid messages as convlib.sizes.windows.axis_layout's). */
import {COLOURS, FONT, cells, choice, explorer, fail, floorDiv, label, outline, slider, title}
  from "./core.js";
import {convAxis} from "./shapes.js";

export const PADDING_MODES = {torch: "padding p (fixed)", same: "padding='same'"};

/* One axis: padding before/after, output size o, drawn extent (convlib's AxisLayout). */
export function dilatedAxis(i, k, s, p, d, mode) {
  let o, before, after;
  if (mode === "torch") {
    o = convAxis(i, k, s, p, d);
    before = after = p;
  } else if (mode === "same") {
    if (s !== 1) fail(`\`padding\`='same' needs stride 1, got stride=${s}`);
    const total = d * (k - 1);
    o = i; before = floorDiv(total, 2); after = total - before;
  } else {
    fail(`\`mode\` must be 'torch' or 'same', got '${mode}'`);
  }
  const kEff = d * (k - 1) + 1, last = (o - 1) * s + kEff;
  return {i, k, s, d, mode, before, after, o, kEff, extent: Math.max(before + i + after, last)};
}

/* Input coordinate of the centre of output j's window: j s + d(k−1)/2 − p_before. */
export const fieldCentre = (a, j) => j * a.s + (a.kEff - 1) / 2 - a.before;

export function compute(v) {
  const a = dilatedAxis(v.input_size, v.kernel_size, v.stride, v.padding, v.dilation, v.mode);
  const n = Math.min(Math.max(v.cell, 0), a.o * a.o - 1);
  const j = [floorDiv(n, a.o), n % a.o];
  const win = [j[0] * a.s, j[0] * a.s + a.kEff - 1, j[1] * a.s, j[1] * a.s + a.kEff - 1];
  return {a, j, shown: {output: a.o, k_eff: a.kEff, padded: a.extent, pads: [a.before, a.after],
                        cell: j, window: win, centre: [fieldCentre(a, j[0]), fieldCentre(a, j[1])]},
          indexMax: a.o * a.o - 1};
}

/* convlib.sizes.windows.formula_text for the two modes. */
function formulaText(a) {
  if (a.mode === "same") {
    return `o = i = ${a.i},  total pad = d·(k−1) = ${a.d}·(${a.k}−1) = ${a.d * (a.k - 1)}` +
           ` → ${a.before} before + ${a.after} after`;
  }
  return `o = ⌊(${a.i} + 2·${a.before} − ${a.d}·(${a.k}−1) − 1) / ${a.s}⌋ + 1 = ${a.o}`;
}

function text(st) {
  const a = st.a, [ch, cw] = st.shown.centre;
  return `k_eff = k + (k−1)(d−1) = ${a.k} + ${a.k - 1}·${a.d - 1} = ${a.kEff}\n` +
         `${formulaText(a)}\n` +
         `output cell (${st.j[0]}, ${st.j[1]}) reads a ${a.kEff}×${a.kEff} span centred on ` +
         `input pixel (${ch}, ${cw})`;
}

/* What each padded cell is along one axis, and whether the output cell's window taps it. */
function axisCells(a, j) {
  const kind = [], tapped = [];
  for (let x = 0; x < a.extent; x++) {
    kind.push(x < a.before ? "pad" : x < a.before + a.i ? "input"
      : x < a.before + a.i + a.after ? "pad" : "overhang");
    const t = x - j * a.s;
    tapped.push(t >= 0 && t < a.kEff && t % a.d === 0);
  }
  return {kind, tapped};
}

const TAPPED = {input: "tap", pad: "tap_pad", overhang: "tap_overhang"};
const LEGEND = [["input", "input"], ["pad", "padding"], ["tap", "read"],
  ["tap_pad", "read (padding)"], ["current", "output cell"]];
const GAP = 36, TOP = 32, LEGEND_H = 30;

/* One cell size for the three panels (the kernel at the scale of its window), as large as
 * fits, with every panel at least as wide as its title. */
function panelLayout(ctx, counts, titles, W, H) {
  ctx.font = FONT.title;
  const widths = titles.map((t) => ctx.measureText(t).width);
  const rows = Math.max(...counts);
  let cell = Math.min(34, (H - TOP - LEGEND_H - 8) / rows);
  for (let pass = 0; pass < 4; pass++) {
    const total = counts.reduce((s, n, q) => s + Math.max(n * cell, widths[q]), 0);
    const room = W - 20 - GAP * (counts.length - 1);
    if (total <= room) break;
    const free = room - counts.reduce((s, n, q) => s + (n * cell < widths[q] ? widths[q] : 0), 0);
    const cellLimited = counts.reduce((s, n, q) => s + (n * cell < widths[q] ? 0 : n), 0);
    cell = Math.min(cell, free / Math.max(cellLimited, 1));
  }
  let x = 10;
  const xs = counts.map((n, q) => { const at = x; x += Math.max(n * cell, widths[q]) + GAP; return at; });
  return {cell, xs};
}

function drawCross(ctx, x, y, size) {
  ctx.beginPath();
  ctx.moveTo(x - size, y); ctx.lineTo(x + size, y);
  ctx.moveTo(x, y - size); ctx.lineTo(x, y + size);
  ctx.strokeStyle = COLOURS.line;
  ctx.lineWidth = 3;
  ctx.stroke();
}

function drawLegend(ctx, y) {
  ctx.font = FONT.label;
  ctx.textBaseline = "middle";
  let x = 10;
  for (const [colour, name] of LEGEND) {
    ctx.fillStyle = COLOURS[colour];
    ctx.fillRect(x, y - 8, 16, 16);
    ctx.strokeStyle = COLOURS.line; ctx.lineWidth = 0.6;
    ctx.strokeRect(x, y - 8, 16, 16);
    ctx.fillStyle = COLOURS.text; ctx.textAlign = "left";
    ctx.fillText(name, x + 21, y);
    x += 21 + ctx.measureText(name).width + 18;
  }
  drawCross(ctx, x + 8, y, 7);
  ctx.fillStyle = COLOURS.text; ctx.textAlign = "left";
  ctx.fillText("its field's centre", x + 21, y);
}

function draw(ctx, st, W, H) {
  const a = st.a, n = a.extent, o = a.o, kEff = a.kEff;
  const [r0, r1, c0, c1] = st.shown.window;
  const titles = [`kernel ${a.k}×${a.k}, d=${a.d}`, `padded input ${n}×${n} (input ${a.i}×${a.i})`,
    `output ${o}×${o}, cell (${st.j[0]}, ${st.j[1]})`];
  const {cell, xs} = panelLayout(ctx, [kEff, n, o], titles, W, H);
  // the kernel: taps and the gaps between them
  title(ctx, titles[0], xs[0], 20);
  cells(ctx, xs[0], TOP, cell, kEff, kEff,
        (r, c) => (r % a.d === 0 && c % a.d === 0 ? COLOURS.kernel : COLOURS.blank));
  if (cell >= 34) {
    for (let r = 0; r < a.k; r++) {
      for (let c = 0; c < a.k; c++) {
        label(ctx, `w${"₀₁₂₃₄"[r]}${"₀₁₂₃₄"[c]}`, xs[0] + (c * a.d + 0.5) * cell,
              TOP + (r * a.d + 0.5) * cell);
      }
    }
  }
  // the padded input: what output cell j reads, and where its field is centred
  const rows = axisCells(a, st.j[0]), cols = axisCells(a, st.j[1]);
  title(ctx, titles[1], xs[1], 20);
  cells(ctx, xs[1], TOP, cell, n, n, (r, c) => {
    const kr = rows.kind[r], kc = cols.kind[c];
    const kind = kr === "overhang" || kc === "overhang" ? "overhang"
      : kr === "pad" || kc === "pad" ? "pad" : "input";
    return COLOURS[rows.tapped[r] && cols.tapped[c] ? TAPPED[kind] : kind];
  });
  ctx.setLineDash([6, 4]);
  outline(ctx, xs[1] + a.before * cell, TOP + a.before * cell, a.i * cell, a.i * cell, COLOURS.accent);
  ctx.setLineDash([]);
  outline(ctx, xs[1] + c0 * cell, TOP + r0 * cell, (c1 - c0 + 1) * cell, (r1 - r0 + 1) * cell);
  const [ch, cw] = st.shown.centre;
  drawCross(ctx, xs[1] + (cw + a.before + 0.5) * cell, TOP + (ch + a.before + 0.5) * cell,
            Math.max(6, Math.min(cell * 0.45, 12)));
  // the output grid
  title(ctx, titles[2], xs[2], 20);
  cells(ctx, xs[2], TOP, cell, o, o,
        (r, c) => COLOURS[r === st.j[0] && c === st.j[1] ? "current" : "output"]);
  drawLegend(ctx, H - LEGEND_H / 2);
}

export default explorer({
  name: "dilated",
  controls: [slider("input_size", "input i", 1, 12), slider("kernel_size", "kernel k", 1, 5),
    slider("dilation", "dilation d", 1, 4), slider("stride", "stride s", 1, 3),
    slider("padding", "padding p", 0, 4), choice("mode", "padding", PADDING_MODES),
    slider("cell", "output cell", 0, 1)],
  size: [800, 360], textLines: 3, compute, text, draw,
  limits: (st) => ({cell: st.indexMax}),
  enabled: (v) => ({padding: v.mode !== "same"}),
  groups: [["", ["input_size", "kernel_size", "dilation", "stride"]], ["", ["mode", "padding", "cell"]]],
});
