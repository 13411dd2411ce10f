/** The "billion laughs" YAML of issue #10 item 7: 10,000 nodes from four lines of aliases. */
export const ALIAS_BOMB = [
  "name: bomb",
  "kubernetesNamespace: ns",
  "flinkApplicationDefaults:",
  "  a: &a [x,x,x,x,x,x,x,x,x,x]",
  "  b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]",
  "  c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]",
  "  d: [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]",
  "",
].join("\n");
