/**
 * Ed25519 signing keys for TUF roles: generation, the TUF key id, the public key
 * record root.json carries, and a signer for @tufjs/models' Metadata.sign().
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
} from 'node:crypto';
import { Signature } from '@tufjs/models';

/** A role key as the publisher stores it (the private part never leaves keys/). */
export interface StoredKey {
  keyid: string;
  keytype: 'ed25519';
  scheme: 'ed25519';
  /** Raw 32-byte public key, hex (TUF's ed25519 keyval encoding). */
  public: string;
  /** PKCS#8 PEM private key. */
  private: string;
}

/** The public key object as it appears in root.json `keys`. */
export interface PublicKeyJson {
  keytype: 'ed25519';
  scheme: 'ed25519';
  keyval: { public: string };
}

/** Public part of a stored key in root.json form. */
export function publicKeyJson(key: Pick<StoredKey, 'public'>): PublicKeyJson {
  return { keytype: 'ed25519', scheme: 'ed25519', keyval: { public: key.public } };
}

/**
 * TUF key id: hex SHA-256 of the canonical JSON of the public key object. Canonical
 * JSON here is sorted keys without whitespace; the values are fixed ASCII words and hex,
 * so JSON.stringify of the sorted object is byte-identical to OLPC canonical JSON.
 */
export function keyIdOf(key: PublicKeyJson): string {
  const canonical = `{"keytype":"${key.keytype}","keyval":{"public":"${key.keyval.public}"},"scheme":"${key.scheme}"}`;
  return createHash('sha256').update(canonical).digest('hex');
}

/** Generate a fresh ed25519 key. */
export function generateKey(): StoredKey {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  // An ed25519 SPKI is a fixed 12-byte header followed by the 32-byte raw key.
  const raw = spki.subarray(spki.length - 32).toString('hex');
  const pub = publicKeyJson({ public: raw });
  return {
    keyid: keyIdOf(pub),
    keytype: 'ed25519',
    scheme: 'ed25519',
    public: raw,
    private: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

/** A signer for Metadata.sign(): signs the canonical bytes with this key. */
export function signerFor(key: StoredKey): (data: Buffer) => Signature {
  const privateKey = createPrivateKey(key.private);
  return (data) =>
    new Signature({ keyID: key.keyid, sig: sign(null, data, privateKey).toString('hex') });
}

/** Check that a stored key's private half matches its public half (guards a corrupted key file). */
export function keyIsConsistent(key: StoredKey): boolean {
  const spki = createPublicKey(createPrivateKey(key.private)).export({
    type: 'spki',
    format: 'der',
  });
  return (
    spki.subarray(spki.length - 32).toString('hex') === key.public &&
    keyIdOf(publicKeyJson(key)) === key.keyid
  );
}
