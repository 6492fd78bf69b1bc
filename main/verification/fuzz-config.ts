/**
 * Bounds of the fuzz suites: small and seeded in `npm test`, larger through
 * `FUZZ_ITERATIONS=… FUZZ_SEED=… node scripts/fuzz.mjs`. A failure prints its seed and
 * iteration so it reproduces exactly. Test-only.
 */
import { createRng } from '../test-support/fuzz';

/** Iterations for a suite: `FUZZ_ITERATIONS` scaled by `weight`, else `fallback`. */
export function fuzzIterations(fallback: number, weight = 1): number {
  const env = Number(process.env.FUZZ_ITERATIONS);
  return Number.isSafeInteger(env) && env > 0 ? Math.max(1, Math.round(env * weight)) : fallback;
}

/** The base seed: `FUZZ_SEED`, else a fixed one so `npm test` is deterministic. */
export function fuzzSeed(): number {
  const env = Number(process.env.FUZZ_SEED);
  return Number.isSafeInteger(env) ? env : 0x11a7c0de;
}

/** A seeded PRNG for one named suite (the name keeps suites independent). */
export function suiteRng(name: string): { rng: () => number; seed: number } {
  let h = fuzzSeed() >>> 0;
  for (const ch of name) h = (Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0) as number;
  return { rng: createRng(h), seed: h };
}

/** Pick one element. */
export function pick<T>(rng: () => number, xs: readonly T[]): T {
  return xs[Math.floor(rng() * xs.length)]!;
}

/** An integer in [min, max]. */
export function int(rng: () => number, min: number, max: number): number {
  return min + Math.floor(rng() * (max - min + 1));
}

/** Random bytes from the PRNG. */
export function bytes(rng: () => number, n: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = Math.floor(rng() * 256);
  return b;
}

/**
 * Mutate a string the way fuzzers do: flip, insert, delete, duplicate or splice in a
 * nasty token; a few rounds each.
 */
export function mutateString(rng: () => number, input: string, tokens: readonly string[]): string {
  let s = input;
  const rounds = int(rng, 1, 4);
  for (let r = 0; r < rounds; r++) {
    const at = int(rng, 0, s.length);
    switch (int(rng, 0, 5)) {
      case 0:
        s = s.slice(0, at) + String.fromCharCode(int(rng, 0, 0xffff)) + s.slice(at + 1);
        break;
      case 1:
        s = s.slice(0, at) + pick(rng, tokens) + s.slice(at);
        break;
      case 2:
        s = s.slice(0, at) + s.slice(at + int(rng, 1, 8));
        break;
      case 3:
        s = s.slice(0, at) + s.slice(at, at + int(rng, 1, 16)).repeat(int(rng, 2, 5)) + s.slice(at);
        break;
      case 4:
        s = s.slice(0, at) + String.fromCharCode(int(rng, 0x20, 0x7e)) + s.slice(at);
        break;
      default:
        s = s.toUpperCase();
    }
  }
  return s;
}
