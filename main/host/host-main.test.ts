import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import WebSocket from 'ws';
import { startHost } from './host-main';

type Host = NonNullable<Awaited<ReturnType<typeof startHost>>>;

function httpGet(
  port: number,
  path: string,
  host: string,
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host } }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Open a WebSocket and report either 'open' or the HTTP status of the refusal. */
function tryWs(
  url: string,
  headers: Record<string, string>,
): Promise<{ outcome: 'open' | number; ws?: WebSocket }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    ws.on('open', () => resolve({ outcome: 'open', ws }));
    ws.on('unexpected-response', (_req, res) => resolve({ outcome: res.statusCode ?? 0 }));
    ws.on('error', () => resolve({ outcome: 0 }));
  });
}

describe('host mode', () => {
  let host: Host;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'host-'));
    const rendererDir = join(dir, 'renderer');
    mkdirSync(rendererDir);
    writeFileSync(
      join(rendererDir, 'index.html'),
      '<html><head></head><body><script type="module" src="./app.js"></script></body></html>',
    );
    writeFileSync(join(rendererDir, 'app.js'), 'console.log(1)');
    host = (await startHost([], {
      LLMRECON_UM_STATE_DIR: join(dir, 'state'),
      LLMRECON_UM_RENDERER_DIR: rendererDir,
    }))!;
  });
  afterAll(async () => {
    await host.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const origin = () => `http://127.0.0.1:${host.port}`;
  const wsUrl = (token: string) =>
    `ws://127.0.0.1:${host.port}/ipc?token=${encodeURIComponent(token)}`;

  it('binds loopback only and prints a tokened URL', () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]{32}$/);
  });

  it('serves index.html with the bridge injected and a strict CSP', async () => {
    const r = await httpGet(host.port, '/', `127.0.0.1:${host.port}`);
    expect(r.status).toBe(200);
    expect(r.body).toContain('<script src="./host-bridge.js"></script><script type="module"');
    expect(String(r.headers['content-security-policy'])).toContain("default-src 'none'");
    expect(r.headers['x-frame-options']).toBe('DENY');
  });

  it('refuses HTTP requests with a foreign Host header (DNS rebinding)', async () => {
    expect((await httpGet(host.port, '/', `evil.example:${host.port}`)).status).toBe(403);
  });

  it('refuses path traversal', async () => {
    const r = await httpGet(host.port, '/..%2f..%2fetc%2fpasswd', `127.0.0.1:${host.port}`);
    expect([400, 404]).toContain(r.status);
    expect(r.body).not.toContain('root:');
  });

  describe('WebSocket transport', () => {
    it('refuses a client without the token', async () => {
      expect((await tryWs(`ws://127.0.0.1:${host.port}/ipc`, { origin: origin() })).outcome).toBe(
        401,
      );
    });

    it('refuses a client with a wrong token', async () => {
      expect((await tryWs(wsUrl('x'.repeat(32)), { origin: origin() })).outcome).toBe(401);
    });

    it('refuses a cross-site page even with the token', async () => {
      expect((await tryWs(wsUrl(host.token), { origin: 'https://evil.example' })).outcome).toBe(
        403,
      );
    });

    it('refuses a missing Origin', async () => {
      expect((await tryWs(wsUrl(host.token), {})).outcome).toBe(403);
    });

    it('refuses a DNS-rebound Host even with the token and matching origin', async () => {
      const evil = `http://evil.example:${host.port}`;
      const r = await tryWs(wsUrl(host.token), { origin: evil, host: `evil.example:${host.port}` });
      expect(r.outcome).toBe(403);
    });

    it('accepts the token from our origin, answers invokes and forwards events', async () => {
      const { outcome, ws } = await tryWs(wsUrl(host.token), { origin: origin() });
      expect(outcome).toBe('open');
      const messages: {
        t: string;
        id?: number;
        envelope?: { ok: boolean; value?: unknown; error?: { code: string } };
        event?: string;
      }[] = [];
      ws!.on('message', (d) => messages.push(JSON.parse(String(d))));
      const waitFor = async (pred: (m: (typeof messages)[number]) => boolean) => {
        for (let i = 0; i < 200; i++) {
          const m = messages.find(pred);
          if (m) return m;
          await new Promise((r) => setTimeout(r, 10));
        }
        throw new Error('timed out waiting for a message');
      };
      ws!.send(JSON.stringify({ t: 'invoke', id: 1, channel: 'app:getInfo' }));
      const info = await waitFor((m) => m.id === 1);
      expect(info.envelope).toMatchObject({ ok: true, value: { mode: 'host' } });

      ws!.send(JSON.stringify({ t: 'invoke', id: 2, channel: 'jobs:pause', args: { id: 7 } }));
      expect((await waitFor((m) => m.id === 2)).envelope?.error?.code).toBe('ERR_INVALID_ARGUMENT');

      ws!.send(JSON.stringify({ t: 'invoke', id: 3, channel: '__proto__' }));
      expect((await waitFor((m) => m.id === 3)).envelope?.error?.code).toBe('ERR_INVALID_ARGUMENT');

      ws!.send(
        JSON.stringify({
          t: 'invoke',
          id: 4,
          channel: 'settings:update',
          args: { jobs: { maxActive: 2 } },
        }),
      );
      await waitFor((m) => m.id === 4);
      const changed = await waitFor((m) => m.t === 'event' && m.event === 'settings:changed');
      expect(changed).toBeTruthy();
      ws!.close();
    });

    it('closes the socket on a malformed frame without crashing the host', async () => {
      const { ws } = await tryWs(wsUrl(host.token), { origin: origin() });
      const closed = new Promise<number>((r) => ws!.on('close', (code) => r(code)));
      ws!.send('{not json');
      expect(await closed).toBe(1007);
      const again = await tryWs(wsUrl(host.token), { origin: origin() });
      expect(again.outcome).toBe('open');
      again.ws!.close();
    });
  });
});
