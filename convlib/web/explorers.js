/* Kernel-free explorers of the course: feature map (02), transposed convolution (03) and
 * the receptive-field stack builder (06). Each <div data-explorer="NAME" data-initial='{...}'>
 * becomes controls + a canvas; every move redraws synchronously (well under one frame).
 * The arithmetic is a second implementation of convlib's (shapes.py, windows.py,
 * transposed_layout.py, receptive.py, field_stacks.py), and the invalid messages are the
 * same text. What is shown is also written to data-state (JSON) or data-error, which the
 * Chromium test compares with convlib. No library, no CDN. */
(function () {
  "use strict";
  if (window.convlibExplorers) { window.convlibExplorers.initAll(); return; }

  const COLOURS = {input: "#9ecae1", pad: "#e6e6e6", tap: "#e69f00", tap_pad: "#f5c983",
    overhang: "#ffffff", tap_overhang: "#fbe3bd", output: "#a1d99b", current: "#009e73",
    kernel: "#d55e00", line: "#404040", text: "#202020", error: "#b00020", accent: "#0072b2",
    heat: ["#ffffff", "#dadaeb", "#9e9ac8", "#6a51a3", "#54278f"]};

  class Invalid extends Error {}
  const fail = (msg) => { throw new Invalid(msg); };
  const floorDiv = (a, b) => Math.floor(a / b);
  const pyBool = (b) => (b ? "True" : "False");

  // ---------------------------------------------------------------- shapes.py
  function checkFits(i, padded, kEff, padText) {
    if (kEff > padded) {
      fail(`\`kernel_size\` too large: effective kernel ${kEff} is larger than the padded ` +
           `input ${padded} (input_size=${i}${padText})`);
    }
  }
  function convAxis(i, k, s, p, d) {
    const kEff = d * (k - 1) + 1;
    checkFits(i, i + 2 * p, kEff, `, padding=${p}`);
    return floorDiv(i + 2 * p - kEff, s) + 1;
  }
  function poolAxis(i, k, s, p, d, ceil) {
    const kEff = d * (k - 1) + 1;
    if (p > floorDiv(k, 2)) {
      fail(`\`padding\` must be at most half the kernel size, got padding=${p}, kernel_size=${k}`);
    }
    let o = floorDiv(i + 2 * p - kEff + (ceil ? s - 1 : 0), s) + 1;
    if (ceil && (o - 1) * s >= i + p) o -= 1;
    if (o < 1) checkFits(i, i + 2 * p, kEff, `, padding=${p}, ceil_mode=${pyBool(ceil)}`);
    return o;
  }
  function convTransposeAxis(i, k, s, p, op, d) {
    const kEff = d * (k - 1) + 1;
    if (op >= s && op >= d) {
      fail(`\`output_padding\` must be smaller than stride or dilation, got ` +
           `output_padding=${op}, stride=${s}, dilation=${d}`);
    }
    const o = (i - 1) * s - 2 * p + kEff + op;
    if (o < 1) {
      fail(`\`padding\`=${p} too large: output size would be ${o} ((i-1)s - 2p + d(k-1) + op + 1 ` +
           `with i=${i}, s=${s}, k_eff=${kEff}, op=${op})`);
    }
    return o;
  }

  // ------------------------------------------------------- windows.py (02)
  const MODE_NAMES = {torch: "PyTorch, padding p", same: "PyTorch padding='same'",
    tf_same: "TensorFlow 'SAME'", tf_valid: "TensorFlow 'VALID'"};

  function axisLayout(i, k, s, p, d, mode, op, ceil) {
    if (op === "pool" && mode !== "torch") {
      fail(`\`mode\`='${mode}' applies to convolution; pooling takes explicit padding`);
    }
    let o, before, after;
    if (mode === "torch") {
      before = after = p;
      o = op === "pool" ? poolAxis(i, k, s, p, d, ceil) : convAxis(i, k, s, p, d);
    } else if (mode === "same") {
      if (s !== 1) fail(`\`padding\`='same' needs stride 1, got stride=${s}`);
      const total = d * (k - 1);
      o = i; before = floorDiv(total, 2); after = total - before;
    } else if (mode === "tf_same") {
      o = Math.ceil(i / s);
      const total = Math.max((o - 1) * s + d * (k - 1) + 1 - i, 0);
      before = floorDiv(total, 2); after = total - before;
    } else {
      const kEff = d * (k - 1) + 1;
      checkFits(i, i, kEff, ", mode='VALID'");
      o = Math.ceil((i - kEff + 1) / s); before = after = 0;
    }
    const last = (o - 1) * s + d * (k - 1) + 1;
    return {i, k, s, d, before, after, o, extent: Math.max(before + i + after, last)};
  }

  function featureMapState(v) {
    const ceil = v.ceil_mode && v.op === "pool";
    const h = axisLayout(v.H, v.kH, v.stride, v.padding, v.dilation, v.mode, v.op, ceil);
    const w = axisLayout(v.W, v.kW, v.stride, v.padding, v.dilation, v.mode, v.op, ceil);
    const n = Math.min(v.window, h.o * w.o - 1);
    const j = [floorDiv(n, w.o), n % w.o];
    const win = [j[0] * h.s, j[0] * h.s + h.d * (h.k - 1), j[1] * w.s, j[1] * w.s + w.d * (w.k - 1)];
    return {h, w, j, shown: {output: [h.o, w.o], pads: [h.before, h.after, w.before, w.after],
                             cell: j, window: win}, indexMax: h.o * w.o - 1};
  }

  function featureMapText(st) {
    const line = (a, name) => {
      const p = a.before;
      return `o_${name} = ${a.o} (input ${a.i}, pad ${a.before} + ${a.after}, k ${a.k}, ` +
             `s ${a.s}, d ${a.d}; p = ${p})`;
    };
    return `${line(st.h, "H")}\n${line(st.w, "W")}`;
  }

  function drawFeatureMap(ctx, st, W, H) {
    const {h, w} = st;
    const rows = h.extent, cols = w.extent;
    const gap = 40, outRows = h.o, outCols = w.o;
    const cell = Math.min((W - gap - 20) / (cols + outCols), (H - 40) / Math.max(rows, outRows), 34);
    const [r0, r1, c0, c1] = st.shown.window;
    title(ctx, `padded input ${rows}×${cols}`, 10, 16);
    cells(ctx, 10, 26, cell, rows, cols, (r, c) => {
      const inH = r >= h.before && r < h.before + h.i, inW = c >= w.before && c < w.before + w.i;
      const overH = r >= h.before + h.i + h.after, overW = c >= w.before + w.i + w.after;
      const tapped = r >= r0 && r <= r1 && (r - r0) % h.d === 0 &&
                     c >= c0 && c <= c1 && (c - c0) % w.d === 0;
      let colour = overH || overW ? "overhang" : inH && inW ? "input" : "pad";
      if (tapped) colour = colour === "input" ? "tap" : colour === "pad" ? "tap_pad" : "tap_overhang";
      return COLOURS[colour];
    });
    outline(ctx, 10 + c0 * cell, 26 + r0 * cell, (c1 - c0 + 1) * cell, (r1 - r0 + 1) * cell);
    const x0 = 10 + cols * cell + gap;
    title(ctx, `output ${outRows}×${outCols}`, x0, 16);
    cells(ctx, x0, 26, cell, outRows, outCols,
          (r, c) => COLOURS[r === st.j[0] && c === st.j[1] ? "current" : "output"]);
  }

  // --------------------------------------------- transposed_layout.py (03)
  function transposedAxis(i, k, s, p, op, d) {
    const o = convTransposeAxis(i, k, s, p, op, d);
    const kEff = d * (k - 1) + 1, spread = (i - 1) * s + 1, before = kEff - 1 - p;
    const after = before + op, extent = spread + Math.max(before, 0) + Math.max(after, 0);
    const firstActive = Math.max(-before, 0);
    const isValue = new Array(extent).fill(false);
    for (let n = 0; n < i; n++) isValue[Math.max(before, 0) + n * s] = true;
    const counts = [];
    for (let j = 0; j < o; j++) {
      let c = 0;
      for (let t = 0; t < k; t++) c += isValue[firstActive + j + t * d] ? 1 : 0;
      counts.push(c);
    }
    return {i, k, s, p, op, d, o, spread, before, after, extent, firstActive, isValue, counts};
  }

  function transposedState(v) {
    const a = transposedAxis(v.input_size, v.kernel_size, v.stride, v.padding,
                             v.output_padding, v.dilation);
    const n = Math.min(Math.max(v.cell, 0), a.o * a.o - 1);
    const j = [floorDiv(n, a.o), n % a.o];
    const span = a.d * (a.k - 1);
    const win = [a.firstActive + j[0], a.firstActive + j[0] + span,
                 a.firstActive + j[1], a.firstActive + j[1] + span];
    return {a, j, shown: {output: a.o, stretched: a.extent, cell: j, window: win,
                          values_in_window: a.counts[j[0]] * a.counts[j[1]]},
            indexMax: a.o * a.o - 1};
  }

  function transposedText(st) {
    const a = st.a, n = st.shown.values_in_window;
    return `o = (i−1)·s − 2p + d·(k−1) + op + 1 = (${a.i}−1)·${a.s} − 2·${a.p} + ` +
           `${a.d}·(${a.k}−1) + ${a.op} + 1 = ${a.o}\n` +
           `output cell (${st.j[0]}, ${st.j[1]}): its ${a.k}×${a.k} window holds ${n} input ` +
           `value(s), ${a.k * a.k - n} zero(s)`;
  }

  function drawTransposed(ctx, st, W, H) {
    const a = st.a, n = a.extent, o = a.o, gap = 40;
    const cell = Math.min((W - gap - 20) / (n + o), (H - 40) / Math.max(n, o), 34);
    const [r0, r1, c0, c1] = st.shown.window;
    const cat = (x) => {
      if (a.before < 0 && x < -a.before) return "cropped";
      if (a.after < 0 && x >= n + a.after) return "cropped";
      if (a.isValue[x]) return "value";
      const lo = Math.max(a.before, 0);
      return x >= lo && x < lo + a.spread ? "zero" : "pad";
    };
    const fill = {value: COLOURS.input, zero: COLOURS.overhang, pad: COLOURS.pad, cropped: "#f2bfc8"};
    title(ctx, `stretched input ${n}×${n} (input ${a.i}×${a.i})`, 10, 16);
    cells(ctx, 10, 26, cell, n, n, (r, c) => {
      const cr = cat(r), cc = cat(c);
      const kind = cr === "cropped" || cc === "cropped" ? "cropped" :
        cr === "value" && cc === "value" ? "value" : cr === "pad" || cc === "pad" ? "pad" : "zero";
      const tapped = r >= r0 && r <= r1 && (r - r0) % a.d === 0 && c >= c0 && c <= c1 &&
                     (c - c0) % a.d === 0;
      return tapped ? (kind === "value" ? COLOURS.tap : COLOURS.tap_pad) : fill[kind];
    });
    outline(ctx, 10 + c0 * cell, 26 + r0 * cell, (c1 - c0 + 1) * cell, (r1 - r0 + 1) * cell);
    const x0 = 10 + n * cell + gap;
    title(ctx, `output ${o}×${o}: input values per window`, x0, 16);
    const top = Math.max(1, Math.max(...a.counts) ** 2);
    cells(ctx, x0, 26, cell, o, o, (r, c) => heat(a.counts[r] * a.counts[c] / top));
    if (cell >= 16) {
      for (let r = 0; r < o; r++) {
        for (let c = 0; c < o; c++) {
          label(ctx, String(a.counts[r] * a.counts[c]), x0 + (c + 0.5) * cell, 26 + (r + 0.5) * cell);
        }
      }
    }
    outline(ctx, x0 + st.j[1] * cell, 26 + st.j[0] * cell, cell, cell, COLOURS.tap);
  }

  // ------------------------------------------ receptive.py, field_stacks.py (06)
  function stackState(v) {
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

  function stackText(st) {
    const table = st.rows.map((row) => `${row.name.padEnd(7)} ${String(row.size).padEnd(6)} ` +
      `${String(row.jump).padEnd(5)} ${String(row.r).padEnd(5)} ${row.start}`);
    const [fh, lh, fw, lw] = st.shown.bounds;
    return `layer   output jump  size  start\n${table.join("\n")}\n\nunit (${st.unit[0]}, ` +
           `${st.unit[1]}): field rows ${fh}…${lh}, cols ${fw}…${lw} (size ${st.shown.size})`;
  }

  function drawStack(ctx, st, W, H, v) {
    const [fh, lh, fw, lw] = st.shown.bounds;
    const lo = Math.min(0, fh, fw), hi = Math.max(v.size - 1, lh, lw);
    const n = hi - lo + 1, cell = Math.min((W - 20) / n, (H - 40) / n, 30);
    title(ctx, `input ${v.size}×${v.size}: field of unit (${st.unit[0]}, ${st.unit[1]})`, 10, 16);
    cells(ctx, 10, 26, cell, n, n, (rr, cc) => {
      const r = rr + lo, c = cc + lo;
      const inside = r >= 0 && r < v.size && c >= 0 && c < v.size;
      const inField = r >= fh && r <= lh && c >= fw && c <= lw;
      return inField ? (inside ? COLOURS.tap : COLOURS.tap_pad) : inside ? COLOURS.input : COLOURS.pad;
    });
    outline(ctx, 10 + (fw - lo) * cell, 26 + (fh - lo) * cell, (lw - fw + 1) * cell,
            (lh - fh + 1) * cell, COLOURS.accent);
    outline(ctx, 10 + (0 - lo) * cell, 26 + (0 - lo) * cell, v.size * cell, v.size * cell);
  }

  // -------------------------------------------------------------- drawing
  const RGB = {};
  function rgbOf(colour) {
    if (!RGB[colour]) {
      const m = colour.match(/^rgb\((\d+),(\d+),(\d+)\)$/);
      RGB[colour] = m ? [Number(m[1]), Number(m[2]), Number(m[3])]
        : [1, 3, 5].map((i) => parseInt(colour.slice(i, i + 2), 16));
    }
    return RGB[colour];
  }
  const scratch = document.createElement("canvas");
  /* rows x cols cells of colour(r, c) at (x, y), `cell` px each: one pixel per cell in an
   * ImageData, scaled up without smoothing, then the grid as one path. O(cells) array
   * writes, so a 150 x 150 field still draws in about a millisecond. */
  function cells(ctx, x, y, cell, rows, cols, colour) {
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
  function outline(ctx, x, y, w, h, colour) {
    ctx.strokeStyle = colour || COLOURS.line;
    ctx.lineWidth = 2.5;
    ctx.strokeRect(x, y, w, h);
  }
  function title(ctx, text, x, y) {
    ctx.fillStyle = COLOURS.text;
    ctx.font = "13px sans-serif";
    ctx.textAlign = "left";
    ctx.textBaseline = "alphabetic";
    ctx.fillText(text, x, y);
  }
  function label(ctx, text, x, y) {
    ctx.fillStyle = COLOURS.text;
    ctx.font = "12px sans-serif";
    ctx.textAlign = "center";
    ctx.textBaseline = "middle";
    ctx.fillText(text, x, y);
  }
  function heat(t) {
    const stops = COLOURS.heat, x = Math.max(0, Math.min(1, t)) * (stops.length - 1);
    const a = Math.floor(x), b = Math.min(a + 1, stops.length - 1), f = x - a;
    const rgb = (h) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16));
    const ca = rgb(stops[a]), cb = rgb(stops[b]);
    return `rgb(${ca.map((c, i) => Math.round(c + (cb[i] - c) * f)).join(",")})`;
  }

  // ------------------------------------------------------- the explorers
  const slider = (name, text, lo, hi) => ({name, text, kind: "range", lo, hi});
  const EXPLORERS = {
    feature_map: {
      controls: [slider("H", "H", 1, 12), slider("W", "W", 1, 12), slider("kH", "k_H", 1, 7),
        slider("kW", "k_W", 1, 7), slider("stride", "stride s", 1, 4),
        slider("padding", "padding p", 0, 3), slider("dilation", "dilation d", 1, 3),
        {name: "mode", text: "padding convention", kind: "select", options: Object.keys(MODE_NAMES),
         labels: MODE_NAMES},
        {name: "op", text: "operation", kind: "select", options: ["conv", "pool"],
         labels: {conv: "convolution", pool: "max pool"}},
        {name: "ceil_mode", text: "ceil_mode (pool)", kind: "check"},
        slider("window", "output cell", 0, 1)],
      index: "window", state: featureMapState, text: featureMapText, draw: drawFeatureMap,
      size: [720, 368]},
    transposed: {
      controls: [slider("input_size", "input i", 1, 6), slider("kernel_size", "kernel k", 1, 5),
        slider("stride", "stride s", 1, 4), slider("padding", "padding p", 0, 4),
        slider("output_padding", "output_padding op", 0, 3),
        slider("dilation", "dilation d", 1, 3), slider("cell", "output cell", 0, 1)],
      index: "cell", state: transposedState, text: transposedText, draw: drawTransposed,
      size: [800, 416]},
    receptive_field: {
      controls: [slider("n_layers", "layers", 1, 4), slider("size", "input size i", 4, 32),
        {name: "padding", text: "padding", kind: "select", options: ["none", "half"],
         labels: {none: "p = 0", half: "p = ⌊d(k−1)/2⌋"}},
        ...[1, 2, 3, 4].flatMap((n) => [slider(`k${n}`, `conv${n}: k`, 1, 7),
          slider(`s${n}`, `s${n}`, 1, 3), slider(`d${n}`, `d${n}`, 1, 3),
          {name: `pool${n}`, text: "then max-pool 2×2", kind: "check"}]),
        slider("unit_row", "unit row", 0, 32), slider("unit_col", "unit col", 0, 32)],
      index: null, state: stackState, text: stackText, draw: drawStack, size: [640, 420]},
  };

  function build(root) {
    const spec = EXPLORERS[root.dataset.explorer];
    if (!spec) return;
    const initial = JSON.parse(root.dataset.initial || "{}");
    root.dataset.ready = "1";
    root.textContent = "";
    root.style.cssText = "display:flex;flex-wrap:wrap;gap:12px;align-items:flex-start;font:13px sans-serif";
    const panel = document.createElement("div");
    panel.style.cssText = "width:300px;display:flex;flex-direction:column;gap:4px";
    const picture = document.createElement("div");
    const message = document.createElement("pre");
    message.className = "convlib-message";
    message.style.cssText = "margin:0 0 4px 0;white-space:pre-wrap;font:13px monospace";
    const canvas = document.createElement("canvas");
    const [cw, chh] = spec.size;
    const ratio = Math.max(window.devicePixelRatio || 1, 1);
    canvas.width = cw * ratio; canvas.height = chh * ratio;
    canvas.style.cssText = `width:${cw}px;max-width:100%;height:auto`;
    picture.append(message, canvas);
    root.append(panel, picture);
    const inputs = {};
    for (const c of spec.controls) {
      const row = document.createElement("label");
      row.style.cssText = "display:flex;align-items:center;gap:6px";
      const name = document.createElement("span");
      name.textContent = c.text;
      name.style.cssText = "min-width:110px";
      let input;
      if (c.kind === "range") {
        input = document.createElement("input");
        input.type = "range"; input.min = c.lo; input.max = c.hi; input.step = 1;
        input.value = initial[c.name] !== undefined ? initial[c.name] : c.lo;
      } else if (c.kind === "select") {
        input = document.createElement("select");
        for (const o of c.options) {
          const opt = document.createElement("option");
          opt.value = o; opt.textContent = c.labels[o];
          input.append(opt);
        }
        input.value = initial[c.name] !== undefined ? initial[c.name] : c.options[0];
      } else {
        input = document.createElement("input");
        input.type = "checkbox";
        input.checked = Boolean(initial[c.name]);
      }
      input.name = c.name;
      const shown = document.createElement("output");
      row.append(name, input, shown);
      panel.append(row);
      inputs[c.name] = {input, shown, spec: c};
      input.addEventListener("input", () => update());
      input.addEventListener("change", () => update());
    }
    const values = () => {
      const v = {};
      for (const [name, {input, spec: c}] of Object.entries(inputs)) {
        v[name] = c.kind === "range" ? Number(input.value) : c.kind === "check" ? input.checked
          : input.value;
      }
      return v;
    };
    const ctx = canvas.getContext("2d");
    let lastState = null;
    function update() {
      const t0 = performance.now();
      const v = values();
      for (const {input, shown, spec: c} of Object.values(inputs)) {
        if (c.kind === "range") shown.textContent = input.value;
      }
      if (root.dataset.explorer === "receptive_field") {
        for (let n = 1; n <= 4; n++) {
          for (const p of ["k", "s", "d", "pool"]) inputs[`${p}${n}`].input.disabled = n > v.n_layers;
        }
      }
      let st;
      try {
        st = spec.state(v);
      } catch (e) {
        if (!(e instanceof Invalid)) throw e;
        root.dataset.error = e.message;
        delete root.dataset.state;
        message.style.color = COLOURS.error;
        message.textContent = `⚠ Not a valid configuration: ${e.message}`;
        canvas.style.opacity = "0.25";
        canvas.style.filter = "grayscale(1)";
        root.dataset.ms = (performance.now() - t0).toFixed(3);
        return;
      }
      if (spec.index) {  // the output-cell slider spans the output grid (fit_index_slider)
        const idx = inputs[spec.index].input, last = st.indexMax;
        idx.max = Math.max(last, 1);
        idx.disabled = last === 0;
        inputs[spec.index].shown.textContent = idx.value;
      } else {
        for (const name of ["unit_row", "unit_col"]) {
          const s = inputs[name].input;
          s.max = st.indexMax;
          s.disabled = st.indexMax === 0;
        }
      }
      lastState = st;
      delete root.dataset.error;
      root.dataset.state = JSON.stringify(st.shown);
      message.style.color = COLOURS.text;
      message.textContent = spec.text(st);
      canvas.style.opacity = "1";
      canvas.style.filter = "none";
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      ctx.clearRect(0, 0, cw, chh);
      spec.draw(ctx, st, cw, chh, v);
      root.dataset.ms = (performance.now() - t0).toFixed(3);
    }
    root.convlibUpdate = update;
    update();
    return lastState;
  }

  function initAll() {
    document.querySelectorAll("[data-explorer]:not([data-ready])").forEach(build);
  }

  window.convlibExplorers = {initAll, EXPLORERS, Invalid};
  initAll();
})();
