/**
 * What the SQL brain needs to know about one statement, as plain JSON: the parse tree stays in the
 * parser's thread (see parser.ts), only this crosses over.
 */

/** 1-based line and column, as Flink reports them. */
export interface SqlPosition {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface SqlSyntaxError extends SqlPosition {
  /** The offending token's text ("<EOF>" at the end). */
  token: string;
  message: string;
}

export type TableRole = "create" | "source" | "sink" | "drop" | "describe";

export interface TableReference extends SqlPosition {
  /** Unquoted identifiers: `cat`.`db`.`t` → ["cat", "db", "t"]. */
  path: string[];
  role: TableRole;
}

export interface ColumnDefinition {
  name: string;
  /** As written, upper-cased: `INT`, `TIMESTAMP(3)`, `STRING`. */
  type: string;
  nullable: boolean;
}

export interface SelectItem {
  /** The projected expression as written (without its alias). */
  text: string;
  alias?: string;
  star: boolean;
}

export interface SqlAnalysis {
  errors: SqlSyntaxError[];
  statementCount: number;
  /** Grammar rule of the statement: simpleCreateTable, dropTable, queryStatement, showStatement, ... */
  kind: string;
  /** For SHOW: the words after SHOW, upper-cased ("TABLES", "CATALOGS"). */
  showWhat?: string;
  ifExists: boolean;
  ifNotExists: boolean;
  tables: TableReference[];
  columns: ColumnDefinition[];
  /** `WITH (...)` options of CREATE TABLE. */
  options: Record<string, string>;
  /** The projection of the outermost SELECT (also of INSERT ... SELECT). */
  selectItems: SelectItem[];
  /** Whether the outermost SELECT reads a FROM clause (a literal SELECT has none). */
  hasFrom: boolean;
  /** INSERT ... VALUES: a bounded source. */
  insertsValues: boolean;
  /** Reads a windowing table function (TUMBLE, HOP, ...), which adds window_start/_end/_time. */
  windowed: boolean;
}

/* Minimal structural types of the antlr4ng objects the analysis walks. */
interface SqlToken {
  line: number;
  column: number;
  start: number;
  stop: number;
  text?: string;
}
export interface SqlTreeNode {
  children?: SqlTreeNode[] | null;
  start?: SqlToken | null;
  stop?: SqlToken | null;
  symbol?: SqlToken;
  getText(): string;
}
export interface SqlParseErrorInfo {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
  message: string;
}
export interface FlinkSqlParserLike {
  parse(
    sql: string,
    onError: (error: SqlParseErrorInfo, raw: { offendingSymbol?: SqlToken | null }) => void,
  ): SqlTreeNode;
}

/**
 * Walks dt-sql-parser's FlinkSQL parse tree. Self-contained on purpose (no imports, no closures over
 * module state): its source text is what runs in the parser worker.
 */
export function analyzeFlinkSql(parser: FlinkSqlParserLike, sql: string): SqlAnalysis {
  const errors: SqlSyntaxError[] = [];
  const tree = parser.parse(sql, (error, raw) => {
    const token = raw.offendingSymbol?.text ?? "";
    errors.push({
      line: error.startLine,
      column: error.startColumn,
      endLine: error.endLine,
      endColumn: error.endColumn,
      token: token === "<EOF>" ? "<EOF>" : token,
      message: error.message,
    });
  });
  const rule = (n: SqlTreeNode): string => {
    const name = n.constructor.name.replace(/Context$/, "");
    return name.charAt(0).toLowerCase() + name.slice(1);
  };
  const kids = (n: SqlTreeNode): SqlTreeNode[] => n.children ?? [];
  const isRule = (n: SqlTreeNode) => n.children !== undefined && n.symbol === undefined;
  const source = (n: SqlTreeNode): string =>
    n.start && n.stop && n.stop.stop >= n.start.start
      ? sql.slice(n.start.start, n.stop.stop + 1)
      : n.getText();
  const position = (n: SqlTreeNode) => {
    const start = n.start ?? { line: 1, column: 0, start: 0, stop: 0 };
    const stop = n.stop ?? start;
    const lastLine = sql.slice(0, stop.stop + 1).split("\n");
    return {
      line: start.line,
      column: start.column + 1,
      endLine: stop.line,
      endColumn: lastLine[lastLine.length - 1].length,
    };
  };
  const unquote = (part: string): string => {
    const p = part.trim();
    if (p.length >= 2 && p.startsWith("`") && p.endsWith("`")) return p.slice(1, -1).replace(/``/g, "`");
    return p;
  };
  const splitPath = (text: string): string[] => {
    const parts: string[] = [];
    let current = "";
    let quoted = false;
    for (const ch of text) {
      if (ch === "`") quoted = !quoted;
      if (ch === "." && !quoted) {
        parts.push(unquote(current));
        current = "";
      } else current += ch;
    }
    parts.push(unquote(current));
    return parts;
  };
  const find = (n: SqlTreeNode, names: Set<string>, out: SqlTreeNode[] = [], stopAt?: Set<string>) => {
    for (const c of kids(n)) {
      if (!isRule(c)) continue;
      const r = rule(c);
      if (names.has(r)) out.push(c);
      if (!stopAt || !stopAt.has(r)) find(c, names, out, stopAt);
    }
    return out;
  };
  const first = (n: SqlTreeNode, name: string): SqlTreeNode | undefined => find(n, new Set([name]))[0];

  const statements = find(tree, new Set(["sqlStatement"]), [], new Set(["sqlStatement"]));
  const analysis: SqlAnalysis = {
    errors,
    statementCount: statements.length,
    kind: "unknown",
    ifExists: false,
    ifNotExists: false,
    tables: [],
    columns: [],
    options: {},
    selectItems: [],
    hasFrom: false,
    insertsValues: false,
    windowed: false,
  };
  const statement = statements[0];
  if (errors.length > 0 || !statement) return analysis;

  const wrappers = new Set([
    "sqlStatement",
    "ddlStatement",
    "dmlStatement",
    "createTable",
    "insertStatement",
  ]);
  let node: SqlTreeNode = statement;
  while (wrappers.has(rule(node))) {
    const next = kids(node).find(isRule);
    if (!next) break;
    node = next;
  }
  const kind = rule(node);
  analysis.kind = kind;
  analysis.ifExists = first(node, "ifExists") !== undefined;
  analysis.ifNotExists = first(node, "ifNotExists") !== undefined;
  if (kind === "showStatement") {
    analysis.showWhat = source(node)
      .replace(/^\s*SHOW\s+/i, "")
      .split(/\s+/)
      .filter((w) => /^[A-Za-z_]+$/.test(w) && !/^(FROM|IN|LIKE|ILIKE|NOT)$/i.test(w))
      .join(" ")
      .toUpperCase();
  }

  const cteNames = new Set(
    find(node, new Set(["withItemName"])).map((n) => unquote(source(n)).toLowerCase()),
  );
  const addTable = (n: SqlTreeNode, role: TableRole) => {
    const path = splitPath(source(n));
    if (role === "source" && path.length === 1 && cteNames.has(path[0].toLowerCase())) return;
    analysis.tables.push({ path, role, ...position(n) });
  };

  if (kind === "simpleCreateTable" || kind === "createTableAsSelect") {
    const target = first(node, "tablePathCreate");
    if (target) addTable(target, "create");
    for (const col of find(node, new Set(["physicalColumnDefinition"]))) {
      const name = first(col, "columnNameCreate");
      const type = first(col, "columnType");
      const constraint = find(col, new Set(["columnConstraint"])).map((c) => source(c).toUpperCase());
      if (name && type) {
        analysis.columns.push({
          name: unquote(source(name)),
          type: source(type).toUpperCase().replace(/\s+/g, " "),
          nullable: !constraint.some((c) => /NOT\s+NULL|PRIMARY\s+KEY/.test(c)),
        });
      }
    }
    for (const property of find(node, new Set(["tableProperty"]))) {
      const key = first(property, "tablePropertyKey");
      const value = first(property, "tablePropertyValue");
      if (key && value) {
        const strip = (s: string) => s.replace(/^'(.*)'$/s, "$1").replace(/''/g, "'");
        analysis.options[strip(source(key))] = strip(source(value));
      }
    }
  } else if (kind === "dropTable") {
    const target = first(node, "tablePath");
    if (target) addTable(target, "drop");
  } else if (kind === "describeStatement") {
    const target = first(node, "tablePath");
    if (target) addTable(target, "describe");
  } else if (kind === "insertSimpleStatement") {
    const target = kids(node).find((c) => isRule(c) && rule(c) === "tablePath");
    if (target) addTable(target, "sink");
    analysis.insertsValues = kids(node).some((c) => isRule(c) && rule(c) === "valuesDefinition");
  }
  if (kind !== "dropTable" && kind !== "describeStatement") {
    for (const ref of find(node, new Set(["tablePrimary"]))) {
      const path = first(ref, "tablePath");
      if (path) addTable(path, "source");
    }
    for (const param of find(node, new Set(["windowTVFParam"]))) {
      const table = first(param, "timeAttrColumn");
      if (table && /^\s*TABLE\s/i.test(source(param))) {
        addTable(table, "source");
        analysis.windowed = true;
      }
    }
    /* A SELECT without FROM is a bare selectClause; with FROM, a selectStatement around one. */
    const select = first(node, "selectStatement");
    const clause = select ? first(select, "selectClause") : first(node, "selectClause");
    if (clause) {
      analysis.hasFrom = select !== undefined && first(select, "fromClause") !== undefined;
      const list = first(clause, "selectList");
      for (const item of list ? kids(list).filter((c) => isRule(c) && rule(c) === "columnProjectItem") : []) {
        const alias = first(item, "columnAlias");
        const star = first(item, "tableAllColumns") !== undefined;
        const start = item.start?.start ?? 0;
        const end = alias?.start ? alias.start.start : (item.stop?.stop ?? start) + 1;
        const text = sql.slice(start, end).trim();
        analysis.selectItems.push({
          text,
          star,
          ...(alias ? { alias: unquote(source(alias).replace(/^\s*AS\s+/i, "")) } : {}),
        });
      }
    }
  }
  return analysis;
}
