/**
 * Splitting one CSV line into fields (RFC 4180 quoting: "a,b" and "" for a quote). Fast path when the line
 * has no quote. A field with a line break inside quotes is not supported (traces do not have them).
 */
export function splitCsv(line: string, delimiter = ','): string[] {
  if (line.indexOf('"') === -1) return line.split(delimiter);
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"') {
        if (line[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === delimiter) {
      out.push(field);
      field = '';
    } else field += ch;
  }
  out.push(field);
  return out;
}

/** 1-based column of a header name (case- and space-insensitive), or 0 when absent. */
export function headerIndex(header: readonly string[], ...names: string[]): number {
  const norm = (s: string) =>
    s
      .trim()
      .toLowerCase()
      .replace(/[\s_]+/g, '');
  const want = names.map(norm);
  const i = header.findIndex((h) => want.includes(norm(h)));
  return i + 1;
}
