/* Chapter 04: the gridding explorer. Up to four stacked stride-1, unpadded dilated layers
 * (kernel k, dilations d1 .. d4, bottom layer first): which pixels of its RF × RF field the
 * centre unit reads, shaded by the number of paths of kernel taps to it (the gradient of
 * that unit with all-ones weights), hatched grey where it reads nothing (a hole: never a
 * count of 1, which is clearly coloured). The second implementation of
 * convlib.dilated.layout.gridding_view and gridding_text (convlib.dilated.masks.gridding_mask):
 *   RF = 1 + (k − 1) Σ d,   paths(y, x) = a(y) a(x),   a = the taps' masks convolved. */
import {COLOURS, FONT, cells, explorer, fail, heat, outline, slider, title} from "./core.js";

/* Path counts along one axis: the masks [1, 0 × (d−1), 1, ...] (k taps) convolved. */
export function pathsAxis(dilations, k) {
  let counts = [1];
  for (const d of dilations) {
    const next = new Array(counts.length + d * (k - 1)).fill(0);
    counts.forEach((c, x) => { for (let t = 0; t < k; t++) next[x + t * d] += c; });
    counts = next;
  }
  return counts;
}

const positive = (name, v) => {
  if (!Number.isInteger(v) || v < 1) fail(`\`${name}\` must be a positive int, got ${v}`);
  return v;
};

/* Python's format(x, ".0%") of a fraction: x·100 in floating point, ties to even. */
export function percent(x) {
  const p = x * 100, lo = Math.floor(p);
  return p - lo === 0.5 ? (lo % 2 === 0 ? lo : lo + 1) : Math.round(p);
}

export function compute(v) {
  const ds = [v.d1, v.d2, v.d3, v.d4].slice(0, Math.max(v.layers, 0));
  if (!ds.length) fail("`dilations` must be a non-empty sequence of ints, got ()");
  ds.forEach((d) => positive("dilations", d));
  const k = positive("kernel_size", v.kernel_size);
  const axis = pathsAxis(ds, k), size = axis.length;
  const readAxis = axis.filter((c) => c > 0).length, read = readAxis * readAxis;
  const most = Math.max(...axis) ** 2, total = size * size;
  return {ds, k, axis, most, shown: {dilations: ds, size, read, holes: total - read,
          never_read_pct: percent(1 - read / total), max_paths: most, axis}};
}

function text(st) {
  const {size, read, holes, never_read_pct: pct} = st.shown;
  return `RF = 1 + (k−1)·Σd = 1 + ${st.k - 1}·(${st.ds.join("+")}) = ${size};\n` +
         `reads ${read} of ${size * size} pixels, ${holes} holes (${pct}% never read)`;
}

// ------------------------------------------------------------------ drawing
const TOP = 32, LEFT = 10;
let hatchTile = null;
/* Grey with white diagonal lines (matplotlib's "///" over PALETTE["hole"]). */
function hatch(ctx) {
  if (!hatchTile) {
    hatchTile = document.createElement("canvas");
    hatchTile.width = hatchTile.height = 16;
    const h = hatchTile.getContext("2d");
    h.fillStyle = COLOURS.hole;
    h.fillRect(0, 0, 16, 16);
    h.strokeStyle = COLOURS.blank;
    h.lineWidth = 2;
    h.beginPath();
    for (const o of [-16, 0, 16]) { h.moveTo(o, 16); h.lineTo(o + 16, 0); }
    h.stroke();
  }
  const pattern = ctx.createPattern(hatchTile, "repeat");
  pattern.setTransform(new DOMMatrix().scale(0.5));  // 8 CSS px per stripe
  return pattern;
}

/* The never-read cells, hatched: one rectangle per run of holes in a row. */
function drawHoles(ctx, x0, y0, cell, axis) {
  ctx.beginPath();
  const n = axis.length;
  for (let r = 0; r < n; r++) {
    let c = 0;
    while (c < n) {
      if (axis[r] > 0 && axis[c] > 0) { c++; continue; }
      const start = c;
      while (c < n && !(axis[r] > 0 && axis[c] > 0)) c++;
      ctx.rect(x0 + start * cell, y0 + r * cell, (c - start) * cell, cell);
    }
  }
  ctx.fillStyle = hatch(ctx);
  ctx.fill();
}

