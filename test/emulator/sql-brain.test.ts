import type { TableRecord } from "../../provider/emulator/sql-state";
import type { SqlAnalysis, TableReference } from "../../provider/emulator/sql/analysis";
import { planStatement, sqlKindOf, type CatalogModel } from "../../provider/emulator/sql/brain";
import { dataTypeOf, literalOf } from "../../provider/emulator/sql/types";

/** The brain is pure: these tests feed it parses by hand, without the grammar. */

function analysis(extra: Partial<SqlAnalysis>): SqlAnalysis {
  return {
    errors: [],
    statementCount: 1,
    kind: "queryStatement",
    ifExists: false,
    ifNotExists: false,
    tables: [],
    columns: [],
    options: {},
    selectItems: [],
    hasFrom: false,
    insertsValues: false,
    windowed: false,
    ...extra,
  };
}

const ref = (path: string[], role: TableReference["role"] = "source"): TableReference => ({
  path,
  role,
  line: 1,
  column: 15,
  endLine: 1,
  endColumn: 20,
});

const ORDERS: TableRecord = {
  catalog: "kcat",
  database: "sales",
  name: "orders",
  columns: [
    { name: "id", type: "BIGINT", nullable: false },
    { name: "customer", type: "STRING", nullable: true },
  ],
  options: {},
  rows: [],
  createdAt: 0,
};

const model: CatalogModel = {
  catalogNames: () => ["kcat"],
  databaseNames: (c) => (c === "kcat" ? ["sales"] : undefined),
  table: (c, d, t) => (c === "kcat" && d === "sales" && t === "orders" ? ORDERS : undefined),
  tableNames: (c, d) => (c === "kcat" && d === "sales" ? ["orders"] : []),
  ddlProblem: () => "no DDL here",
};
const inSales = { "sql.current-catalog": "kcat", "sql.current-database": "sales" };
const key = () => "orders-key";

describe("planStatement", () => {
  test("resolves one-, two- and three-part names against the session, with Calcite's messages", () => {
    const select = (path: string[], props?: Record<string, string>) =>
      planStatement(
        analysis({ tables: [ref(path)], hasFrom: true, selectItems: [{ text: "*", star: true }] }),
        props,
        model,
        key,
      );
    expect(select(["orders"], inSales).outcome).toBe("job");
    expect(select(["sales", "orders"], { "sql.current-catalog": "kcat" }).outcome).toBe("job");
    expect(select(["kcat", "sales", "orders"]).outcome).toBe("job");
    expect(select(["orders"]).detail).toBe(
      "SQL validation failed. From line 1, column 15 to line 1, column 20: Object 'orders' not found",
    );
    expect(select(["kcat", "sales", "missing"]).detail).toMatch(
      /Object 'missing' not found within 'kcat.sales'$/,
    );
    expect(select(["kcat", "nodb", "orders"]).detail).toMatch(/Object 'nodb' not found within 'kcat'$/);
    expect(select(["nocat", "sales", "orders"]).detail).toMatch(/Object 'nocat' not found$/);
  });

  test("a SELECT over a table projects columns, keeps their types and names the result source", () => {
    const plan = planStatement(
      analysis({
        tables: [ref(["orders"])],
        hasFrom: true,
        selectItems: [
          { text: "customer", alias: "who", star: false },
          { text: "id + 1", star: false },
        ],
      }),
      inSales,
      model,
      key,
    );
    expect(plan).toMatchObject({ outcome: "job", sqlKind: "SELECT", isBounded: false });
    expect(plan.columns).toEqual([
      { name: "who", type: { type: "VARCHAR", nullable: true, length: 2147483647 } },
      { name: "EXPR$1", type: { type: "VARCHAR", nullable: true, length: 2147483647 } },
    ]);
    expect(plan.resultSource).toEqual({ kind: "table", table: "orders-key", projection: [1, -1] });
    expect(plan.warning).toMatch(/plain columns only: EXPR\$1/);
  });

  test("DDL is refused where the model says so; DROP of a missing table honours IF EXISTS", () => {
    const create = planStatement(
      analysis({ kind: "simpleCreateTable", tables: [ref(["t2"], "create")] }),
      inSales,
      model,
      key,
    );
    expect(create).toMatchObject({ outcome: "failed", sqlKind: "CREATE_TABLE", detail: "no DDL here" });
    const local = planStatement(
      analysis({
        kind: "simpleCreateTable",
        tables: [ref(["t2"], "create")],
        columns: [{ name: "a", type: "INT", nullable: true }],
      }),
      undefined,
      model,
      key,
    );
    expect(local).toMatchObject({
      outcome: "completed",
      ddl: { kind: "create", catalog: "default_catalog", table: "t2" },
    });
    expect(
      planStatement(analysis({ kind: "dropTable", tables: [ref(["nope"], "drop")] }), undefined, model, key)
        .outcome,
    ).toBe("failed");
    expect(
      planStatement(
        analysis({ kind: "dropTable", ifExists: true, tables: [ref(["nope"], "drop")] }),
        undefined,
        model,
        key,
      ),
    ).toMatchObject({ outcome: "completed", inlineRows: [["OK"]] });
  });

  test("syntax errors, several statements and an unknown current catalog fail", () => {
    const syntax = analysis({
      errors: [{ line: 3, column: 7, endLine: 3, endColumn: 8, token: "FORM", message: "extraneous input" }],
    });
    expect(planStatement(syntax, undefined, model, key).detail).toBe(
      'SQL parse failed. Encountered "FORM" at line 3, column 7. extraneous input',
    );
    expect(planStatement(analysis({ statementCount: 2 }), undefined, model, key).outcome).toBe("failed");
    expect(planStatement(analysis({}), { "sql.current-catalog": "nope" }, model, key).detail).toBe(
      "A catalog with name [nope] does not exist.",
    );
  });

  test("SHOW answers from the model", () => {
    const show = (what: string, props?: Record<string, string>) =>
      planStatement(analysis({ kind: "showStatement", showWhat: what }), props, model, key);
    expect(show("TABLES", inSales).inlineRows).toEqual([["orders"]]);
    expect(show("CATALOGS").inlineRows).toEqual([["default_catalog"], ["kcat"]]);
    expect(show("DATABASES", { "sql.current-catalog": "kcat" }).inlineRows).toEqual([["sales"]]);
    expect(show("TABLES", { "sql.current-catalog": "kcat" }).detail).toBe(
      "A database with name [default_database] does not exist in the catalog: [kcat].",
    );
    expect(show("FUNCTIONS")).toMatchObject({
      outcome: "completed",
      sqlKind: "SHOW_FUNCTIONS",
      inlineRows: [],
    });
  });
});

