import type { DataType } from "../../models";

/** Flink SQL types as CMF reports them in `status.traits.schema` (`DataType`). */

const MAX_LENGTH = 2147483647;

const ALIASES: Record<string, string> = {
  INT: "INTEGER",
  STRING: "VARCHAR",
  BYTES: "VARBINARY",
  DEC: "DECIMAL",
  NUMERIC: "DECIMAL",
  TIMESTAMP: "TIMESTAMP_WITHOUT_TIME_ZONE",
  TIMESTAMP_LTZ: "TIMESTAMP_WITH_LOCAL_TIME_ZONE",
  "TIMESTAMP WITH LOCAL TIME ZONE": "TIMESTAMP_WITH_LOCAL_TIME_ZONE",
  "TIMESTAMP WITHOUT TIME ZONE": "TIMESTAMP_WITHOUT_TIME_ZONE",
  TIME: "TIME_WITHOUT_TIME_ZONE",
  "DOUBLE PRECISION": "DOUBLE",
};

/** `VARCHAR(10)`, `DECIMAL(10, 2)`, `TIMESTAMP(3)`, `STRING`, `INT NOT NULL` → DataType. */
export function dataTypeOf(written: string, nullable: boolean): DataType {
  const text = written.trim().toUpperCase();
  const m =
    /^([A-Z_ ]+?)\s*(?:\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\))?(\s+WITH(?:OUT)? (?:LOCAL )?TIME ZONE)?$/.exec(text);
  if (!m) return { type: text.replace(/\s+/g, "_"), nullable };
  const base = `${m[1].trim()}${m[4] ?? ""}`.replace(/\s+/g, " ");
  const type = ALIASES[base] ?? base.replace(/\s+/g, "_");
  const first = m[2] === undefined ? undefined : Number(m[2]);
  const second = m[3] === undefined ? undefined : Number(m[3]);
  const out: DataType = { type, nullable };
  if (type === "VARCHAR" || type === "CHAR" || type === "VARBINARY" || type === "BINARY") {
    out.length = first ?? (base === "STRING" || base === "BYTES" ? MAX_LENGTH : 1);
  } else if (type === "DECIMAL") {
    out.precision = first ?? 10;
    out.scale = second ?? 0;
  } else if (type.startsWith("TIMESTAMP") || type.startsWith("TIME")) {
    out.precision = first ?? (type.startsWith("TIME_") ? 0 : 6);
  }
  return out;
}

export const varchar = (nullable = false): DataType => ({ type: "VARCHAR", nullable, length: MAX_LENGTH });

export interface Literal {
  value: string | null;
  type: DataType;
}

/**
 * A SQL literal as Flink types it: `1` INTEGER, `1.5` DECIMAL(2, 1), `'x'` CHAR(1), TRUE BOOLEAN, NULL.
 * Values are rendered as strings, as CMF's results show them. Undefined when not a literal.
 */
export function literalOf(text: string): Literal | undefined {
  const t = text.trim();
  if (/^[+-]?\d+$/.test(t)) {
    const n = BigInt(t);
    const int = n >= -2147483648n && n <= 2147483647n;
    return { value: n.toString(), type: { type: int ? "INTEGER" : "BIGINT", nullable: false } };
  }
  const dec = /^([+-]?)(\d*)\.(\d+)$/.exec(t);
  if (dec) {
    const digits = (dec[2].replace(/^0+/, "") + dec[3]).length || 1;
    return {
      value: t,
      type: {
        type: "DECIMAL",
        nullable: false,
        precision: Math.max(digits, dec[3].length),
        scale: dec[3].length,
      },
    };
  }
  const str = /^'((?:[^']|'')*)'$/s.exec(t);
  if (str) {
    const value = str[1].replace(/''/g, "'");
    return { value, type: { type: "CHAR", nullable: false, length: Math.max(value.length, 1) } };
  }
  if (/^(TRUE|FALSE)$/i.test(t))
    return { value: t.toUpperCase(), type: { type: "BOOLEAN", nullable: false } };
  if (/^NULL$/i.test(t)) return { value: null, type: { type: "NULL", nullable: true } };
  return undefined;
}
