/**
 * What a resource's URN tells the plugin: `urn:pulumi:<stack>::<project>::<type>::<name>`. The dynamic
 * resources learn the project, stack and logical name in the program (the SDK fills `name` and `owner`);
 * a plugin serving every language learns them here instead.
 */
export interface UrnParts {
  stack: string;
  project: string;
  type: string;
  name: string;
}

export function parseUrn(urn: string): UrnParts | undefined {
  const prefix = "urn:pulumi:";
  if (!urn.startsWith(prefix)) return undefined;
  const parts = urn.slice(prefix.length).split("::");
  if (parts.length < 4) return undefined;
  const [stack, project, type, ...name] = parts;
  // The type holds the parents' types too (`a$b`); the resource's own is the last one.
  return { stack, project, type: type.split("$").pop() ?? type, name: name.join("::") };
}

/** `<project>/<stack>/<logical name>`: the owner marker pulumi-cmf writes on the objects it manages. */
export function ownerOf(urn: UrnParts): string {
  return `${urn.project}/${urn.stack}/${urn.name}`;
}
