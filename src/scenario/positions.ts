/**
 * YAML with positions: parse a scenario's text keeping its node tree, and map a data path
 * (['models', 0, 'latency', 'ttft']) back to the line and column of the node it names.
 */
import {
  type Document,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseDocument,
} from 'yaml';
import { MAX_SCENARIO_DEPTH } from '../core/limits.js';

export type DataPath = (string | number)[];

export interface Position {
  line: number;
  column: number;
}

export interface ParsedYaml {
  doc: Document.Parsed;
  lines: LineCounter;
  /** The plain data (aliases and merge keys resolved). */
  data: unknown;
  /** Syntax errors and warnings from the YAML parser, with positions. */
  errors: { message: string; position: Position }[];
  warnings: { message: string; position: Position }[];
}

const TOO_DEEP = `nested more than ${MAX_SCENARIO_DEPTH} levels deep (mappings and lists); a scenario needs far fewer`;

/** Parse YAML text. Never throws: syntax problems come back in `errors`. */
export function parseYaml(text: string): ParsedYaml {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, merge: true, prettyErrors: true, uniqueKeys: true });
  const convert = (e: { message: string; pos: [number, number] }) => ({
    // The parser's message ends with " at line L, column C:" and a source excerpt; we print our own position.
    message: /call stack/i.test(e.message) ? TOO_DEEP : e.message.split(/ at line \d+, column \d+/)[0].trim(),
    position: toPosition(lines, e.pos[0]),
  });
  let data: unknown = null;
  const deep = doc.errors.length === 0 ? tooDeep(doc.contents) : null;
  if (deep) {
    const position = deep.range ? toPosition(lines, deep.range[0]) : { line: 1, column: 1 };
    return { doc, lines, data: null, errors: [{ message: TOO_DEEP, position }], warnings: [] };
  }
  try {
    data = doc.toJS({ maxAliasCount: 1000 });
  } catch (err) {
    // Only when the document is broken beyond what doc.errors reports (e.g. an alias bomb).
    return {
      doc,
      lines,
      data: null,
      errors: [
        ...doc.errors.map(convert),
        { message: (err as Error).message, position: { line: 1, column: 1 } },
      ],
      warnings: doc.warnings.map(convert),
    };
  }
  return { doc, lines, data, errors: doc.errors.map(convert), warnings: doc.warnings.map(convert) };
}

/** The first node nested deeper than MAX_SCENARIO_DEPTH (walked with a stack: no recursion), or null. */
function tooDeep(root: unknown): Node | null {
  const stack: [unknown, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [unknown, number];
    if (!isMap(node) && !isSeq(node)) continue;
    if (depth > MAX_SCENARIO_DEPTH) return node as Node;
    for (const item of node.items) {
      if (isPair(item)) stack.push([item.value, depth + 1]);
      else stack.push([item, depth + 1]);
    }
  }
  return null;
}

function toPosition(lines: LineCounter, offset: number): Position {
  const p = lines.linePos(offset);
  return { line: p.line, column: p.col };
}

/**
 * Where `path` is written. With `key: true` and a path that ends in a map key, the key's position (for
 * unknown keys) rather than its value's. A path that leads outside the document gives the position of the
 * deepest node that exists (a missing key is reported at the mapping that lacks it).
 */
export function locate(parsed: ParsedYaml, path: DataPath, opts: { key?: boolean } = {}): Position {
  let node: unknown = parsed.doc.contents;
  let keyNode: unknown;
  for (const seg of path) {
    node = resolve(parsed.doc, node);
    keyNode = undefined;
    let next: unknown;
    if (isMap(node)) {
      for (const pair of node.items) {
        const k = isScalar(pair.key) ? pair.key.value : pair.key;
        if (k === seg || String(k) === String(seg)) {
          next = pair.value ?? pair.key;
          keyNode = pair.key;
          break;
        }
      }
    } else if (isSeq(node) && typeof seg === 'number') {
      next = node.items[seg];
    }
    if (next === undefined || next === null) break;
    node = next;
  }
  const target = opts.key && keyNode ? keyNode : node;
  const range = (target as Node | null)?.range;
  if (!range) return { line: 1, column: 1 };
  return toPosition(parsed.lines, range[0]);
}

function resolve(doc: Document.Parsed, node: unknown): unknown {
  return isAlias(node) ? node.resolve(doc) : node;
}
