/* Chapter 08: the U-Net size plan (Ronneberger et al. 2015: 64 base channels, 1 input
 * channel, 2 classes, depth 4). The U of levels, each box the two 3×3 convs of a level
 * (input size → output size), the crop of every skip, the output size and the cost; a
 * level whose pool input is odd, or whose crop is uneven, in the error colour; below, the
 * strip of every input size of the slider: too small, a pool sees an odd size, or every
 * pool even (the second implementation of convlib.networks.plans.unet_plan):
 *   double conv  o = i − 4 + 4p,  pool  o = ⌊i / 2⌋,  up-conv  o = 2i,
 *   crop = skip − up, split (⌊crop / 2⌋, crop − ⌊crop / 2⌋). */
import {COLOURS, FONT, Invalid, choice, explorer, fail, floorDiv, outline, slider, title}
  from "./core.js";

const DEPTH = 4, BASE = 64, IN_CHANNELS = 1, CLASSES = 2;
/* The input-size slider's range (as convlib.widgets.networks.SIZES). */
export const SIZE_MIN = 16, SIZE_MAX = 700;

const convParams = (cin, cout, k) => k * k * cin * cout + cout;
const convMacs = (cin, cout, k, o) => k * k * cin * cout * o * o;

function double(i, p, where) {
  const o = i + 2 * p - 2 - 2 + 2 * p;
  if (o < 1) {
    fail(`\`input_size\` is too small: the two 3x3 convs of ${where} get ${i} pixels ` +
         `and leave ${o}`);
  }
  return o;
}

/* unet_plan(i, padding=p): sizes down and up, crops, output size, parameters and MACs. */
export function unetPlan(i, p) {
  if (p !== 0 && p !== 1) fail(`\`padding\` must be 0 (valid) or 1 (same), got ${p}`);
  const widths = [0, 1, 2, 3, 4].map((lv) => BASE * 2 ** lv);
  const down = [], pooled = [];
  let params = 0, macs = 0, cin = IN_CHANNELS, x = i;
  for (let lv = 0; lv <= DEPTH; lv++) {
    const o = double(x, p, `level ${lv} (down)`);
    down.push([x, o]);
    params += convParams(cin, widths[lv], 3) + convParams(widths[lv], widths[lv], 3);
    macs += convMacs(cin, widths[lv], 3, x + 2 * p - 2) + convMacs(widths[lv], widths[lv], 3, o);
    cin = widths[lv];
    if (lv < DEPTH) {
      if (o < 2) fail(`\`input_size\` is too small: the pool below level ${lv} gets ${o} pixel`);
      x = floorDiv(o, 2);
      pooled.push(x);
    }
  }
  pooled.push(null);
  const up = new Array(DEPTH).fill(null), crop = new Array(DEPTH).fill(null);
  x = down[DEPTH][1];
  for (let lv = DEPTH - 1; lv >= 0; lv--) {
    const c = widths[lv + 1];
    params += 2 * 2 * c * (c / 2) + c / 2;    // the 2×2 up-convolution
    macs += 2 * 2 * c * (c / 2) * x * x;      // counted on its input
    x *= 2;
    const cut = down[lv][1] - x;
    up[lv] = x;
    crop[lv] = [floorDiv(cut, 2), cut - floorDiv(cut, 2)];
    const o = double(x, p, `level ${lv} (up)`);
    params += convParams(c, c / 2, 3) + convParams(c / 2, c / 2, 3);
    macs += convMacs(c, c / 2, 3, x + 2 * p - 2) + convMacs(c / 2, c / 2, 3, o);
    x = o;
  }
  params += convParams(BASE, CLASSES, 1);
  macs += convMacs(BASE, CLASSES, 1, x);
  const oddLevels = down.slice(0, DEPTH).flatMap(([, o], lv) => (o % 2 ? [lv] : []));
  return {input_size: i, padding: p, down, pooled, up, crop, even_pools: !oddLevels.length,
          output_size: x, params, macs, odd_levels: oddLevels};
}

/* Per padding, the kind of every slider size: 0 too small, 1 a pool input odd, 2 every
 * pool even (computed once: 685 plans). */
const KINDS = {};
export function sizeKinds(p) {
  if (!KINDS[p]) {
    KINDS[p] = [];
    for (let i = SIZE_MIN; i <= SIZE_MAX; i++) {
      let kind;
      try {
        kind = unetPlan(i, p).even_pools ? 2 : 1;
      } catch (e) {
        if (!(e instanceof Invalid)) throw e;
        kind = 0;
      }
      KINDS[p].push(kind);
    }
  }
  return KINDS[p];
}

