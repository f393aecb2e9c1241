/* The shared part of every explorer: colours, the invalid-configuration error, canvas
 * drawing, and `explorer(spec)`, which turns an explorer's spec into an anywidget module
 * ({render}) that runs the same way from stored values without a kernel (`mountAll`).
 *
 * An explorer module (feature_map.js, ...) imports from here and exports
 *   compute(values)  pure: the control values -> what is shown (throws Invalid), and
 *   default explorer(spec), with spec = {
 *     name,                    the data-explorer name,
 *     controls,                [slider(...), choice(...), check(...)],
 *     size: [w, h],            the canvas size in CSS px,
 *     compute,                 as above: returns {shown, ...}; `shown` goes to data-state,
 *     text(st, v),             the lines printed under the picture,
 *     textLines,               how many lines `text` may take (so nothing below jumps),
 *     textBeside?              print `text` beside the picture instead of under it,
 *     draw(ctx, st, w, h, v),  the picture,
 *     limits(st, v)?           {control: max} for controls whose range follows the state,
 *     enabled(v)?              {control: false} for controls that do not apply,
 *     groups?                  [[title or "", [control names]], ...]: controls shown
 *                              together (one block each); the rest follow in one block;
 *                              [title, [[row label, [names]], ...], {columns: [...]}] is
 *                              a table block: one row of compact controls per label }.
 * Files are ES modules; convlib/web/esm.py joins one explorer and what it imports into
 * the single module that anywidget and a static page load. No library, no CDN. */

export const COLOURS = {input: "#9ecae1", pad: "#e6e6e6", tap: "#e69f00", tap_pad: "#f5c983",
  overhang: "#ffffff", tap_overhang: "#fbe3bd", output: "#a1d99b", current: "#009e73",
  kernel: "#d55e00", line: "#404040", text: "#202020", error: "#b00020", accent: "#0072b2",
  error_fill: "#f4b6c2",
  heat: ["#ffffff", "#dadaeb", "#9e9ac8", "#6a51a3", "#54278f"],
  /* successive groups of channels (convlib.draw.core.GROUP_COLOURS), cycled */
  group: ["#56b4e9", "#cc79a7", "#f0e442", "#7f7f7f", "#8c564b", "#17becf"],
  /* nothing there (a zero weight); a cell never read (drawn hatched); counts from 1 up
   * (convlib.draw.core.PATHS_CMAP: a count of 1 is clearly coloured, never a hole) */
  blank: "#ffffff", hole: "#bdbdbd", paths: ["#c6c3e0", "#9e9ac8", "#6a51a3", "#54278f"]};
/* Canvas text: legible from the back of a room on a 1280x720 slide. */
export const FONT = {title: "18px sans-serif", label: "16px sans-serif"};

export class Invalid extends Error {}
export const fail = (msg) => { throw new Invalid(msg); };
export const floorDiv = (a, b) => Math.floor(a / b);
export const pyBool = (b) => (b ? "True" : "False");

// ------------------------------------------------------------------ controls
/* wide: a precise slider for a long range (a track of at least 300 px, its block across
 * the whole panel); numeric: a choice whose values are numbers (an int trait). */
export const slider = (name, text, lo, hi, wide = false) =>
  ({name, text, kind: "range", lo, hi, wide});
export const choice = (name, text, labels, numeric = false) =>
  ({name, text, kind: "select", options: Object.keys(labels), labels, numeric});
export const check = (name, text) => ({name, text, kind: "check"});

// ------------------------------------------------------------------- drawing
const RGB = {};
function rgbOf(colour) {
  if (!RGB[colour]) {
    const m = colour.match(/^rgb\((\d+),(\d+),(\d+)\)$/);
    RGB[colour] = m ? [Number(m[1]), Number(m[2]), Number(m[3])]
      : [1, 3, 5].map((i) => parseInt(colour.slice(i, i + 2), 16));
  }
  return RGB[colour];
}
let scratch = null;
/* rows x cols cells of colour(r, c) at (x, y), `cell` px each: one pixel per cell in an
 * ImageData, scaled up without smoothing, then the grid as one path. O(cells) array
 * writes, so a 150 x 150 field still draws in about a millisecond. */
