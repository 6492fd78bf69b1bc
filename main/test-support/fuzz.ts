/** Seeded random value generators for bounded fuzz tests. Test-only. */

/** A small, fast, seeded PRNG (mulberry32) so failures reproduce from the printed seed. */
export function createRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NASTY_STRINGS = [
  '',
  ' ',
  '\0',
  '../../../etc/passwd',
  'C:\\Windows\\System32',
  'https://',
  'http://example.com/x',
  'https://user:pw@example.com/x',
  'javascript:alert(1)',
  'file:///etc/passwd',
  'sha256/',
  'sha256//AAAA',
  '__proto__',
  'constructor',
  'A'.repeat(5000),
  '\u202e\u0000\ud800',
  '{"a":1}',
  '%00%2e%2e/',
  'module:../x',
  '-1',
  'NaN',
];

/** Generate a random JSON-ish value up to `depth`, biased towards edge cases. */
export function randomValue(rng: () => number, depth = 3): unknown {
  const pick = <T>(xs: T[]): T => xs[Math.floor(rng() * xs.length)]!;
  const r = rng();
  if (depth <= 0 || r < 0.35) {
    return pick<() => unknown>([
      () => undefined,
      () => null,
      () => pick([true, false]),
      () =>
        pick([0, -1, 1, 0.5, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, NaN, Infinity, 17, 1001]),
      () => Math.floor(rng() * 2 ** 32) - 2 ** 31,
      () => pick(NASTY_STRINGS),
      () => Math.random().toString(36).slice(2),
    ])();
  }
  if (r < 0.55)
    return Array.from({ length: Math.floor(rng() * 4) }, () => randomValue(rng, depth - 1));
  const keys = [
    'id',
    'url',
    'dest',
    'pins',
    'host',
    'pin',
    'component',
    'version',
    'limit',
    'jobs',
    'network',
    'feed',
    'proxy',
    'priority',
    'expectedHash',
    'connections',
    '__proto__',
    'constructor',
    'x',
  ];
  const obj: Record<string, unknown> = {};
  const n = Math.floor(rng() * 4);
  for (let i = 0; i < n; i++) {
    const k = pick(keys);
    if (k === '__proto__') {
      // An own "__proto__" key, as JSON.parse produces from hostile input.
      if (!Object.hasOwn(obj, k))
        Object.defineProperty(obj, k, {
          value: randomValue(rng, depth - 1),
          enumerable: true,
          configurable: true,
          writable: true,
        });
    } else obj[k] = randomValue(rng, depth - 1);
  }
  return obj;
}
