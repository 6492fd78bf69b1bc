/**
 * SecureClient plugin for revocation: asks every server for an OCSP staple and, after the
 * chain and pins were verified, runs the RevocationChecker (user CRLs, staple, optional AIA
 * fallback) under the host's policy — `revocationHosts` overrides, else `revocation`.
 * The outcome lands in ConnectionFacts.ocsp; a refusal throws a coded error.
 */
import type { SecureClientPlugin } from './extensions';
import { hostMatches, normalizeHostPattern } from './host-pattern';
import { RevocationChecker } from './ocsp-check';
import { OcspFallback } from './ocsp-fallback';
import type { ConnectionSecurityOptions, RevocationMode } from './types';

/** The revocation mode for `host` under `options`. */
export function revocationModeFor(
  host: string,
  options: ConnectionSecurityOptions,
): RevocationMode {
  for (const rule of options.revocationHosts ?? []) {
    if (hostMatches(normalizeHostPattern(rule.host), host)) return rule.mode;
  }
  return options.revocation;
}

/** Create the revocation plugin. One responder cache is shared for the plugin's life. */
export function createRevocationPlugin(
  fallback: OcspFallback = new OcspFallback(),
): SecureClientPlugin {
  let key: string | null = null;
  let checker: RevocationChecker | null = null;
  const checkerFor = (o: ConnectionSecurityOptions): RevocationChecker => {
    const k = JSON.stringify([o.crlFiles, o.ocspFallback]);
    if (!checker || k !== key) {
      // Reads and parses the CRL files now: a bad file fails when configured.
      checker = new RevocationChecker({
        crlFiles: o.crlFiles,
        fallback: o.ocspFallback ? fallback : false,
      });
      key = k;
    }
    return checker;
  };
  return {
    name: 'revocation',
    onOptions: (o) => {
      checkerFor(o);
      for (const rule of o.revocationHosts ?? []) normalizeHostPattern(rule.host);
    },
    checks: [
      {
        name: 'revocation',
        requestOCSP: true,
        async run(ctx) {
          const mode = revocationModeFor(ctx.target.host, ctx.options);
          ctx.facts.ocsp = await checkerFor(ctx.options).check({
            host: ctx.target.host,
            mode,
            staple: ctx.ocspStaple,
            chain: ctx.chain,
          });
        },
      },
    ],
  };
}