export function cells(ctx, x, y, cell, rows, cols, colour) {
  scratch = scratch || document.createElement("canvas");
  scratch.width = cols; scratch.height = rows;
  const sctx = scratch.getContext("2d"), img = sctx.createImageData(cols, rows);
  for (let r = 0, i = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++, i += 4) {
      const [R, G, B] = rgbOf(colour(r, c));
      img.data[i] = R; img.data[i + 1] = G; img.data[i + 2] = B; img.data[i + 3] = 255;
    }
  }
  sctx.putImageData(img, 0, 0);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(scratch, x, y, cols * cell, rows * cell);
  if (cell >= 5) {
    ctx.beginPath();
    for (let r = 0; r <= rows; r++) { ctx.moveTo(x, y + r * cell); ctx.lineTo(x + cols * cell, y + r * cell); }
    for (let c = 0; c <= cols; c++) { ctx.moveTo(x + c * cell, y); ctx.lineTo(x + c * cell, y + rows * cell); }
    ctx.strokeStyle = COLOURS.line;
    ctx.lineWidth = 0.6;
    ctx.stroke();
  }
}
export function outline(ctx, x, y, w, h, colour) {
  ctx.strokeStyle = colour || COLOURS.line;
  ctx.lineWidth = 2.5;
  ctx.strokeRect(x, y, w, h);
}
/* A title whose baseline is at y (18 px text: leave about 26 px above the grid). */
export function title(ctx, text, x, y) {
  ctx.fillStyle = COLOURS.text;
  ctx.font = FONT.title;
  ctx.textAlign = "left";
  ctx.textBaseline = "alphabetic";
  ctx.fillText(text, x, y);
}
/* A label centred on (x, y); draw cell labels only where cells are at least 24 px. */
export function label(ctx, text, x, y) {
  ctx.fillStyle = COLOURS.text;
  ctx.font = FONT.label;
  ctx.textAlign = "center";
  ctx.textBaseline = "middle";
  ctx.fillText(text, x, y);
}
/* The colour of t in [0, 1] on the white-to-purple heat scale (or on `stops`). */
export function heat(t, stops = COLOURS.heat) {
  const x = Math.max(0, Math.min(1, t)) * (stops.length - 1);
  const a = Math.floor(x), b = Math.min(a + 1, stops.length - 1), f = x - a;
  const ca = rgbOf(stops[a]), cb = rgbOf(stops[b]);
  return `rgb(${ca.map((c, i) => Math.round(c + (cb[i] - c) * f)).join(",")})`;
}

// --------------------------------------------------------------- the widget
const STYLE = {
  root: "display:flex;flex-wrap:wrap;gap:10px 18px;align-items:flex-start;" +
        "font:15px sans-serif;color:#202020;max-width:100%",
  figure: "position:relative;flex:0 1 auto;max-width:100%",
  message: "position:absolute;left:0;right:0;top:30%;margin:0 8%;padding:8px 12px;" +
           "background:rgba(255,255,255,0.92);border-left:4px solid #b00020;color:#b00020;" +
           "font:16px sans-serif;white-space:pre-wrap",
  text: "margin:4px 0 0 0;white-space:pre-wrap;font:15px monospace",
  panel: "flex:1 1 320px;display:grid;gap:4px 16px;" +
         "grid-template-columns:repeat(auto-fill,minmax(300px,1fr));min-width:300px",
  row: "display:flex;align-items:center;gap:8px;min-height:28px",
  name: "flex:0 0 118px",
  range: "flex:1 1 auto;min-width:160px",
};

function control(c, value) {
  let input;
  if (c.kind === "range") {
    input = document.createElement("input");
    input.type = "range"; input.min = c.lo; input.max = c.hi; input.step = 1;
    input.value = value ?? c.lo;
    input.style.cssText = STYLE.range + (c.wide ? ";min-width:300px" : "");
  } else if (c.kind === "select") {
    input = document.createElement("select");
    for (const o of c.options) {
      const opt = document.createElement("option");
      opt.value = o; opt.textContent = c.labels[o];
      input.append(opt);
    }
    input.value = value ?? c.options[0];
    input.style.cssText = "font:inherit;flex:1 1 auto";
    if (c.numeric) input.dataset.numeric = "1";
  } else {
    input = document.createElement("input");
    input.type = "checkbox";
    input.checked = Boolean(value);
  }
  input.name = c.name;
  input.setAttribute("aria-label", c.text);
  return input;
}

const read = (input, c) => (c.kind === "range" || c.numeric ? Number(input.value)
  : c.kind === "check" ? input.checked : input.value);
