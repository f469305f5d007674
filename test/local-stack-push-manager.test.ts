import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  type DevPushManager,
  startDevPushManager,
} from '../dev/push-manager/dev-push-manager.js';
import { createTerminalLog } from '../dev/terminal-log.js';
import { createObservability } from '../lib/observability.js';
import { PushClient } from '../lib/push-client.js';
import { loadPushConfig } from '../lib/push-config.js';
import type { Invocation, PushContent } from '../lib/push-types.js';
import { captureOutput } from './support/capture-logs.js';

const invocation: Invocation = {
  requestId: 'req-local-stack',
  remainingTimeMs: () => 10_000,
};

const translation: PushContent = {
  type: 'TRANSLATION',
  data: new TextEncoder().encode('Hallo Welt'),
  metadata: { language: 'de-DE', source: 'en-US' },
  messageId: 'translation-1',
};

interface Tab {
  events: Record<string, unknown>[];
  close(): void;
}

function terminalLines() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return { lines, log: createTerminalLog(stream, {}) };
}

async function openTab(viewerUrl: string, userId: string, roomId: string) {
  const url = new URL(`ws?userId=${userId}&roomId=${roomId}`, viewerUrl);
  const socket = new WebSocket(url.href.replace('http', 'ws'));
  const events: Record<string, unknown>[] = [];
  socket.on('message', (data) => events.push(JSON.parse(String(data))));
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  await expect.poll(() => events.some((e) => e.kind === 'welcome')).toBe(true);
  return { events, close: () => socket.close() } satisfies Tab;
}

const messagesOf = (tab: Tab) => tab.events.filter((e) => e.kind === 'message');

describe('dev Push-Manager', () => {
  let pushManager: DevPushManager;
  let client: PushClient;
  let terminal: ReturnType<typeof terminalLines>;
  let output: ReturnType<typeof captureOutput>;
  const tabs: Tab[] = [];

  beforeEach(async () => {
    terminal = terminalLines();
    pushManager = await startDevPushManager({
      grpcPort: 0,
      viewerPort: 0,
      log: terminal.log,
    });
    output = captureOutput();
    client = new PushClient(
      loadPushConfig({ PUSH_MANAGER_ADDRESS: pushManager.address }),
      createObservability('local-stack-test', {}),
    );
    tabs.push(
      await openTab(pushManager.viewerUrl, 'user-001', 'room-001'),
      await openTab(pushManager.viewerUrl, 'user-002', 'room-001'),
      await openTab(pushManager.viewerUrl, 'user-003', 'room-002'),
    );
  });

  afterEach(async () => {
    output.restore();
    for (const tab of tabs.splice(0)) tab.close();
    client.close();
    await pushManager.stop();
  });

  it('pushes to the room, except excluded users, and counts deliveries', async () => {
    const outcome = await client.pushToRoom(
      {
        roomId: 'room-001',
        content: translation,
        excludeUserIds: ['user-002'],
      },
      invocation,
    );

    expect(outcome).toMatchObject({ delivered: true, deliveredCount: 1 });
    const [first, second, third] = tabs as [Tab, Tab, Tab];
    await expect.poll(() => messagesOf(first).length).toBe(1);
    expect(messagesOf(first)[0]).toMatchObject({
      via: 'PushToRoom',
      type: 'TRANSLATION',
      text: 'Hallo Welt',
      metadata: {
        language: 'de-DE',
        source: 'en-US',
        message_id: 'translation-1',
      },
    });
    expect(messagesOf(second)).toEqual([]);
    expect(messagesOf(third)).toEqual([]);
  });

  it('answers success = false for a room nobody is in', async () => {
    const outcome = await client.pushToRoom(
      { roomId: 'room-404', content: translation },
      invocation,
    );

    expect(outcome).toMatchObject({
      delivered: false,
      reason: 'room_not_found',
      message: 'room room-404 not found: nobody is in it',
    });
    expect(terminal.lines.join('\n')).toContain(
      'PushToRoom TRANSLATION to room-404: not delivered',
    );
  });

  it('pushes to a user who is online and refuses one who is not', async () => {
    const online = await client.pushToUser(
      { userId: 'user-003', content: translation },
      invocation,
    );
    const offline = await client.pushToUser(
      { userId: 'user-404', content: translation },
      invocation,
    );

    expect(online).toMatchObject({ delivered: true, deliveredCount: 1 });
    expect(offline).toMatchObject({
      delivered: false,
      reason: 'user_offline',
      message: 'user user-404 is not online',
    });
    await expect.poll(() => messagesOf(tabs[2] as Tab).length).toBe(1);
  });

  it('broadcasts to every tab and tells every tab what it did', async () => {
    const audio: PushContent = {
      type: 'AUDIO',
      data: Uint8Array.from([1, 2, 3]),
      metadata: { format: 'opus', duration: '2000' },
      messageId: 'audio-1',
    };

    const outcome = await client.broadcast({ content: audio }, invocation);

    expect(outcome).toMatchObject({ delivered: true, deliveredCount: 3 });
    for (const tab of tabs) {
      await expect.poll(() => messagesOf(tab).length).toBe(1);
      expect(messagesOf(tab)[0]).toMatchObject({
        type: 'AUDIO',
        dataBase64: 'AQID',
        dataBytes: 3,
      });
      expect(tab.events).toContainEqual(
        expect.objectContaining({
          kind: 'activity',
          method: 'BroadcastMessage',
          deliveredCount: 3,
          messageId: 'audio-1',
          requestId: 'req-local-stack',
        }),
      );
    }
  });

  it('serves the viewer page', async () => {
    const page = await fetch(pushManager.viewerUrl);

    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<script src="viewer.js"></script>');
  });

  it('reports a busy port by name instead of failing with a stack trace', async () => {
    const port = Number(new URL(pushManager.viewerUrl).port);

    await expect(
      startDevPushManager({ grpcPort: 0, viewerPort: port, log: terminal.log }),
    ).rejects.toThrow(
      `port ${port} is in use: stop the other stack or set VIEWER_PORT or --viewer-port`,
    );
  });
});