describe("SQL types and literals", () => {
  test.each([
    ["INT", { type: "INTEGER", nullable: true }],
    ["STRING", { type: "VARCHAR", nullable: true, length: 2147483647 }],
    ["VARCHAR(10)", { type: "VARCHAR", nullable: true, length: 10 }],
    ["DECIMAL(10, 2)", { type: "DECIMAL", nullable: true, precision: 10, scale: 2 }],
    ["TIMESTAMP(3)", { type: "TIMESTAMP_WITHOUT_TIME_ZONE", nullable: true, precision: 3 }],
    ["TIMESTAMP_LTZ(3)", { type: "TIMESTAMP_WITH_LOCAL_TIME_ZONE", nullable: true, precision: 3 }],
    ["BIGINT", { type: "BIGINT", nullable: true }],
  ])("dataTypeOf(%s)", (written, expected) => {
    expect(dataTypeOf(written, true)).toEqual(expected);
  });

  test("literals are typed as Flink types them and rendered as strings", () => {
    expect(literalOf("42")).toEqual({ value: "42", type: { type: "INTEGER", nullable: false } });
    expect(literalOf("4200000000")?.type.type).toBe("BIGINT");
    expect(literalOf("0.5")).toEqual({
      value: "0.5",
      type: { type: "DECIMAL", nullable: false, precision: 1, scale: 1 },
    });
    expect(literalOf("'it''s'")).toEqual({
      value: "it's",
      type: { type: "CHAR", nullable: false, length: 4 },
    });
    expect(literalOf("true")?.value).toBe("TRUE");
    expect(literalOf("NULL")).toEqual({ value: null, type: { type: "NULL", nullable: true } });
    expect(literalOf("a + 1")).toBeUndefined();
  });

  test("sqlKindOf names statements as CMF's traits do", () => {
    expect(sqlKindOf(analysis({ kind: "insertSimpleStatement" }))).toBe("INSERT_INTO");
    expect(sqlKindOf(analysis({ kind: "showStatement", showWhat: "CURRENT CATALOG" }))).toBe(
      "SHOW_CURRENT_CATALOG",
    );
    expect(sqlKindOf(analysis({ kind: "createView" }))).toBe("CREATE_VIEW");
  });
});