function write(input, c, value) {
  if (c.kind === "check") input.checked = Boolean(value); else input.value = String(value);
}

/* Keys typed into an explorer's control belong to the control: the page's shortcuts
 * (JupyterLab's, RISE's and reveal.js's, some of them capture-phase listeners on the
 * document) never see them, and the browser's default action (a slider step) still
 * happens. One capture-phase listener on the window, which runs before all of them. */
let keysKept = false;
function keepKeysInControls() {
  if (keysKept) return;
  keysKept = true;
  window.addEventListener("keydown", (e) => {
    const t = e.target;
    if (t && t.name && t.closest && t.closest(".convlib-explorer")) e.stopPropagation();
  }, true);
}

/* Build the explorer in `el`, reading and writing its control values through `model`
 * (anywidget's, or the stand-in of `mountAll`). Every move redraws synchronously. */
function mount(spec, model, el) {
  const root = document.createElement("div");
  root.className = "convlib-explorer";
  root.dataset.explorer = spec.name;
  // JupyterLab: arrow keys on a focused slider move the slider, not the notebook
  root.setAttribute("data-lm-suppress-shortcuts", "true");
  keepKeysInControls();
  root.style.cssText = STYLE.root;
  const figure = document.createElement("div");
  figure.style.cssText = STYLE.figure;
  const canvas = document.createElement("canvas");
  const [cw, chh] = spec.size;
  const ratio = Math.max(window.devicePixelRatio || 1, 2);  // sharp when a deck scales up
  canvas.width = cw * ratio; canvas.height = chh * ratio;
  canvas.style.cssText = `display:block;width:${cw}px;max-width:100%;height:auto`;
  const message = document.createElement("div");
  message.className = "convlib-message";
  message.setAttribute("role", "alert");
  message.style.cssText = STYLE.message;
  const text = document.createElement("pre");
  text.className = "convlib-text";
  text.style.cssText = `${STYLE.text};min-height:${(spec.textLines || 1) * 1.3}em`;
  if (spec.textBeside) figure.style.cssText += ";display:flex;gap:16px;align-items:flex-start";
  figure.append(canvas, message, text);
  const panel = document.createElement("div");
  panel.className = "convlib-controls";
  panel.style.cssText = STYLE.panel;
  root.append(figure, panel);
  el.replaceChildren(root);

  const inputs = {};
  const byName = Object.fromEntries(spec.controls.map((c) => [c.name, c]));
  const namesOf = ([, names, table]) => (table ? names.flatMap(([, row]) => row) : names);
  const grouped = new Set((spec.groups || []).flatMap(namesOf));
  const groups = [...(spec.groups || []),
    ["", spec.controls.map((c) => c.name).filter((n) => !grouped.has(n))]];
  for (const [heading, names, table] of groups) {
    if (!names.length) continue;
    if (table) {
      panel.append(tableBlock(heading, names, table.columns));
      continue;
    }
    const block = document.createElement("div");
    if (names.some((n) => byName[n].wide)) {  // a wide slider: its block spans the panel
      block.style.gridColumn = "1 / -1";
      panel.style.minWidth = "480px";
    }
    if (heading) {
      const h = document.createElement("div");
      h.textContent = heading;
      h.style.cssText = "font-weight:bold;margin-top:2px";
      block.append(h);
    }
    for (const n of names) block.append(controlRow(byName[n]));
    panel.append(block);
  }
  /* A table of compact controls (a select or a checkbox per cell), one row per label:
   * e.g. one row per layer of a stack, with k, s, d and a pool switch as columns. */
  function tableBlock(heading, rows, columns) {
    const block = document.createElement("div");
    block.style.cssText = "display:grid;gap:2px 10px;align-items:center;" +
      `grid-template-columns:auto repeat(${columns.length},auto);justify-content:start`;
    for (const head of [heading, ...columns]) {
      const h = document.createElement("div");
      h.textContent = head;
      h.style.cssText = "font-weight:bold;margin-top:2px";
      block.append(h);
    }
    for (const [label, names] of rows) {
      const cell = document.createElement("div");
      cell.textContent = label;
      block.append(cell);
      for (const n of names) {
        const c = byName[n], input = control(c, model.get(n));
        input.style.flex = "";
        input.style.minHeight = "26px";
        inputs[n] = {input, shown: document.createElement("output"), c};
        input.addEventListener("input", () => { update(); push(); });
        input.addEventListener("change", () => { update(); push(); });
        block.append(input);
      }
    }
    return block;
  }
  function controlRow(c) {
    const row = document.createElement("label");
    row.style.cssText = STYLE.row;
    const name = document.createElement("span");
    name.textContent = c.text;
    name.style.cssText = STYLE.name;
    const input = control(c, model.get(c.name));
    const shown = document.createElement("output");
    shown.style.cssText = "flex:0 0 2.2em;text-align:right";
    row.append(name, input, shown);
    inputs[c.name] = {input, shown, c};
    input.addEventListener("input", () => { update(); push(); });
    input.addEventListener("change", () => { update(); push(); });
    return row;
  }
  /* The controls' values, and the fixed data the explorer was built with (spec.data: names
   * of model values that no control changes, such as an image and a kernel). */
  const values = () => Object.fromEntries([
    ...(spec.data || []).map((n) => [n, model.get(n)]),
    ...Object.entries(inputs).map(([n, {input, c}]) => [n, read(input, c)])]);
  /* Send what the controls hold (a state-dependent range may have clamped a value). */
  function push() {
    let changed = false;
    for (const [n, {input, c}] of Object.entries(inputs)) {
      const v = read(input, c);
      if (model.get(n) !== v) { model.set(n, v); changed = true; }
    }
    if (changed) model.save_changes();
  }
  const ctx = canvas.getContext("2d");
  function update() {
    const t0 = performance.now();
    let v = values();
    if (spec.enabled) {
      const on = spec.enabled(v);
      for (const [n, {input}] of Object.entries(inputs)) input.disabled = on[n] === false;
    }
    const showValues = () => {
      for (const {input, shown, c} of Object.values(inputs)) {
        if (c.kind === "range") shown.textContent = input.value;
      }
    };
    showValues();
    let st;
    try {
      st = spec.compute(v);
    } catch (e) {
      if (!(e instanceof Invalid)) throw e;
      root.dataset.error = e.message;
      delete root.dataset.state;
      message.textContent = `⚠ Not a valid configuration: ${e.message}`;
      message.hidden = false;
      text.style.visibility = "hidden";
      canvas.style.opacity = "0.3";
      canvas.style.filter = "grayscale(1)";
      root.dataset.ms = (performance.now() - t0).toFixed(3);
      return;
    }
    if (spec.limits) {  // e.g. the output-cell slider spans the output grid
      for (const [n, last] of Object.entries(spec.limits(st, v))) {
        const input = inputs[n].input;
        input.max = Math.max(last, 1);
        input.disabled = last === 0;
      }
      const clamped = values();
      if (Object.keys(clamped).some((n) => clamped[n] !== v[n])) {
        v = clamped;
        st = spec.compute(v);
      }
    }
    showValues();
    delete root.dataset.error;
    root.dataset.state = JSON.stringify(st.shown);
    message.textContent = "";
    message.hidden = true;
    text.textContent = spec.text(st, v);
    text.style.visibility = "visible";
    canvas.style.opacity = "1";
    canvas.style.filter = "none";
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, cw, chh);
    spec.draw(ctx, st, cw, chh, v);
    root.dataset.ms = (performance.now() - t0).toFixed(3);
  }
  /* Python set a value (ex.stride = 2): show it and redraw. */
  const listeners = spec.controls.map((c) => {
    const on = () => { write(inputs[c.name].input, c, model.get(c.name)); update(); push(); };
    model.on(`change:${c.name}`, on);
    return [`change:${c.name}`, on];
  });
  update();
  push();  // a value outside a slider's range comes back clamped
  return () => listeners.forEach(([event, on]) => model.off(event, on));
}

/* The anywidget module of one explorer. */
export function explorer(spec) {
  return {render: ({model, el}) => mount(spec, model, el)};
}

/* Without a kernel (the site, the decks): render every <div data-explorer-values> of this
 * explorer from the values stored in it, with a plain object standing in for the model. */
export function mountAll(widget, name) {
  document.querySelectorAll(`div[data-explorer-static="${name}"]:not([data-mounted])`)
    .forEach((el) => {
      el.dataset.mounted = "1";
      const values = JSON.parse(el.dataset.explorerValues);
      const model = {get: (k) => values[k], set: (k, v) => { values[k] = v; },
                     save_changes() {}, on() {}, off() {}};
      widget.render({model, el});
    });
}
