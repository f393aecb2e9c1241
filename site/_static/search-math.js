// Search summaries as text: Sphinx builds each result's snippet from the page's text, where
// a formula is still its LaTeX source ("\(\lfloor (i - k)/s \rfloor\)"). Before that,
// replace every formula by a plain-text reading of it (⌊(i − k)/s⌋).
"use strict";

const SYMBOLS = {
  lfloor: "⌊", rfloor: "⌋", lceil: "⌈", rceil: "⌉", cdot: "·", times: "×", le: "≤", leq: "≤",
  ge: "≥", geq: "≥", ne: "≠", neq: "≠", approx: "≈", to: "→", rightarrow: "→", infty: "∞",
  sum: "Σ", prod: "∏", alpha: "α", beta: "β", rho: "ρ", sigma: "σ", mu: "μ", ldots: "…",
  dots: "…", cdots: "⋯", pm: "±", in: "∈", quad: " ", qquad: " ", left: "", right: "",
};

/** Plain text of a LaTeX formula: delimiters, commands and braces turned into characters. */
function latexToText(tex) {
  return tex
    .replace(/^\s*(\\\(|\\\[|\$\$?)|(\\\)|\\\]|\$\$?)\s*$/g, "")
    .replace(/\\(?:frac|tfrac|dfrac)\s*\{([^{}]*)\}\s*\{([^{}]*)\}/g, "($1)/($2)")
    .replace(/\\(?:mathrm|mathbf|mathit|text|operatorname)\s*\{([^{}]*)\}/g, "$1")
    .replace(/\\([A-Za-z]+)/g, (whole, name) => (name in SYMBOLS ? SYMBOLS[name] : ""))
    .replace(/\\[,;:! ]/g, " ")
    .replace(/[{}]/g, "")
    .replace(/\s+/g, " ")
    .trim();
}

function installSearchMath() {
  if (typeof Search === "undefined" || Search._mathAsText) return;
  const original = Search.htmlToText;
  Search.htmlToText = (htmlString, anchor) => {
    const doc = new DOMParser().parseFromString(htmlString, "text/html");
    doc.querySelectorAll(".math").forEach((el) => { el.textContent = latexToText(el.textContent); });
    return original(doc.documentElement.outerHTML, anchor);
  };
  Search._mathAsText = true;
}

window.latexToText = latexToText;
document.addEventListener("DOMContentLoaded", installSearchMath);
