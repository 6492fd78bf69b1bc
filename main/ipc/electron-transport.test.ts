import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { EVENT_IPC_CHANNEL, INVOKE_CHANNELS } from '../../preload/contract';
import { createTestCore } from '../test-support/test-core';
import type { Core } from '../core/services';
import { createHandlerTable } from './handler-table';
import {
  attachElectronTransport,
  checkSender,
  type FrameLike,
  type InvokeEventLike,
  type WebContentsLike,
} from './electron-transport';

const APP_URL = 'app://bundle/index.html';
const isAppUrl = (url: string) => url.startsWith('app://bundle/');

function frame(url: string, parent: FrameLike | null, processId = 1, routingId = 1): FrameLike {
  return { url, parent, processId, routingId };
}

function fakeContents(
  mainUrl = APP_URL,
): WebContentsLike & { sent: unknown[][]; destroyed: boolean } {
  const contents = {
    mainFrame: frame(mainUrl, null),
    sent: [] as unknown[][],
    destroyed: false,
    isDestroyed: () => contents.destroyed,
    send: (channel: string, ...args: unknown[]) => void contents.sent.push([channel, ...args]),
  };
  return contents;
}

function fakeIpcMain() {
  const handlers = new Map<string, (event: InvokeEventLike, ...args: unknown[]) => unknown>();
  return {
    handlers,
    handle: vi.fn(
      (channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => unknown) => {
        if (handlers.has(channel)) throw new Error(`second handler for ${channel}`);
        handlers.set(channel, listener);
      },
    ),
    removeHandler: vi.fn((channel: string) => void handlers.delete(channel)),
  };
}

describe('electron-transport', () => {
  describe('checkSender()', () => {
    const contents = fakeContents();
    it('trusts the main frame of our WebContents at our URL', () => {
      expect(
        checkSender({ sender: contents, senderFrame: contents.mainFrame }, contents, isAppUrl),
      ).toMatchObject({ trusted: true });
    });
    it('refuses a subframe even at our own URL', () => {
      const sub = frame(APP_URL, contents.mainFrame, 1, 7);
      expect(checkSender({ sender: contents, senderFrame: sub }, contents, isAppUrl)).toMatchObject(
        {
          trusted: false,
          origin: expect.stringContaining('subframe'),
        },
      );
    });
    it('refuses a top-level frame that is not our main frame', () => {
      const other = frame(APP_URL, null, 2, 9);
      expect(
        checkSender({ sender: contents, senderFrame: other }, contents, isAppUrl).trusted,
      ).toBe(false);
    });
    it('refuses our main frame once it shows a foreign URL', () => {
      const hijacked = fakeContents('https://evil.example/');
      expect(
        checkSender({ sender: hijacked, senderFrame: hijacked.mainFrame }, hijacked, isAppUrl),
      ).toMatchObject({ trusted: false, origin: expect.stringContaining('evil.example') });
    });
    it('refuses messages from another WebContents', () => {
      const other = fakeContents();
      expect(
        checkSender({ sender: other, senderFrame: other.mainFrame }, contents, isAppUrl).trusted,
      ).toBe(false);
    });
    it('refuses when the frame is gone or there is no window', () => {
      expect(checkSender({ sender: contents, senderFrame: null }, contents, isAppUrl).trusted).toBe(
        false,
      );
      expect(
        checkSender({ sender: contents, senderFrame: contents.mainFrame }, null, isAppUrl).trusted,
      ).toBe(false);
    });
  });

  describe('attachElectronTransport()', () => {
    let core: Core;
    let dispose: () => Promise<void>;
    beforeAll(async () => {
      ({ core, dispose } = await createTestCore());
    });
    afterAll(() => dispose());

    function setup(contents: WebContentsLike | null) {
      const ipcMain = fakeIpcMain();
      const transport = attachElectronTransport({
        ipcMain,
        table: createHandlerTable(core),
        events: core.events,
        contents: () => contents,
        isAppUrl,
        batchMs: 5,
      });
      return { ipcMain, transport };
    }

    it('registers exactly the contract channels and removes them on close', () => {
      const { ipcMain, transport } = setup(fakeContents());
      expect([...ipcMain.handlers.keys()].sort()).toEqual([...INVOKE_CHANNELS].sort());
      transport.close();
      expect(ipcMain.handlers.size).toBe(0);
    });

    it('dispatches a trusted main-frame message to the core', async () => {
      const contents = fakeContents();
      const { ipcMain, transport } = setup(contents);
      const spy = vi.spyOn(core.settings, 'get');
      const result = await ipcMain.handlers.get('settings:get')!(
        { sender: contents, senderFrame: contents.mainFrame },
        undefined,
      );
      expect(result).toMatchObject({ ok: true, value: { appearance: { theme: 'system' } } });
      expect(spy).toHaveBeenCalledTimes(1);
      spy.mockRestore();
      transport.close();
    });

    it.each([
      ['a subframe', (c: WebContentsLike) => frame(APP_URL, c.mainFrame, 1, 5)],
      ['a frame at another URL', () => frame('https://evil.example/ad.html', null, 3, 3)],
    ])('refuses %s with ERR_UNTRUSTED_SENDER without calling the core', async (_name, make) => {
      const contents = fakeContents();
      const { ipcMain, transport } = setup(contents);
      const spy = vi.spyOn(core.settings, 'get');
      const result = await ipcMain.handlers.get('settings:get')!(
        { sender: contents, senderFrame: make(contents) },
        undefined,
      );
      expect(result).toMatchObject({ ok: false, error: { code: 'ERR_UNTRUSTED_SENDER' } });
      expect(spy).not.toHaveBeenCalled();
      spy.mockRestore();
      transport.close();
    });

    it('sends core events to the window in one batch on the event channel', async () => {
      const contents = fakeContents();
      const { transport } = setup(contents);
      const notice = { level: 'info' as const, code: null, message: 'hi', at: 1 };
      core.events.emit('app:notice', notice);
      core.events.emit('app:notice', { ...notice, message: 'again' });
      await vi.waitFor(() => expect(contents.sent.length).toBeGreaterThan(0), { timeout: 10_000 });
      // Both notices, emitted in the same tick, travel in one message on the event channel.
      const [channel, batch] = contents.sent[0] as [string, { event: string; payload: unknown }[]];
      expect(channel).toBe(EVENT_IPC_CHANNEL);
      expect(batch.filter((e) => e.event === 'app:notice')).toEqual([
        { event: 'app:notice', payload: notice },
        { event: 'app:notice', payload: { ...notice, message: 'again' } },
      ]);
      transport.close();
    });

    it('drops events while the window is destroyed', async () => {
      const contents = fakeContents();
      contents.destroyed = true;
      const { transport } = setup(contents);
      core.events.emit('app:notice', { level: 'info', code: null, message: 'x', at: 1 });
      await new Promise((r) => setTimeout(r, 30));
      expect(contents.sent).toEqual([]);
      transport.close();
    });
  });
});
