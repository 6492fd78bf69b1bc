import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import log from 'electron-log/node';
import { createCore } from './create-core';
import { createHandlerTable, type HandlerTable } from '../ipc/handler-table';
import { createAppLogger } from '../util/logger';
import { createTestPki, type TestPki } from '../test-support/pki';
import { startTlsServer, type TlsTestServer } from '../test-support/tls-server';
import type { Core } from './services';
import type { ConnectionFacts, JobSnapshot, UpdateStatus } from '../../preload/contract';

const trusted = { trusted: true, origin: 'test' };
const PAYLOAD = randomBytes(300_000);
const PAYLOAD_SHA256 = createHash('sha256').update(PAYLOAD).digest('hex');

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
      handler: (req, res) => {
        if (req.url === '/payload.bin') {
          res.writeHead(200, {
            'Content-Length': PAYLOAD.length,
            'Accept-Ranges': 'bytes',
            ETag: '"v1"',
          });
          res.end(PAYLOAD);
          return;
        }
        res.end('ok');
      },
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
    expect(added).toMatchObject({ ok: true });
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

  it('runs a download job end to end and streams batched job events', async () => {
    const batches: JobSnapshot[][] = [];
    const off = core.events.subscribe((event, payload) => {
      if (event === 'jobs:batch') batches.push((payload as { jobs: JobSnapshot[] }).jobs);
    });
    const added = await table['jobs:add'](
      {
        url: `${server.url}/payload.bin`,
        dest: 'payload.bin',
        expectedHash: PAYLOAD_SHA256,
        connections: 2,
      },
      trusted,
    );
    expect(added).toMatchObject({ ok: true });
    const id = (added as { value: JobSnapshot }).value.id;
    let final: JobSnapshot | undefined;
    for (let i = 0; i < 300 && !final; i++) {
      await new Promise((r) => setTimeout(r, 50));
      final = core.jobs
        .list()
        .find((j) => j.id === id && ['completed', 'failed'].includes(j.state));
    }
    // The completion reaches subscribers in the next coalesced batch (at most 10 a second).
    for (
      let i = 0;
      i < 40 && !batches.flat().some((j) => j.id === id && j.state === 'completed');
      i++
    ) {
      await new Promise((r) => setTimeout(r, 50));
    }
    off();
    expect(final).toMatchObject({ state: 'completed', sha256: PAYLOAD_SHA256 });
    expect(
      createHash('sha256')
        .update(readFileSync(join(stateDir, 'dl', 'payload.bin')))
        .digest('hex'),
    ).toBe(PAYLOAD_SHA256);
    expect(batches.flat().some((j) => j.id === id && j.state === 'completed')).toBe(true);
  });

  it('checks the offline demo feed and installs and rolls back an update through the handler table', async () => {
    const checked = await table['updates:check'](undefined, trusted);
    expect(checked).toMatchObject({
      ok: true,
      value: { feed: { demo: true, state: 'ok', label: 'Demo feed (local)' } },
    });
    const info = await table['app:getInfo'](undefined, trusted);
    expect(info).toMatchObject({ ok: true, value: { demoFeed: true } });
    const status = (checked as { value: UpdateStatus }).value;
    const templates = status.components.find((c) => c.key === 'templates');
    expect(templates?.availableVersion).toBe('1.1.0');

    const installed = await table['updates:install'](
      { component: 'templates', version: '1.0.0' },
      trusted,
    );
    expect(installed).toMatchObject({ ok: true, value: { ok: true, toVersion: '1.0.0' } });
    const updated = await table['updates:install']({ component: 'templates' }, trusted);
    expect(updated).toMatchObject({
      ok: true,
      value: { ok: true, fromVersion: '1.0.0', toVersion: '1.1.0' },
    });
    // The update went through a job tagged with its component.
    expect(
      core.jobs.list().some((j) => j.component === 'templates' && j.state === 'completed'),
    ).toBe(true);

    const downgrade = await table['updates:install'](
      { component: 'templates', version: '1.0.0' },
      trusted,
    );
    expect(downgrade).toMatchObject({
      ok: true,
      value: { ok: false, error: { code: 'ERR_DOWNGRADE' } },
    });
    const rolledBack = await table['updates:rollback']({ component: 'templates' }, trusted);
    expect(rolledBack).toMatchObject({ ok: true, value: { ok: true, toVersion: '1.0.0' } });
  });
});