/* The sizes of the slider nearest to i (below, above; null if none) with every pool even. */
export function nearestEven(i, p) {
  const kinds = sizeKinds(p);
  let below = null, above = null;
  for (let n = i - 1; n >= SIZE_MIN && below === null; n--) if (kinds[n - SIZE_MIN] === 2) below = n;
  for (let n = i + 1; n <= SIZE_MAX && above === null; n++) if (kinds[n - SIZE_MIN] === 2) above = n;
  return [below, above];
}

export function compute(v) {
  const plan = unetPlan(v.input_size, v.padding);
  return {plan, shown: {...plan, nearest: nearestEven(v.input_size, v.padding)}};
}

function text(st) {
  const plan = st.plan, [below, above] = st.shown.nearest;
  const first = plan.even_pools ? "every 2×2 pool sees an even size: every crop centred"
    : `odd pool input at level ${plan.odd_levels.join(", ")}: a floor drops a row, ` +
      "a crop is off centre";
  return `${first}\nnearest sizes with every pool even: ${below ?? "none"} below, ` +
         `${above ?? "none"} above`;
}

// ------------------------------------------------------------------- the picture
const BOX_W = 80, BOX_H = 30, ROW0 = 54, ROW_STEP = 48;
const colX = (W, c) => 50 + c * (W - 100) / (2 * DEPTH);
const rowY = (lv) => ROW0 + lv * ROW_STEP;

/* Text centred on (x, y) in `colour`. */
function words(ctx, text, x, y, colour) {
  ctx.font = FONT.label; ctx.fillStyle = colour || COLOURS.text;
  ctx.textAlign = "center"; ctx.textBaseline = "middle";
  ctx.fillText(text, x, y);
}

function arrow(ctx, x0, y0, x1, y1, dashed) {
  const a = Math.atan2(y1 - y0, x1 - x0), head = 9;
  ctx.strokeStyle = COLOURS.line; ctx.fillStyle = COLOURS.line; ctx.lineWidth = 1.5;
  ctx.setLineDash(dashed ? [6, 4] : []);
  ctx.beginPath(); ctx.moveTo(x0, y0); ctx.lineTo(x1, y1); ctx.stroke();
  ctx.setLineDash([]);
  ctx.beginPath();
  ctx.moveTo(x1, y1);
  ctx.lineTo(x1 - head * Math.cos(a - 0.4), y1 - head * Math.sin(a - 0.4));
  ctx.lineTo(x1 - head * Math.cos(a + 0.4), y1 - head * Math.sin(a + 0.4));
  ctx.fill();
}

function box(ctx, x, y, fill, text) {
  ctx.fillStyle = fill;
  ctx.fillRect(x - BOX_W / 2, y - BOX_H / 2, BOX_W, BOX_H);
  ctx.strokeStyle = COLOURS.line; ctx.lineWidth = 1;
  ctx.strokeRect(x - BOX_W / 2, y - BOX_H / 2, BOX_W, BOX_H);
  words(ctx, text, x, y);
}

function drawU(ctx, plan, W) {
  const last = 2 * DEPTH;
  for (let lv = 0; lv < DEPTH; lv++) {  // skips, pools, up-convolutions
    const y = rowY(lv), [before, after] = plan.crop[lv];
    arrow(ctx, colX(W, lv) + BOX_W / 2, y, colX(W, last - lv) - BOX_W / 2 - 2, y, true);
    words(ctx, `crop ${before}+${after}`, W / 2, y - 12,
          before === after ? COLOURS.text : COLOURS.error);
    arrow(ctx, colX(W, lv) + 18, y + BOX_H / 2, colX(W, lv + 1) - 18, rowY(lv + 1) - BOX_H / 2 - 1);
    arrow(ctx, colX(W, last - lv - 1) + 18, rowY(lv + 1) - BOX_H / 2,
          colX(W, last - lv) - 18, y + BOX_H / 2 + 1);
  }
  for (let lv = 0; lv <= DEPTH; lv++) {
    const [i, o] = plan.down[lv], odd = lv < DEPTH && o % 2 === 1;
    box(ctx, colX(W, lv), rowY(lv), odd ? COLOURS.error_fill : COLOURS.input, `${i}→${o}`);
  }
  for (let lv = 0; lv < DEPTH; lv++) {
    const u = plan.up[lv], uneven = plan.crop[lv][0] !== plan.crop[lv][1];
    box(ctx, colX(W, last - lv), rowY(lv), uneven ? COLOURS.error_fill : COLOURS.output,
        `${u}→${u - 4 + 4 * plan.padding}`);
  }
}

