/* Chapter 06: the receptive-field stack builder. Up to four convolutions, each optionally
 * followed by a 2×2 max pool; the table of output size, jump, field size and start per
 * layer, and the field of one output unit on the input (the second implementation of
 * convlib.receptive.fields):
 *   j_l = j_{l−1}·s_l,   r_l = r_{l−1} + (k_l − 1)·d_l·j_{l−1},
 *   start_l = start_{l−1} + ((k_l − 1)·d_l / 2 − p_l)·j_{l−1}. */
import {COLOURS, cells, check, choice, explorer, fail, floorDiv, Invalid, outline, slider, title}
  from "./core.js";
import {convAxis, poolAxis} from "./shapes.js";

export function compute(v) {
  const layers = [];
  for (let n = 1; n <= v.n_layers; n++) {
    const k = v[`k${n}`], s = v[`s${n}`], d = v[`d${n}`];
    const p = v.padding === "half" ? floorDiv(d * (k - 1), 2) : 0;
    layers.push({name: `conv${n}`, kind: "conv", k, s, p, d});
    if (v[`pool${n}`]) layers.push({name: `pool${n}`, kind: "pool", k: 2, s: 2, p: 0, d: 1});
  }
  let size = v.size, jump = 1, r = 1, start = 0;
  const rows = [{name: "input", size, jump, r, start}];
  for (const L of layers) {
    try {
      size = L.kind === "pool" ? poolAxis(size, L.k, L.s, L.p, L.d, false)
                               : convAxis(size, L.k, L.s, L.p, L.d);
    } catch (e) {
      if (e instanceof Invalid) fail(`${e.message} (in layer '${L.name}')`);
      throw e;
    }
    start += ((L.k - 1) * L.d / 2 - L.p) * jump;
    r += (L.k - 1) * L.d * jump;
    jump *= L.s;
    rows.push({name: L.name, size, jump, r, start});
  }
  const o = size, unit = [Math.min(v.unit_row, o - 1), Math.min(v.unit_col, o - 1)];
  const bounds = unit.map((u) => [start + u * jump - (r - 1) / 2, start + u * jump + (r - 1) / 2]);
  return {rows, unit, shown: {output: o, jump, size: r, unit,
                              bounds: [bounds[0][0], bounds[0][1], bounds[1][0], bounds[1][1]]},
          indexMax: o - 1};
}

function text(st) {
  const table = st.rows.map((row) => `${row.name.padEnd(7)} ${String(row.size).padEnd(6)} ` +
    `${String(row.jump).padEnd(5)} ${String(row.r).padEnd(5)} ${row.start}`);
  const [fh, lh, fw, lw] = st.shown.bounds;
  return `layer   output jump  field start\n${table.join("\n")}\nunit (${st.unit[0]}, ` +
         `${st.unit[1]}): rows ${fh}…${lh}, cols ${fw}…${lw}`;
}

function draw(ctx, st, W, H, v) {
  const [fh, lh, fw, lw] = st.shown.bounds;
  const lo = Math.min(0, fh, fw), hi = Math.max(v.size - 1, lh, lw), top = 32;
  const n = hi - lo + 1, cell = Math.min((W - 20) / n, (H - top - 4) / n, 30);
  title(ctx, `input ${v.size}×${v.size}: field of unit (${st.unit[0]}, ${st.unit[1]})`, 10, 20);
  cells(ctx, 10, top, cell, n, n, (rr, cc) => {
    const r = rr + lo, c = cc + lo;
    const inside = r >= 0 && r < v.size && c >= 0 && c < v.size;
    const inField = r >= fh && r <= lh && c >= fw && c <= lw;
    return inField ? (inside ? COLOURS.tap : COLOURS.tap_pad) : inside ? COLOURS.input : COLOURS.pad;
  });
  outline(ctx, 10 + (fw - lo) * cell, top + (fh - lo) * cell, (lw - fw + 1) * cell,
          (lh - fh + 1) * cell, COLOURS.accent);
  outline(ctx, 10 + (0 - lo) * cell, top + (0 - lo) * cell, v.size * cell, v.size * cell);
}

const LAYERS = [1, 2, 3, 4];
const options = (lo, hi) => Object.fromEntries(
  Array.from({length: hi - lo + 1}, (_, n) => [String(lo + n), String(lo + n)]));
const layerControls = (n) => [choice(`k${n}`, `conv${n} kernel k`, options(1, 7), true),
  choice(`s${n}`, `conv${n} stride s`, options(1, 3), true),
  choice(`d${n}`, `conv${n} dilation d`, options(1, 3), true),
  check(`pool${n}`, `conv${n} then max-pool 2×2`)];
const layerNames = (n) => ["k", "s", "d", "pool"].map((p) => `${p}${n}`);

export default explorer({
  name: "receptive_field",
  controls: [slider("n_layers", "layers", 1, 4), slider("size", "input size i", 4, 32),
    choice("padding", "padding", {none: "p = 0", half: "p = ⌊d(k−1)/2⌋"}),
    ...LAYERS.flatMap(layerControls),
    slider("unit_row", "unit row", 0, 32), slider("unit_col", "unit col", 0, 32)],
  size: [340, 340], textLines: 11, compute, text, draw,
  limits: (st) => ({unit_row: st.indexMax, unit_col: st.indexMax}),
  enabled: (v) => Object.fromEntries(LAYERS.flatMap((n) =>
    layerNames(n).map((name) => [name, n <= v.n_layers]))),
  groups: [["stack", ["n_layers", "size", "padding"]],
    ["layer", LAYERS.map((n) => [`conv${n}`, layerNames(n)]),
     {columns: ["kernel k", "stride s", "dilation d", "then 2×2 max pool"]}],
    ["output unit", ["unit_row", "unit_col"]]],
});
