/**
 * The HTML page shared by report.html and compare.html: escaping, tables, the inline style sheet and the
 * skeleton. Self-contained (no script, no network); readable from a 600 px phone to a wide screen: a wide
 * table scrolls inside its own box instead of pushing the page sideways, headers wrap, and number cells
 * (a confidence interval, `1,204 ± 57`) and model names never do.
 */

/** Escapes text for HTML element content and attribute values. */
export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * An HTML table from a header row and body rows (cells already escaped or plain text); columns from
 * `numericFrom` on are right-aligned numbers. Wrapped in a box that scrolls sideways on a narrow screen.
 */
export function table(head: string[], rows: string[][], numericFrom = 1): string {
  const th = head.map((h, i) => `<th${i >= numericFrom ? ' class="n"' : ''}>${h}</th>`).join('');
  const tr = rows
    .map(
      (r) => `<tr>${r.map((c, i) => `<td${i >= numericFrom ? ' class="n"' : ''}>${c}</td>`).join('')}</tr>`,
    )
    .join('\n');
  return `<div class="tw"><table><thead><tr>${th}</tr></thead><tbody>\n${tr}\n</tbody></table></div>`;
}

/** Shared styles of report.html and compare.html. */
const HTML_STYLE = `
body{font-family:'DejaVu Sans',Helvetica,Arial,sans-serif;margin:2rem auto;max-width:1100px;color:#222;padding:0 1rem}
h1{font-size:1.6rem;margin-bottom:.2rem;overflow-wrap:anywhere}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ddd;padding-bottom:.2rem}
h3{font-size:1rem;margin-top:1.4rem}.meta{color:#555;margin-top:0}
.tw{max-width:100%;overflow-x:auto;margin:.5rem 0}table{border-collapse:collapse;font-size:.9rem}
th,td{padding:.25rem .6rem;border-bottom:1px solid #eee;text-align:left}th{background:#f6f6f6;font-weight:600}
th{vertical-align:bottom}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}td.n,.id{white-space:nowrap}.sw{display:inline-block;width:.8em;height:.8em;border-radius:2px;margin-right:.4em;vertical-align:baseline}
.pass{color:#1e7e34;font-weight:600}.fail{color:#c0392b;font-weight:600}pre{background:#f6f6f6;padding:.8rem;overflow:auto;font-size:.85rem}
figure{margin:1.2rem 0}figure svg{max-width:100%;height:auto}figcaption{color:#555;font-size:.85rem}
@media (max-width:700px){body{margin:1rem auto;padding:0 .6rem}table{font-size:.8rem}th,td{padding:.2rem .4rem}}
`;

/** The page skeleton shared by report.html and compare.html. */
export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)}</title><style>${HTML_STYLE}</style></head>
<body>
${body}
</body></html>
`;
}

/** A model or variant name behind its colour swatch, kept on one line (`name` is escaped here). */
export function swatched(name: string, colour: string): string {
  return `<span class="id"><span class="sw" style="background:${colour}"></span>${esc(name)}</span>`;
}

/** Strips the XML prolog (if any) so that an SVG can be inlined in HTML. */
export function inlineSvg(svg: string): string {
  return svg.replace(/^<\?xml[^>]*>\s*/, '');
}