function legend(ctx, W, y) {
  words(ctx, "box: a level's two 3×3 convs, size in→out   ↘ 2×2 max pool, ÷2   " +
             "↗ 2×2 up-conv, ×2", W / 2, y);
  words(ctx, "- - → skip, centre-cropped before+after   red: an odd pool input, " +
             "an uneven crop", W / 2, y + 21);
}

function swatch(ctx, x, y, colour, text) {
  ctx.fillStyle = colour;
  ctx.fillRect(x, y - 7, 14, 14);
  ctx.strokeStyle = COLOURS.line; ctx.lineWidth = 1;
  ctx.strokeRect(x, y - 7, 14, 14);
  ctx.font = FONT.label; ctx.fillStyle = COLOURS.text;
  ctx.textAlign = "left"; ctx.textBaseline = "middle";
  ctx.fillText(text, x + 20, y);
  return x + 20 + ctx.measureText(text).width + 22;
}

/* Every size of the slider, one column each, and a marker at the current one. */
function drawStrip(ctx, plan, W, y) {
  const kinds = sizeKinds(plan.padding), n = kinds.length, x0 = 20, w = (W - 40) / n, h = 22;
  title(ctx, `input sizes ${SIZE_MIN} to ${SIZE_MAX}`, x0, y - 14);
  let x = 230;
  x = swatch(ctx, x, y - 20, COLOURS.pad, "too small");
  x = swatch(ctx, x, y - 20, COLOURS.error_fill, "a pool input odd");
  swatch(ctx, x, y - 20, COLOURS.current, "every pool even");
  const first = kinds.indexOf(0) === 0 ? kinds.findIndex((k) => k > 0) : 0;  // too small below
  ctx.fillStyle = COLOURS.pad;
  ctx.fillRect(x0, y, (first < 0 ? n : first) * w, h);
  ctx.fillStyle = COLOURS.error_fill;
  if (first >= 0) ctx.fillRect(x0 + first * w, y, (n - first) * w, h);
  ctx.fillStyle = COLOURS.current;
  kinds.forEach((k, c) => { if (k === 2) ctx.fillRect(x0 + c * w - 1, y, Math.max(w, 2.5), h); });
  outline(ctx, x0, y, n * w, h, COLOURS.line);
  const at = x0 + (plan.input_size - SIZE_MIN + 0.5) * w;
  ctx.fillStyle = COLOURS.kernel;  // the current size: a line across and a triangle above
  ctx.fillRect(at - 1.5, y - 3, 3, h + 6);
  ctx.beginPath(); ctx.moveTo(at - 7, y - 12); ctx.lineTo(at + 7, y - 12); ctx.lineTo(at, y - 2);
  ctx.fill();
  ctx.font = FONT.label; ctx.fillStyle = COLOURS.text;
  ctx.textBaseline = "top"; ctx.textAlign = "center";
  for (let t = 100; t <= SIZE_MAX; t += 100) ctx.fillText(String(t), x0 + (t - SIZE_MIN + 0.5) * w, y + h + 6);
}

function draw(ctx, st, W, H) {
  const plan = st.plan, kind = plan.padding === 0 ? "valid" : "'same'";
  title(ctx, `${kind} convs: ${plan.input_size}×${plan.input_size} → ` +
             `${plan.output_size}×${plan.output_size}, ${(plan.macs / 1e9).toFixed(1)} GMACs, ` +
             `${plan.params.toLocaleString("en-US")} parameters`, 10, 22);
  drawU(ctx, plan, W);
  legend(ctx, W, rowY(DEPTH) + BOX_H / 2 + 20);
  drawStrip(ctx, plan, W, H - 52);
}

export default explorer({
  name: "unet",
  controls: [slider("input_size", "input size", SIZE_MIN, SIZE_MAX, true),
    choice("padding", "3×3 convs", {0: "valid (padding 0)", 1: "'same' (padding 1)"}, true)],
  size: [800, 400], textLines: 2, compute, text, draw,
});
