/**
 * Client certificates for mTLS: per-host PEM certificate + key (optionally encrypted) or a
 * PKCS#12 bundle, loaded and validated when configured so a wrong passphrase or a key that
 * does not belong to the certificate fails at once with a clear code, not mid-handshake.
 */
import { createHash, createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import { AppError } from '../errors';
import type { ClientCertificate } from './types';

/** A client-certificate failure (passphrase, key mismatch, unreadable, required, rejected). */
export class ClientCertError extends AppError {
  constructor(
    code:
      | 'ERR_CLIENT_CERT_PASSPHRASE'
      | 'ERR_CLIENT_CERT_KEY_MISMATCH'
      | 'ERR_CLIENT_CERT_INVALID'
      | 'ERR_CLIENT_CERT_REQUIRED'
      | 'ERR_CLIENT_CERT_REJECTED',
    message: string,
    details: Record<string, unknown> = {},
    cause?: unknown,
  ) {
    super(code, message, { details, cause });
  }
}

/** TLS options of a loaded client certificate, plus a stable id of the material. */
export interface LoadedClientCertificate {
  host: string;
  /** SHA-256 over the material; changes whenever a file or the passphrase changes. */
  id: string;
  options: { cert?: string; key?: string; pfx?: Buffer; passphrase?: string };
  /** Subject of the client certificate, for logs (never the key). */
  subject: string;
}

function readConfigured(file: string, what: string, host: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    throw new ClientCertError(
      'ERR_CLIENT_CERT_INVALID',
      `Cannot read the client ${what} for ${host} (${file}): ${(err as Error).message}`,
      { host, file },
      err,
    );
  }
}

/** Node/OpenSSL failures that mean "wrong or missing passphrase". */
function isPassphraseError(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return (
    e?.code === 'ERR_MISSING_PASSPHRASE' ||
    e?.code === 'ERR_OSSL_BAD_DECRYPT' ||
    // OpenSSL 3 reports an encrypted key read without a passphrase as a cancelled prompt.
    e?.code === 'ERR_OSSL_CRYPTO_INTERRUPTED_OR_CANCELLED' ||
    /bad decrypt|mac verify failure|passphrase|invalid password/i.test(e?.message ?? '')
  );
}

function loadPem(c: ClientCertificate): LoadedClientCertificate {
  if (!c.certFile || !c.keyFile) {
    throw new ClientCertError(
      'ERR_CLIENT_CERT_INVALID',
      `The client certificate for ${c.host} needs both a certificate and a key file (or a PKCS#12 file).`,
      { host: c.host },
    );
  }
  const certPem = readConfigured(c.certFile, 'certificate', c.host).toString('utf8');
  const keyPem = readConfigured(c.keyFile, 'key', c.host).toString('utf8');
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(certPem);
  } catch (err) {
    throw new ClientCertError(
      'ERR_CLIENT_CERT_INVALID',
      `${c.certFile} is not a readable certificate.`,
      { host: c.host, file: c.certFile },
      err,
    );
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: keyPem, passphrase: c.passphrase });
  } catch (err) {
    if (isPassphraseError(err)) {
      throw new ClientCertError(
        'ERR_CLIENT_CERT_PASSPHRASE',
        `The passphrase for the client key ${c.keyFile} is ${c.passphrase ? 'wrong' : 'missing'}.`,
        { host: c.host, file: c.keyFile },
        err,
      );
    }
    throw new ClientCertError(
      'ERR_CLIENT_CERT_INVALID',
      `${c.keyFile} is not a readable private key.`,
      { host: c.host, file: c.keyFile },
      err,
    );
  }
  if (!cert.checkPrivateKey(key)) {
    throw new ClientCertError(
      'ERR_CLIENT_CERT_KEY_MISMATCH',
      `The key ${c.keyFile} does not belong to the client certificate ${c.certFile}.`,
      { host: c.host, certFile: c.certFile, keyFile: c.keyFile },
    );
  }
  const id = createHash('sha256')
    .update(certPem)
    .update('\0')
    .update(keyPem)
    .update('\0')
    .update(c.passphrase ?? '')
    .digest('hex');
  const options = {
    cert: certPem,
    key: keyPem,
    ...(c.passphrase ? { passphrase: c.passphrase } : {}),
  };
  return { host: c.host, id, options, subject: cert.subject.replace(/\n/g, ', ') };
}

