/** Redaction of secrets before anything reaches a log, an error or the UI. */
import { redactUrlCredentials } from '../errors';

const PATTERNS: [RegExp, string][] = [
  // Authorization / Proxy-Authorization header values.
  [
    /((?:proxy-)?authorization["']?\s*[:=]\s*["']?)(basic|bearer|digest)?\s*[^\s"',}]+/gi,
    '$1$2 ***',
  ],
  // token=…, password=…, passphrase=… in query strings, JSON or flags.
  [
    /((?:token|password|passphrase|pass|secret|apikey|api_key)["']?\s*[:=]\s*["']?)[^\s"'&,}]+/gi,
    '$1***',
  ],
  // --pass VALUE on a command line.
  [/(--pass(?:word|phrase)?\s+)\S+/gi, '$1***'],
  // PEM private keys pasted anywhere.
  [
    /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g,
    '[private key redacted]',
  ],
  // #token=… fragments of the host-mode URL.
  [/(#token=)[A-Za-z0-9_-]+/g, '$1***'],
];

/** Redact credentials, tokens, passwords and private keys from free text. */
export function redactSecrets(text: string): string {
  let out = redactUrlCredentials(text);
  for (const [re, sub] of PATTERNS) out = out.replace(re, sub);
  return out;
}
