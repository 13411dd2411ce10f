/**
 * The reference tables of a kind's page (`provider/kinds/<kind>/README.md`), generated from its
 * definition so that the docs never disagree with what check, diff and the SDK do.
 */
import {
  CONNECTION_SETTINGS,
  CONNECTION_SETTING_NAMES,
  type ConnectionSetting,
} from "../core/connection-settings";
import type { FieldDescriptor, KindDefinition } from "../core/schema";

export const BEGIN = "<!-- BEGIN GENERATED: provider/kinds/docs.ts -->";
export const END = "<!-- END GENERATED -->";

function typeOf(descriptor: FieldDescriptor): string {
  if (descriptor.enum) return descriptor.enum.map((value) => `\`"${value}"\``).join(" \\| ");
  switch (descriptor.type) {
    case "map":
      return `map of ${descriptor.items ? typeOf(descriptor.items) : "string"}`;
    case "array":
      return `array of ${descriptor.items ? typeOf(descriptor.items) : "any"}`;
    default:
      return descriptor.type;
  }
}

function defaultOf(descriptor: FieldDescriptor): string {
  const fallback = descriptor.default;
  if (fallback === undefined) return "";
  return "resourceName" in fallback ? "the resource name" : `\`${JSON.stringify(fallback.value)}\``;
}

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

function range(descriptor: FieldDescriptor): string {
  const { minimum, maximum } = descriptor;
  if (minimum === undefined && maximum === undefined) return "";
  return ` (${minimum ?? "…"} to ${maximum ?? "…"})`;
}

/** The arguments and outputs tables of one kind. */
export function referenceTables(definition: KindDefinition): string {
  const fields = Object.entries(definition.fields);
  const args = fields.filter(([, d]) => d.role !== "output" && d.role !== "internal");
  const outputs = fields.filter(([, d]) => d.role === "output");
  const lines = [
    BEGIN,
    "",
    `Id: \`${definition.id.parts.map((part) => `<${part}>`).join("/")}\` (e.g. for \`pulumi import\` with the \`cmf\` plugin).`,
    "",
    "### Arguments",
    "",
    "| Argument | Type | Required | Default | Replaces | Secret | Description |",
    "| --- | --- | --- | --- | --- | --- | --- |",
    ...args.map(
      ([name, d]) =>
        `| \`${name}\` | ${typeOf(d)}${range(d)} | ${d.required && !d.default ? "yes" : ""} | ${defaultOf(d)} | ${d.replaces ? "yes" : ""} | ${d.secret ? "yes" : ""} | ${cell(d.description)}${d.role === "setting" ? " _(pulumi-cmf setting: never sent to CMF.)_" : ""} |`,
    ),
    "",
    "### Outputs",
    "",
    "Every argument, as last seen on CMF, and:",
    "",
    "| Output | Type | Description |",
    "| --- | --- | --- |",
    ...outputs.map(([name, d]) => `| \`${name}\` | ${typeOf(d)} | ${cell(d.description)} |`),
    "",
    "### `connection`",
    "",
    "| Member | Stack configuration | Environment variable | Type | Secret | Description |",
    "| --- | --- | --- | --- | --- | --- |",
    ...CONNECTION_SETTING_NAMES.map((name) => {
      const s: ConnectionSetting = CONNECTION_SETTINGS[name];
      return `| ${s.input ? `\`${s.input}\`` : "(none)"} | \`cmf:${name}\` | ${s.env ? `\`${s.env}\`` : ""} | ${s.type} | ${s.secret ? "yes" : ""} | ${cell(s.description)} |`;
    }),
    "",
    END,
  ];
  return lines.join("\n");
}

/** The page with its generated block replaced by the current tables. */
export function withTables(page: string, definition: KindDefinition): string {
  const start = page.indexOf(BEGIN);
  const end = page.indexOf(END);
  if (start < 0 || end < start) throw new Error(`no generated block (${BEGIN} ... ${END}) in the page`);
  return page.slice(0, start) + referenceTables(definition) + page.slice(end + END.length);
}
