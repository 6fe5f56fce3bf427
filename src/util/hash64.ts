// A 64-bit name for a cache entry, computed without node:crypto (see src/util/lazy-crypto.ts).

/** 64 bits of two multiplicative hashes (cyrb53's mixing, both halves kept), as 16 hex digits:
 * a name, not a defence against anyone. Callers that must not confuse two inputs keep the whole
 * input in the entry and compare it (src/config/module-loader.ts). */
export function hash64(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (h2 >>> 0).toString(16).padStart(8, "0") + (h1 >>> 0).toString(16).padStart(8, "0");
}
