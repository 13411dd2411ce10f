/**
 * One safe reader of JSON and YAML text, shared by the emulator's request bodies and the SDK's
 * FlinkApplication documents: whatever the text, the result is a finite, acyclic JSON-like value no
 * deeper than {@link MAX_NESTING_DEPTH}, or a {@link DocumentParseError} saying why (and where, when
 * the parser knows). Never a hang, a stack overflow or a bare library error.
 */

/** Jackson's default `StreamReadConstraints.maxNestingDepth`, which a CMF server applies to bodies. */
export const MAX_NESTING_DEPTH = 1000;
/**
 * How many alias expansions a YAML document may cause (the `yaml` library's own default): enough for
 * every real use of anchors (shared defaults), far too few for a "billion laughs" document.
 */
export const MAX_YAML_ALIAS_COUNT = 100;

export type DocumentFormat = "json" | "yaml";

export class DocumentParseError extends Error {
  /** 1-based line of the problem, when known. */
  readonly line: number | undefined;
  readonly column: number | undefined;
  /** The problem without the position, e.g. for messages that add their own prefix. */
  readonly problem: string;

  constructor(problem: string, line?: number, column?: number) {
    super(line === undefined ? problem : `${problem} (line ${line}${column ? `, column ${column}` : ""})`);
    this.name = "DocumentParseError";
    this.problem = problem;
    this.line = line;
    this.column = column;
  }
}

/** Parses `text` as JSON, or as YAML 1.2 (a superset of JSON), then checks depth and cycles. */
export function parseDocumentText(text: string, format: DocumentFormat): unknown {
  if (format === "yaml") return parseYaml(text);
  /* No checkShape walk: JSON.parse builds a tree (no cycles, no shared nodes) exactly as deep as the
     bracket nesting parseJson has already limited. */
  return parseJson(text);
}

function parseJson(text: string): unknown {
  /* Depth first, on the text: V8's JSON.parse copes with any depth, but every later recursive walk
     (validation, copies, comparisons) would not. Linear, strings skipped; a text shorter than the
     limit cannot open more levels than it has characters, so it needs no scan. */
  if (text.length <= MAX_NESTING_DEPTH) return parseJsonText(text);
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 /* { */ || c === 91 /* [ */) {
      if (++depth > MAX_NESTING_DEPTH) throw tooDeep(lineAt(text, i));
    } else if (c === 125 /* } */ || c === 93 /* ] */) depth--;
  }
  return parseJsonText(text);
}

function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new DocumentParseError(`JSON parse error: ${(err as Error).message}`);
  }
}

/**
 * The deepest nesting of flow collections (`[`, `{`) outside quotes and comments. The YAML library
 * recurses per level (and runs out of memory on 100,000 levels), so depth is refused on the text first.
 */
function yamlFlowDepthExceeded(text: string): number | undefined {
  let depth = 0;
  let quote = 0;
  let comment = false;
  let line = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      line++;
      comment = false;
    } else if (comment) continue;
    else if (quote !== 0) {
      if (quote === 34 && c === 92 /* \ */) i++;
      else if (c === quote) quote = 0;
    } else if (c === 34 || c === 39) quote = c;
    else if (c === 35 /* # */) comment = true;
    else if (c === 91 || c === 123) {
      if (++depth > MAX_NESTING_DEPTH) return line;
    } else if ((c === 93 || c === 125) && depth > 0) depth--;
  }
  return undefined;
}

function parseYaml(text: string): unknown {
  const deepAt = yamlFlowDepthExceeded(text);
  if (deepAt !== undefined) throw tooDeep(deepAt);
  // Loaded on demand: most requests are JSON, and the embedded emulator starts inside `pulumi up`.
  const { parseDocument, LineCounter, visit } = require("yaml") as typeof import("yaml");
  const lineCounter = new LineCounter();
  let document: ReturnType<typeof parseDocument>;
  try {
    document = parseDocument(text, { uniqueKeys: true, lineCounter });
  } catch {
    /* The library's recursive descent can exhaust the stack on pathological nesting. */
    throw tooDeep();
  }
  const problem = document.errors[0];
  if (problem) {
    /* The library reports its own stack exhaustion (deep flow collections) as a parse error. */
    if (/call stack/i.test(problem.message)) throw tooDeep(problem.linePos?.[0].line);
    const pos = problem.linePos?.[0];
    /* The library's first line ends with its own "at line L, column C:"; the error adds the position once. */
    const message = problem.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
    throw new DocumentParseError(`YAML parse error: ${message}`, pos?.line, pos?.col);
  }
  /* Alias problems have no position of their own: point at the first alias, where they start. */
  const atFirstAlias = (problem: string): DocumentParseError => {
    let offset: number | undefined;
    visit(document, {
      Alias(_key, node) {
        offset = node.range?.[0];
        return visit.BREAK;
      },
    });
    const pos = offset === undefined ? undefined : lineCounter.linePos(offset);
    return new DocumentParseError(problem, pos?.line, pos?.col);
  };
  let value: unknown;
  try {
    value = document.toJS({ maxAliasCount: MAX_YAML_ALIAS_COUNT });
  } catch (err) {
    if (err instanceof ReferenceError && /alias/i.test(err.message)) {
      throw atFirstAlias(
        `YAML parse error: aliases expand too much (more than ${MAX_YAML_ALIAS_COUNT} nodes through aliases); write the repeated parts out`,
      );
    }
    if (err instanceof RangeError) throw tooDeep();
    throw new DocumentParseError(`YAML parse error: cannot be read as data (${(err as Error).name})`);
  }
  try {
    checkShape(value);
  } catch (err) {
    if (err instanceof DocumentParseError && err.problem === CYCLE) throw atFirstAlias(CYCLE);
    throw err;
  }
  return value;
}

const CYCLE = "YAML parse error: an alias refers to a node that contains it (a cycle), which is not data";

function tooDeep(line?: number): DocumentParseError {
  return new DocumentParseError(
    `Document is nested too deeply (at most ${MAX_NESTING_DEPTH} levels, the limit of a CMF server)`,
    line,
  );
}

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/**
 * Refuses cycles (a YAML alias inside its own anchor) and depth beyond the limit. Subtree heights are
 * memoised, so anchors shared many times are walked once.
 */
function checkShape(root: unknown): void {
  const heights = new Map<object, number>();
  const ancestors = new Set<object>();
  const height = (value: unknown, depth: number): number => {
    if (typeof value !== "object" || value === null) return 0;
    const known = heights.get(value);
    if (known !== undefined) {
      if (depth + known > MAX_NESTING_DEPTH) throw tooDeep();
      return known;
    }
    if (ancestors.has(value)) {
      throw new DocumentParseError(CYCLE);
    }
    if (depth + 1 > MAX_NESTING_DEPTH) throw tooDeep();
    ancestors.add(value);
    let max = 0;
    for (const child of Object.values(value)) max = Math.max(max, height(child, depth + 1));
    ancestors.delete(value);
    heights.set(value, max + 1);
    return max + 1;
  };
  height(root, 0);
}
