/**
 * True when the JSON text in `body` nests objects/arrays deeper than `limit` (string contents are
 * skipped). One linear pass, no allocation; it does not validate the JSON. V8's JSON.parse takes
 * ~50–120 ms on 1 MiB of `[[[…]]]`, so the ingress checks large bodies with this first.
 */
export function exceedsNestingDepth(body: Uint8Array, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const byte = body[i];
    if (inString) {
      if (byte === 0x5c) i++;
      else if (byte === 0x22) inString = false;
    } else if (byte === 0x22) inString = true;
    else if (byte === 0x7b || byte === 0x5b) {
      if (++depth > limit) return true;
    } else if (byte === 0x7d || byte === 0x5d) depth--;
  }
  return false;
}