function loadPfx(c: ClientCertificate & { pfxFile: string }): LoadedClientCertificate {
  const pfx = readConfigured(c.pfxFile, 'PKCS#12 file', c.host);
  try {
    // OpenSSL decodes the bundle and checks that its key matches its certificate here.
    createSecureContext({ pfx, passphrase: c.passphrase });
  } catch (err) {
    if (isPassphraseError(err)) {
      throw new ClientCertError(
        'ERR_CLIENT_CERT_PASSPHRASE',
        `The passphrase for the PKCS#12 file ${c.pfxFile} is ${c.passphrase ? 'wrong' : 'missing'}.`,
        { host: c.host, file: c.pfxFile },
        err,
      );
    }
    if (/key values mismatch/i.test((err as Error).message)) {
      throw new ClientCertError(
        'ERR_CLIENT_CERT_KEY_MISMATCH',
        `The key in ${c.pfxFile} does not belong to its certificate.`,
        { host: c.host, file: c.pfxFile },
        err,
      );
    }
    throw new ClientCertError(
      'ERR_CLIENT_CERT_INVALID',
      `${c.pfxFile} is not a readable PKCS#12 file: ${(err as Error).message}`,
      { host: c.host, file: c.pfxFile },
      err,
    );
  }
  const id = createHash('sha256')
    .update(pfx)
    .update('\0')
    .update(c.passphrase ?? '')
    .digest('hex');
  const options = { pfx, ...(c.passphrase ? { passphrase: c.passphrase } : {}) };
  return { host: c.host, id, options, subject: `PKCS#12 ${c.pfxFile}` };
}

/** Load and validate one configured client certificate; throws a ClientCertError. */
export function loadClientCertificate(c: ClientCertificate): LoadedClientCertificate {
  if (c.pfxFile) return loadPfx({ ...c, pfxFile: c.pfxFile });
  return loadPem(c);
}

/**
 * Map a handshake/transport error that is really about our client certificate. In TLS 1.3
 * the server judges the client certificate after the client's Finished, so these alerts
 * arrive as errors on the first read or write. A *received* unknown_ca/bad_certificate alert
 * is always about our certificate: failures verifying the server's chain are raised locally
 * with X509 codes, not as alerts. Returns null for anything else.
 */
export function mapClientCertAlert(err: unknown, host: string): AppError | null {
  const code = (err as { code?: unknown })?.code;
  if (typeof code !== 'string') return null;
  if (code === 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED') {
    return new ClientCertError(
      'ERR_CLIENT_CERT_REQUIRED',
      `${host} requires a client certificate and none is configured for it.`,
      { host, nodeCode: code },
      err,
    );
  }
  if (REJECTED_ALERTS.test(code)) {
    return new ClientCertError(
      'ERR_CLIENT_CERT_REJECTED',
      `${host} rejected the client certificate (${code.replace(/^ERR_SSL_/, '').toLowerCase()}).`,
      { host, nodeCode: code },
      err,
    );
  }
  return null;
}

const REJECTED_ALERTS =
  /^ERR_SSL_(TLSV1_ALERT_UNKNOWN_CA|SSLV3_ALERT_BAD_CERTIFICATE|SSLV3_ALERT_CERTIFICATE_UNKNOWN|TLSV1_ALERT_ACCESS_DENIED|SSLV3_ALERT_UNSUPPORTED_CERTIFICATE|SSLV3_ALERT_CERTIFICATE_EXPIRED|SSLV3_ALERT_CERTIFICATE_REVOKED)$/;