/* Ticks of the colour bar: whole numbers of paths from 1 to `most`. */
function ticks(most) {
  if (most <= 6) return Array.from({length: most}, (_, n) => n + 1);
  const raw = (most - 1) / 4, mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw);
  const out = [1];
  for (let t = step; t < most; t += step) if (t - 1 >= step / 2 && most - t >= step / 2) out.push(t);
  return [...out, most];
}

function drawLegend(ctx, x, y, h, most) {
  ctx.font = FONT.label;
  ctx.fillStyle = COLOURS.text; ctx.textAlign = "left"; ctx.textBaseline = "alphabetic";
  ctx.fillText("paths to the unit", x, y - 20);
  const barW = 22, top = most > 1 ? most : 2;  // the scale spans 1 .. max(most, 2)
  for (let py = 0; py < h; py++) {
    ctx.fillStyle = heat(1 - py / (h - 1), COLOURS.paths);
    ctx.fillRect(x, y + py, barW, 1.5);
  }
  outline(ctx, x, y, barW, h);
  ctx.textBaseline = "middle";
  ctx.fillStyle = COLOURS.text;
  for (const t of ticks(top)) {
    const ty = y + (1 - (t - 1) / (top - 1)) * (h - 1);
    ctx.fillRect(x + barW, ty - 0.75, 5, 1.5);
    ctx.fillText(String(t), x + barW + 9, ty);
  }
  const sy = y + h + 30;
  ctx.fillStyle = hatch(ctx);
  ctx.fillRect(x, sy - 11, barW, 22);
  outline(ctx, x, sy - 11, barW, 22);
  ctx.fillStyle = COLOURS.text;
  ctx.fillText("never read", x + barW + 9, sy);
  outline(ctx, x + 3, sy + 30, 16, 16, COLOURS.tap);
  ctx.fillStyle = COLOURS.text;
  ctx.fillText("the centre unit", x + barW + 9, sy + 38);
}

function draw(ctx, st, W, H) {
  const {axis, most} = st, n = axis.length;
  const side = H - TOP - 8, cell = Math.min(side / n, 34), top = most > 1 ? most : 2;
  const x0 = LEFT + (side - n * cell) / 2, y0 = TOP + (side - n * cell) / 2;  // centred in the box
  title(ctx, `field of the centre unit, dilations ${st.ds.join(", ")}`, LEFT, 20);
  const colour = new Map([[0, COLOURS.hole]]);  // few distinct counts: one colour each
  cells(ctx, x0, y0, cell, n, n, (r, c) => {
    const paths = axis[r] * axis[c];
    if (!colour.has(paths)) colour.set(paths, heat((paths - 1) / (top - 1), COLOURS.paths));
    return colour.get(paths);
  });
  drawHoles(ctx, x0, y0, cell, axis);
  outline(ctx, x0, y0, n * cell, n * cell);
  const c = (n - 1) / 2, mark = Math.max(cell, 10);
  outline(ctx, x0 + (c + 0.5) * cell - mark / 2, y0 + (c + 0.5) * cell - mark / 2, mark, mark,
          COLOURS.tap);
  drawLegend(ctx, LEFT + side + 40, TOP + 40, 180, most);
}

export default explorer({
  name: "gridding",
  controls: [slider("layers", "layers", 1, 4), slider("kernel_size", "kernel k", 2, 5),
    slider("d1", "d1", 1, 6), slider("d2", "d2", 1, 6), slider("d3", "d3", 1, 6),
    slider("d4", "d4", 1, 6)],
  size: [620, 400], textLines: 2, compute, text, draw,
  enabled: (v) => ({d1: true, d2: v.layers >= 2, d3: v.layers >= 3, d4: v.layers >= 4}),
  groups: [["stack", ["layers", "kernel_size"]], ["dilations, bottom layer first",
    ["d1", "d2", "d3", "d4"]]],
});
