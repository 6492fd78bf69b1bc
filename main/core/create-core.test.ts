import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import log from 'electron-log/node';
import { createCore } from './create-core';
import { createHandlerTable, type HandlerTable } from '../ipc/handler-table';
import { createAppLogger } from '../util/logger';
import { createTestPki, type TestPki } from '../test-support/pki';
import { startTlsServer, type TlsTestServer } from '../test-support/tls-server';
import type { Core } from './services';
import type { ConnectionFacts } from '../../preload/contract';

const trusted = { trusted: true, origin: 'test' };

describe('createCore() wiring', () => {
  let pki: TestPki;
  let server: TlsTestServer;
  let core: Core;
  let table: HandlerTable;
  let stateDir: string;
  beforeAll(async () => {
    pki = createTestPki();
    server = await startTlsServer({
      cert: pki.chainPem,
      key: pki.leaf.key,
      handler: (_req, res) => res.end('ok'),
    });
    stateDir = mkdtempSync(join(tmpdir(), 'um-wiring-'));
    mkdirSync(stateDir, { recursive: true });
    // A user who trusts an extra (enterprise) CA configures it in settings.
    writeFileSync(
      join(stateDir, 'settings.json'),
      JSON.stringify({ network: { extraCaFiles: [pki.root.certFile] } }),
    );
    core = await createCore({
      mode: 'host',
      stateDir,
      version: '0.0.0-test',
      installRoot: join(stateDir, 'install'),
      downloadDir: join(stateDir, 'dl'),
      shell: { revealPath: async () => {}, openExternal: async () => {} },
      createLogger: (file, onLine) =>
        createAppLogger({ backend: log.create({ logId: `wiring-${Date.now()}` }), file, onLine }),
    });
    table = createHandlerTable(core);
  });
  afterAll(async () => {
    await core.close();
    await server.close();
    pki.cleanup();
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('inspects a host through the secure client using the configured CA', async () => {
    const r = await table['security:inspect']({ url: server.url }, trusted);
    expect(r.ok).toBe(true);
    const facts = (r as { value: ConnectionFacts }).value;
    expect(facts.tlsVersion).toBe('TLSv1.3');
    expect(facts.chain.map((c) => c.spkiPin)).toEqual([
      pki.leaf.pin,
      pki.intermediate.pin,
      pki.root.pin,
    ]);
  });

  it('enforces a pin added at runtime on the very next connection, listing the chain pins', async () => {
    const other = pki.issueLeaf('other');
    const added = await table['security:addPin'](
      { host: '127.0.0.1', pin: other.pin, label: 'wrong on purpose' },
      trusted,
    );
    expect(added.ok).toBe(true);
    const r = await table['security:inspect']({ url: server.url }, trusted);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('ERR_PIN_MISMATCH');
      expect(JSON.stringify(r.error.details)).toContain(pki.leaf.pin);
    }
    await table['security:addPin'](
      { host: '127.0.0.1', pin: pki.intermediate.pin, label: 'intermediate' },
      trusted,
    );
    expect((await table['security:inspect']({ url: server.url }, trusted)).ok).toBe(true);
  });

  it('rejects a malformed pin with ERR_INVALID_PIN and keeps the existing pins', async () => {
    const before = await table['security:listPins'](undefined, trusted);
    const r = await table['security:addPin'](
      { host: 'example.com', pin: 'sha256/not-base64!' },
      trusted,
    );
    expect(r).toMatchObject({ ok: false, error: { code: 'ERR_INVALID_PIN' } });
    expect(await table['security:listPins'](undefined, trusted)).toEqual(before);
  });

  it('refuses an untrusted server when the CA is removed from settings, live', async () => {
    await table['settings:update']({ network: { extraCaFiles: [] } }, trusted);
    const r = await table['security:inspect']({ url: server.url }, trusted);
    expect(r).toMatchObject({ ok: false, error: { code: 'ERR_CERT_UNTRUSTED' } });
    await table['settings:update']({ network: { extraCaFiles: [pki.root.certFile] } }, trusted);
  });
});
