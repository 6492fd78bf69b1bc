import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventChannel } from '../../preload/contract';
import { createEventHub } from '../core/event-hub';
import { createTestPki, type TestPki } from '../test-support/pki';
import { startTlsServer, type TlsTestServer } from '../test-support/tls-server';
import { SecureClient } from './secure-client';
import { createSecurityService } from './security-service';

let pki: TestPki;
let server: TlsTestServer;
let dir: string;
const clients: SecureClient[] = [];

beforeAll(async () => {
  pki = createTestPki();
  server = await startTlsServer({ cert: pki.chainPem, key: pki.leaf.key });
  dir = mkdtempSync(join(tmpdir(), 'sec-svc-'));
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await server.close();
  pki.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

function setup(file: string) {
  const client = new SecureClient({
    options: { ca: [pki.root.cert], useSystemRoots: false, retry: { maxAttempts: 1 } },
  });
  clients.push(client);
  const events = createEventHub();
  const seen: EventChannel[] = [];
  events.subscribe((e) => seen.push(e));
  return {
    client,
    events,
    seen,
    service: createSecurityService({ client, pinsFile: file, events }),
  };
}

describe('security-service', () => {
  describe('createSecurityService()', () => {
    it('persists pins atomically and reloads them into a new client', () => {
      const file = join(dir, 'pins-a.json');
      const { service } = setup(file);
      service.addPin({
        host: '*.example.com',
        pin: pki.leaf.pin.slice(7),
        label: 'current',
        expires: '2099-01-01T00:00:00Z',
      });
      const onDisk = JSON.parse(readFileSync(file, 'utf8'));
      expect(onDisk.pins).toEqual([
        {
          host: '*.example.com',
          publicKeyHashes: [pki.leaf.pin],
          labels: ['current'],
          expires: '2099-01-01T00:00:00.000Z',
        },
      ]);
      expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
      const again = setup(file);
      expect(again.service.listPins()).toEqual([
        {
          host: '*.example.com',
          pins: [{ pin: pki.leaf.pin, label: 'current' }],
          expires: '2099-01-01T00:00:00.000Z',
          reportOnly: false,
          subjectName: null,
          issuer: null,
          lastCheck: null,
        },
      ]);
      expect(again.service.removePin('*.example.com', pki.leaf.pin)).toEqual([]);
      expect(JSON.parse(readFileSync(file, 'utf8')).pins).toEqual([]);
    });

    it('rejects a malformed pin with ERR_INVALID_PIN and leaves the file alone', () => {
      const file = join(dir, 'pins-b.json');
      const { service } = setup(file);
      expect(() => service.addPin({ host: 'x.example', pin: 'sha256/short' })).toThrow(
        expect.objectContaining({ code: 'ERR_INVALID_PIN' }),
      );
      expect(() => readFileSync(file)).toThrow();
    });

    it('records connections, emits events and tracks the last check per pinned host', async () => {
      const file = join(dir, 'pins-c.json');
      const { client, service, seen } = setup(file);
      service.addPin({ host: '127.0.0.1', pin: pki.intermediate.pin });
      const facts = await service.inspect(server.url);
      expect(facts.matchedPin).toEqual({ pin: pki.intermediate.pin, certIndex: 1 });
      expect(service.recentConnections()).toHaveLength(1);
      expect(seen).toContain('security:connection');
      expect(service.listPins()[0].lastCheck).toMatchObject({
        matched: true,
        matchedPin: pki.intermediate.pin,
        certIndex: 1,
      });

      service.removePin('127.0.0.1', pki.intermediate.pin);
      service.addPin({
        host: '127.0.0.1',
        pin: 'sha256/' + Buffer.alloc(32, 1).toString('base64'),
      });
      await expect(client.get(server.url)).rejects.toMatchObject({ code: 'ERR_PIN_MISMATCH' });
      expect(seen).toContain('security:pinReport');
      expect(service.listPins()[0].lastCheck).toMatchObject({
        matched: false,
        error: 'ERR_PIN_MISMATCH',
      });
    });

    it('moves a corrupt pins file aside and reports it', () => {
      const file = join(dir, 'pins-d.json');
      writeFileSync(file, '{nope');
      const { service, seen } = setup(file);
      expect(service.listPins()).toEqual([]);
      expect(seen).toContain('app:notice');
      expect(readdirSync(dir).some((f) => f.startsWith('pins-d.json.corrupt-'))).toBe(true);
    });
  });
});
