/**
 * Reading the FlinkApplication documents users already feed to `confluent flink application create`
 * (`{apiVersion, kind, metadata, spec, status?}`), as YAML or JSON text or as an object.
 */
import { DocumentParseError, parseDocumentText } from "../provider/models/document-parse";

/** The document cannot be turned into a CmfApplication; `field` names the culprit. */
export class CmfDocumentError extends Error {
  readonly field: string;

  constructor(field: string, problem: string) {
    super(`Invalid FlinkApplication document: ${field} ${problem}`);
    this.name = "CmfDocumentError";
    this.field = field;
  }
}

export interface ParsedApplicationDocument {
  name?: string;
  spec: Record<string, unknown>;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * YAML 1.2 is a superset of JSON, so one parser reads both kinds of file; the shared safe reader
 * refuses alias bombs, cycles and absurd nesting at once instead of hanging or overflowing.
 */
function parseText(text: string): unknown {
  if (text.trim() === "") throw new CmfDocumentError("document", "is empty");
  try {
    return parseDocumentText(text, "yaml");
  } catch (err) {
    if (!(err instanceof DocumentParseError)) throw err;
    const where = err.line ? ` at line ${err.line}${err.column ? `, column ${err.column}` : ""}` : "";
    const problem = err.problem.replace(/^YAML parse error: /, "");
    throw new CmfDocumentError("document", `is not valid YAML or JSON${where}: ${problem}`);
  }
}

function stringMap(value: unknown, field: string): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) throw new CmfDocumentError(field, "must be a map of strings");
  for (const [key, member] of Object.entries(value)) {
    if (typeof member !== "string")
      throw new CmfDocumentError(`${field}.${key}`, `must be a string (got ${typeof member})`);
  }
  return value as Record<string, string>;
}

/** The parts of a FlinkApplication document a CmfApplication takes; `status` is ignored, as CMF does. */
export function parseApplicationDocument(
  document: string | Record<string, unknown>,
): ParsedApplicationDocument {
  const value = typeof document === "string" ? parseText(document) : document;
  if (!isObject(value)) throw new CmfDocumentError("document", "must be an object");
  if (value.kind !== undefined && value.kind !== "FlinkApplication") {
    throw new CmfDocumentError("kind", `must be FlinkApplication (got ${JSON.stringify(value.kind)})`);
  }
  if (value.apiVersion !== undefined && typeof value.apiVersion !== "string") {
    throw new CmfDocumentError("apiVersion", "must be a string");
  }
  const metadata = value.metadata;
  if (metadata !== undefined && metadata !== null && !isObject(metadata)) {
    throw new CmfDocumentError("metadata", "must be an object");
  }
  const name = metadata?.name;
  if (name !== undefined && typeof name !== "string")
    throw new CmfDocumentError("metadata.name", "must be a string");
  if (value.spec === undefined || value.spec === null) throw new CmfDocumentError("spec", "is required");
  if (!isObject(value.spec)) throw new CmfDocumentError("spec", "must be an object");
  const labels = stringMap(metadata?.labels, "metadata.labels");
  const annotations = stringMap(metadata?.annotations, "metadata.annotations");
  return {
    ...(name === undefined ? {} : { name }),
    spec: value.spec,
    ...(labels === undefined ? {} : { labels }),
    ...(annotations === undefined ? {} : { annotations }),
  };
}
