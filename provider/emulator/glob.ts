/**
 * `name=<glob>` filters: `*` matches any run of characters, everything else matches itself. Matched
 * greedily segment by segment, which is linear in name length times pattern length: no backtracking
 * regular expression, so no request can freeze the emulator however many stars it sends.
 */
export function globMatcher(glob: string): (value: string) => boolean {
  const parts = glob.split("*");
  if (parts.length === 1) return (value) => value === glob;
  const head = parts[0];
  const tail = parts[parts.length - 1];
  const middle = parts.slice(1, -1).filter((p) => p !== "");
  return (value) => {
    if (value.length < head.length + tail.length) return false;
    if (!value.startsWith(head) || !value.endsWith(tail)) return false;
    /* The leftmost match of each middle part is always the best choice: it leaves the most room. */
    let at = head.length;
    const end = value.length - tail.length;
    for (const part of middle) {
      const found = value.indexOf(part, at);
      if (found === -1 || found + part.length > end) return false;
      at = found + part.length;
    }
    return true;
  };
}
