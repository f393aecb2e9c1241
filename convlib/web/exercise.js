// Kernel-free exercise checker of convlib: the same reading rules and verdicts as
// convlib/exercises/answers.py, units.py and task.py (tests/browser/test_exercise_js.py
// runs one table through both). Inlined after each element's JSON block; defines
// window.convlibExercise once, then mounts the element it sits in.
(function (script) {
  "use strict";
  if (!window.convlibExercise) {
    var SP = "[ \\t\\n\\r\\f\\v\\u00a0\\u2009\\u202f]";
    var SPACE = " \t\n\r\f\v\u00a0\u2009\u202f";
    var NUMBER = /([0-9][0-9,]*(?:\.[0-9]*)?|\.[0-9]+)(e[-+]?[0-9]+)?/y;
    var THOUSANDS = /^[1-9][0-9]{0,2}(?:,[0-9]{3})+$/;
    var WORDS = { x: 1, by: 1, and: 1, to: 1 };

    var lower = function (s) { return s.replace(/[A-Z]/g, function (c) { return c.toLowerCase(); }); };
    var strip = function (s) { return s.replace(new RegExp("^" + SP + "+|" + SP + "+$", "g"), ""); };

    function prepare(text) {
      var s = lower(text);
      s = s.replace(/[\u00d7\u2715\u2a2f]/g, " x ");
      s = s.replace(/\u2212/g, "-");
      s = s.replace(/[\u2013\u2014]/g, " to ");
      s = s.replace(new RegExp(SP + "+-" + SP + "+", "g"), " to ");
      s = s.replace(/[()\[\]{};]/g, " ");
      s = s.replace(new RegExp(SP + "*/" + SP + "*", "g"), "/");
      return strip(s);
    }

    function tokens(s) {
      var out = [], i = 0;
      while (i < s.length) {
        var c = s[i], m = null;
        if ((c >= "0" && c <= "9") || c === ".") { NUMBER.lastIndex = i; m = NUMBER.exec(s); }
        if (m) {
          var body = m[1].replace(/,+$/, ""), end = i + body.length;
          var exp = end === i + m[1].length && m[2] ? m[2] : "";
          out.push(["num", body + exp]);
          i = end + exp.length;
        } else if (SPACE.indexOf(c) >= 0 || c === ",") { out.push(["sep", c]); i += 1; }
        else if (c === "-" || c === "+" || c === "/") { out.push([c, c]); i += 1; }
        else if (c >= "a" && c <= "z") {
          var j = i;
          while (j < s.length && s[j] >= "a" && s[j] <= "z") j += 1;
          out.push(["word", s.slice(i, j)]); i = j;
        } else return null;
      }
      return out;
    }

    function splitNumber(raw, joined) {
      var m = /^([0-9,.]*?)(\.[0-9]*)?(e[-+]?[0-9]+)?$/.exec(raw);
      var head = m[1], tail = (m[2] || "") + (m[3] || "");
      if (joined && THOUSANDS.test(head)) return [head.replace(/,/g, "") + tail];
      var parts = head.split(",");
      parts[parts.length - 1] += tail;
      return parts;
    }

    function ambiguous(toks) {
      return toks.some(function (t) { return t[0] === "num" && THOUSANDS.test(t[1].split(/[.e]/)[0]); });
    }

    function reading(toks, joined) {
      var values = [], sign = 1, afterNumber = false, fraction = false;
      for (var n = 0; n < toks.length; n++) {
        var kind = toks[n][0], text = toks[n][1];
        var following = n + 1 < toks.length ? toks[n + 1][0] : "";
        if (kind === "num") {
          if (afterNumber) return null;
          var parts = splitNumber(text, joined);
          if (parts.some(function (p) { return p === "" || p === "." || p[0] === "e"; })) return null;
          var nums = parts.map(Number);
          if (fraction) {
            if (nums[0] === 0) return null;
            values[values.length - 1] = values[values.length - 1] / nums[0];
            nums = nums.slice(1);
          }
          if (nums.length) values.push(sign * nums[0]);
          for (var k = 1; k < nums.length; k++) values.push(nums[k]);
          sign = 1; afterNumber = true; fraction = false;
        } else if (kind === "sep" || (kind === "word" && WORDS.hasOwnProperty(text))) {
          if (sign !== 1 || fraction) return null;
          afterNumber = false;
        } else if ((kind === "-" || kind === "+") && following === "num") {
          if (afterNumber && kind === "-") afterNumber = false;
          else if (afterNumber || sign !== 1) return null;
          else sign = kind === "-" ? -1 : 1;
        } else if (kind === "/" && afterNumber && following === "num") {
          fraction = true; afterNumber = false;
        } else return null;
      }
      if (!values.length || !values.every(Number.isFinite)) return null;
      return values;
    }

    var same = function (a, b) { return a.length === b.length && a.every(function (v, i) { return v === b[i]; }); };

    function readings(text) {
      var toks = tokens(prepare(text));
      if (toks === null) return [];
      var modes = ambiguous(toks) ? [true, false] : [true], out = [];
      modes.forEach(function (joined) {
        var r = reading(toks, joined);
        if (r !== null && !out.some(function (o) { return same(o, r); })) out.push(r);
      });
      return out;
    }

    var intText = function (v) { return BigInt(v).toString(); };

    function valueKey(values, step) {
      if (step === null || step === undefined)
        return values.map(function (v) { return Number.isInteger(v) ? intText(v) : "?"; }).join(",");
      var grid = Number(step);
      return values.map(function (v) { return intText(Math.floor(v / grid + 0.5)); }).join(",");
    }

    // Unit suffixes and rounding: convlib/exercises/units.py.
    var SCALES = { k: 1e3, K: 1e3, M: 1e6, G: 1e9 };
    var SCALE_WORDS = { thousand: 1e3, thousands: 1e3, million: 1e6, millions: 1e6, billion: 1e9, billions: 1e9 };
    var SCALE_NAMES = { 1000: "thousands", 1000000: "millions", 1000000000: "billions" };
    var SUFFIX = new RegExp("^([\\s\\S]*?[0-9.)\\]])" + SP + "*([A-Za-z%]+)$");
    var own = function (o, k) { return Object.prototype.hasOwnProperty.call(o, k); };

    function splitSuffix(text, unit) {
      var s = strip(text), m = SUFFIX.exec(s);
      if (!m) return [s, null];
      var body = m[1], suffix = m[2];
      if (unit !== null && unit !== undefined && lower(suffix) === lower(unit)) return [body, unit];
      if (own(SCALES, suffix) || suffix === "%") return [body, suffix];
      if (own(SCALE_WORDS, lower(suffix))) return [body, lower(suffix)];
      return [s, null];
    }

    function scaleOf(name) {
      if (name === null || name === undefined) return null;
      if (own(SCALES, name)) return SCALES[name];
      return own(SCALE_WORDS, name) ? SCALE_WORDS[name] : null;
    }

    function withUnit(text, unit) {
      if (unit === null || unit === undefined) return text;
      return unit === "%" || scaleOf(unit) ? text + unit : text + " " + unit;
    }

    function unitFactor(suffix, unit) {
      if (unit === undefined) unit = null;
      if (suffix === null || suffix === unit) return [1, 1];
      var scale = scaleOf(suffix), base = scaleOf(unit);
      if (unit === null) return scale === null ? "Type a plain number (0.25 or 1/4), not a percentage." : [scale, 1];
      if (scale !== null && base !== null) return [scale, base];
      var name = base ? SCALE_NAMES[base] + " (" + unit + ")" : unit;
      return "Answer in " + name + ": a plain number like 2.5, or " + withUnit("2.5", unit) + ".";
    }

    function scaled(values, f) {
      if (f[0] === 1 && f[1] === 1) return values;
      return values.map(function (v) { return v * f[0] / f[1]; });
    }

    function shift(v, n) { return n >= 0 ? v * Number("1e" + n) : v / Number("1e" + (-n)); }

    function typedCell(values, places) {
      var out = [];
      for (var i = 0; i < values.length; i++) {
        var t = shift(values[i], places[i]), r = Math.floor(t + 0.5);
        if (Math.abs(t - r) > 1e-9 * Math.max(1, Math.abs(t))) return null;
        out.push(intText(r));
      }
      return out.join(",");
    }

    var COUNT_WORDS = { 1: "one number", 2: "two numbers", 3: "three numbers", 4: "four numbers" };

    function countMessage(count, typed) {
      var has = own(COUNT_WORDS, count) ? COUNT_WORDS[count] : count + " numbers";
      var like = count === 1 ? "" : count === 2 ? " like 3x3" :
        " like " + (count <= 4 ? ["3", "2", "2", "1"].slice(0, count).join(", ") : "3, 2, \u2026");
      return "This question wants " + has + (like ? "," : "") + like + "; you typed " + typed + ".";
    }

    // The readings with `count` numbers in the question's unit, or a verdict {kind, message}.
    function numberEntry(text, count, unit) {
      if (unit === undefined) unit = null;
      if (!strip(text)) return { kind: "empty", message: "Type an answer first." };
      var split = splitSuffix(text, unit), factor = unitFactor(split[1], unit);
      if (typeof factor === "string") return { kind: unit === null ? "unreadable" : "unit", message: factor };
      var found = readings(split[0]);
      if (!found.length) {
        if (text.indexOf("%") >= 0 && unit !== "%")
          return { kind: "unreadable", message: "Type a plain number (0.25 or 1/4), not a percentage." };
        if (count === 1) return { kind: "unreadable", message: "Type a number such as 3." };
        var example = count <= 4 ? ["3", "2", "2", "1"].slice(0, count).join(", ") : "3, 2, \u2026";
        return { kind: "unreadable", message: "Type " + count + " numbers such as " + example + "." };
      }
      var fitting = found.filter(function (r) { return r.length === count; })
        .map(function (r) { return scaled(r, factor); });
      if (!fitting.length) {
        if (count === 1 && new RegExp("^" + SP + "*[0-9]+,[0-9]+" + SP + "*$").test(text))
          return { kind: "count", message: "Write decimals with a point: 0.5, not 0,5." };
        return { kind: "count", message: countMessage(count, found[0].length) };
      }
      return fitting;
    }

    function candidateKeys(text, count, step, unit, places) {
      var entry = numberEntry(text, count, unit), keys = [];
      if (!Array.isArray(entry)) return keys;
      entry.forEach(function (values) {
        var found = ["g:" + valueKey(values, step)];
        var cell = places ? typedCell(values, places) : null;
        if (cell !== null) found.push("r:" + cell);
        found.forEach(function (k) { if (keys.indexOf(k) < 0) keys.push(k); });
      });
      return keys;
    }

    function inputMessage(text, count, unit) {
      var entry = numberEntry(text, count, unit);
      return Array.isArray(entry) ? null : entry;
    }

    var normaliseText = function (t) { return lower(t).replace(new RegExp(SP + "+", "g"), " ").replace(/^ +| +$/g, ""); };

    function hash(salt, key) {
      var bytes = new TextEncoder().encode(salt + "|" + key);
      var h = 0xcbf29ce484222325n, prime = 0x100000001b3n, mask = 0xffffffffffffffffn;
      for (var i = 0; i < bytes.length; i++) h = ((h ^ BigInt(bytes[i])) * prime) & mask;
      return h.toString(16).padStart(16, "0");
    }

    function deobfuscate(blob, salt) {
      if (!blob) return "";
      var raw = atob(blob), pad = new TextEncoder().encode(salt), bytes = new Uint8Array(raw.length);
      for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i) ^ pad[i % pad.length];
      return new TextDecoder("utf-8").decode(bytes);
    }

    function designValues(task, entries) {
      var values = [];
      for (var i = 0; i < task.fields.length; i++) {
        var f = task.fields[i], text = entries[i] || "";
        if (!strip(text)) return { kind: "empty", message: "Fill in " + f.name + "." };
        var found = readings(text);
        if (found.length !== 1 || found[0].length !== 1 || !Number.isInteger(found[0][0]))
          return { kind: "unreadable", message: "Type a whole number for " + f.name + "." };
        var v = found[0][0];
        if (f.values.indexOf(v) < 0) return { kind: "range", message: f.name + " goes from " + f.min + " to " + f.max + " here." };
        values.push(v);
      }
      return values;
    }

    // The verdict {kind, message} on one entry: a string, an option index, or strings per field.
    function verdict(task, entry) {
      var has = function (key) { return task.keys.indexOf(hash(task.salt, key)) >= 0; };
      if (task.kind === "choice") {
        if (entry === null || entry === undefined) return { kind: "empty", message: "Pick an option first." };
        if (has("c:" + entry)) return { kind: "right", message: "" };
        return { kind: "wrong", message: deobfuscate((task.why || {})[String(entry)], task.salt) };
      }
      if (task.kind === "design") {
        var values = designValues(task, entry);
        if (!Array.isArray(values)) return values;
        var key = "d:" + values.join(",");
        if (has(key)) return { kind: "right", message: "" };
        return { kind: "wrong", message: deobfuscate((task.why || {})[hash(task.salt, key)], task.salt) };
      }
      if (task.kind === "text") {
        if (!strip(entry)) return { kind: "empty", message: "Type an answer first." };
        return { kind: has("t:" + normaliseText(entry)) ? "right" : "wrong", message: "" };
      }
      var early = inputMessage(entry, task.count, task.unit);
      if (early) return early;
      var right = candidateKeys(entry, task.count, task.step, task.unit, task.places).some(function (k) { return has("n:" + k); });
      return { kind: right ? "right" : "wrong", message: "" };
    }

    function identity(task, entry) {
      if (task.kind === "choice") return "c:" + entry;
      if (task.kind === "design") { var v = designValues(task, entry); return Array.isArray(v) ? "d:" + v.join(",") : ""; }
      if (task.kind === "text") return "t:" + normaliseText(entry);
      return "n:" + candidateKeys(entry, task.count, task.step, task.unit, task.places).join("|");
    }

    var join = function (parts) { return parts.filter(function (p) { return p; }).join(" "); };
    var counts = function (v) { return v.kind === "right" || v.kind === "wrong"; };

    // The same sentences as feedback_text in convlib/widgets/exercise.py.
    function feedbackText(task, v, attempts) {
      var answer = deobfuscate(task.answer, task.salt), expl = deobfuscate(task.explanation, task.salt);
      if (!counts(v)) return ["note", v.message];
      if (v.kind === "right") return ["right", join(["\u2713 Correct.", expl])];
      if (attempts >= task.max) return ["wrong", join(["\u2717 Not quite.", v.message, "The answer is " + answer + ".", expl])];
      return ["wrong", join(["\u2717 Not quite.", v.message, task.hint ? "Try again or take the hint." : "Try again."])];
    }

    function el(tag, cls, text) {
      var e = document.createElement(tag);
      if (cls) e.className = cls;
      if (text !== undefined) e.textContent = text;
      return e;
    }

    function mount(root) {
      if (!root || root.getAttribute("data-mounted")) return;
      root.setAttribute("data-mounted", "1");
      var tasks = JSON.parse(root.querySelector("script.cl-ex-data").textContent);
      var note = root.querySelector(".cl-ex-note");
      if (note) note.remove();
      var question = root.querySelector(".cl-ex-question");
      var controls = el("div", "cl-ex-controls"), feedback = el("div", "cl-ex-feedback");
      var revealed = el("div", "cl-ex-reveal");
      feedback.setAttribute("aria-live", "polite");
      root.appendChild(controls); root.appendChild(feedback); root.appendChild(revealed);
      var index = 0, task, state, inputs, asked = {};
      var distinct = tasks.filter(function (t, i) {
        return tasks.findIndex(function (u) { return u.question === t.question; }) === i;
      }).length;
      // "New numbers": the next variant whose question was not asked yet; once all were,
      // start over, but never with the current question.
      function nextVariant() {
        for (var round = 0; round < 2; round++) {
          for (var step = 1; step <= tasks.length; step++) {
            var j = (index + step) % tasks.length, q = tasks[j].question;
            if (q !== task.question && !own(asked, q)) return j;
          }
          asked = {};
        }
        return index;
      }

      function say(tone, text) { feedback.className = "cl-ex-feedback cl-ex-" + tone; feedback.textContent = text; }
      function showReveal() { if (task.reveal && !revealed.innerHTML) revealed.innerHTML = deobfuscate(task.reveal, task.salt); }
      function entry() {
        if (task.kind === "choice") {
          var picked = inputs.filter(function (r) { return r.checked; })[0];
          return picked ? Number(picked.value) : null;
        }
        if (task.kind === "design") return inputs.map(function (b) { return b.value; });
        return inputs[0].value;
      }
      function submit() {
        var e = entry(), v = verdict(task, e);
        if (!counts(v)) { say.apply(null, feedbackText(task, v, state.attempts)); return; }
        var id = identity(task, e);
        if (state.seen.hasOwnProperty(id)) { say.apply(null, state.seen[id]); return; }
        if (!(state.solved || state.revealed)) state.attempts += 1;
        var toneText = feedbackText(task, v, state.attempts);
        state.seen[id] = toneText;
        state.solved = state.solved || v.kind === "right";
        state.revealed = state.revealed || state.attempts >= task.max;
        say.apply(null, toneText);
        if (state.solved || state.revealed) showReveal();
      }
      function button(label, action, primary) {
        var b = el("button", "cl-ex-button" + (primary ? " cl-ex-primary" : ""), label);
        b.type = "button";
        b.addEventListener("click", action);
        return b;
      }
      function start(i) {
        index = i; task = tasks[i]; asked[task.question] = 1;
        state = { attempts: 0, seen: {}, solved: false, revealed: false };
        question.innerHTML = "<b>Exercise.</b> " + task.question;
        controls.textContent = ""; feedback.textContent = ""; feedback.className = "cl-ex-feedback";
        revealed.textContent = "";
        var name = "cl-ex-" + Math.random().toString(36).slice(2);
        if (task.kind === "choice") {
          inputs = task.choices.map(function (label, k) {
            var lab = el("label", "cl-ex-choice"), r = el("input");
            r.type = "radio"; r.name = name; r.value = String(k);
            r.addEventListener("change", submit);
            lab.appendChild(r); lab.appendChild(document.createTextNode(" " + label));
            controls.appendChild(lab);
            return r;
          });
        } else {
          var fields = task.kind === "design" ? task.fields : [null];
          inputs = fields.map(function (f) {
            var box = el("input", "cl-ex-input");
            box.type = "text"; box.placeholder = f ? f.name : "your answer";
            box.setAttribute("aria-label", f ? f.name : "your answer");
            box.addEventListener("keydown", function (ev) { if (ev.key === "Enter") submit(); });
            box.addEventListener("change", function () {
              if (inputs.every(function (b) { return strip(b.value); })) submit();
            });
            if (f) { var lab = el("label", "cl-ex-field", f.name + " "); lab.appendChild(box); controls.appendChild(lab); }
            else controls.appendChild(box);
            return box;
          });
        }
        var buttons = el("span", "cl-ex-buttons");
        buttons.appendChild(button("Check", submit, true));
        if (task.hint) buttons.appendChild(button("Hint", function () { say("hint", "\ud83d\udca1 " + task.hint); }));
        buttons.appendChild(button("Show answer", function () {
          state.revealed = true;
          say("answer", join(["The answer is " + deobfuscate(task.answer, task.salt) + ".",
                              deobfuscate(task.explanation, task.salt)]));
          showReveal();
        }));
        if (distinct > 1) buttons.appendChild(button("New numbers", function () { start(nextVariant()); }));
        controls.appendChild(buttons);
      }
      start(0);
    }

    window.convlibExercise = {
      prepare: prepare, readings: readings, candidateKeys: candidateKeys, inputMessage: inputMessage,
      splitSuffix: splitSuffix, typedCell: typedCell,
      verdict: verdict, hash: hash, deobfuscate: deobfuscate, feedbackText: feedbackText, mount: mount
    };
  }
  if (script && script.parentElement) window.convlibExercise.mount(script.parentElement);
})(document.currentScript);
