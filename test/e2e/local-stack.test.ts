import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, launchChromium } from './support/browser.js';
import {
  failingStackProcess,
  type StackProcess,
  startStackProcess,
} from './support/stack-process.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLIP = join(ROOT, 'test', 'fixtures', 'audio', 'voice-2s.opus');
const CLIP_DURATION_MS = 2000;
const ARTIFACTS = join(ROOT, 'test', 'artifacts');
// The player's duration comes from the Ogg pages; allow a frame or two.
const DURATION_TOLERANCE_S = 0.1;
const STEP_TIMEOUT_MS = 30_000;
// Below the clip's size, so it is sent as a presigned URL.
const INLINE_MAX_BYTES = 1024;

/** The parts of the page's <audio> element the test reads. */
interface AudioElement {
  readyState: number;
  duration: number;
  currentTime: number;
  play(): Promise<void>;
  pause(): void;
}

async function joinRoom(page: Page, viewerUrl: string, userId: string) {
  await page.goto(viewerUrl);
  await page.fill('#user-id', userId);
  await page.fill('#room-id', 'room-001');
  await page.click('#join-button');
  await page.locator('#status[data-state="connected"]').waitFor();
  expect(await page.textContent('#status')).toContain(
    `connected as ${userId} in room-001`,
  );
}

const cards = (page: Page, type: string) =>
  page.locator(`#messages .card[data-type="${type}"]`);

async function postJson(url: string, body: unknown) {
  const response = await fetch(url, {
    method: 'POST',
    body: JSON.stringify(body),
  });
  expect(response.ok).toBe(true);
  return (await response.json()) as Record<string, string>;
}

/** Uploads the clip to room-001 as a client would, naming its uploader. */
async function uploadClip(stack: StackProcess, uploader: string) {
  const s3 = new S3Client({
    endpoint: stack.s3Endpoint,
    forcePathStyle: true,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  await s3.send(
    new PutObjectCommand({
      Bucket: stack.bucket,
      Key: 'rooms/room-001/voice-2s.opus',
      Body: await readFile(CLIP),
      ContentType: 'audio/ogg',
      Metadata: { 'user-id': uploader },
    }),
  );
  s3.destroy();
}

describe('npm start', () => {
  let stack: StackProcess;
  let browser: Browser;
  let speaker: Page;
  let listener: Page;
  let stateDir: string;

  beforeAll(async () => {
    browser = await launchChromium();
    stateDir = await mkdtemp(join(tmpdir(), 'biz-server-stack-'));
    stack = await startStackProcess([
      '--push-manager-port=0',
      '--viewer-port=0',
      '--s3-port=0',
      `--state-dir=${stateDir}`,
      '--batching-window=1',
    ]);
    listener = await browser.context.newPage();
    speaker = await browser.context.newPage();
    await joinRoom(listener, stack.viewerUrl, 'user-001');
    await joinRoom(speaker, stack.viewerUrl, 'user-002');
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.interrupt();
    if (stateDir) await rm(stateDir, { recursive: true, force: true });
  });

  it('plays an uploaded clip to the room, not to its uploader', async () => {
    await uploadClip(stack, 'user-002');

    const card = cards(listener, 'AUDIO');
    await card.waitFor({ timeout: STEP_TIMEOUT_MS });
    expect(await card.locator('.audio-facts').textContent()).toContain(
      'inline',
    );
    await expect
      .poll(() => card.locator('.metadata').textContent())
      .toContain(`duration${CLIP_DURATION_MS}`);
    const player = card.locator('audio');
    await expect
      .poll(() =>
        player.evaluate((node) => (node as unknown as AudioElement).readyState),
      )
      .toBeGreaterThanOrEqual(3);
    const seconds = await player.evaluate(
      (node) => (node as unknown as AudioElement).duration,
    );
    expect(Math.abs(seconds - CLIP_DURATION_MS / 1000)).toBeLessThan(
      DURATION_TOLERANCE_S,
    );
    await player.evaluate((node) => (node as unknown as AudioElement).play());
    await expect
      .poll(() =>
        player.evaluate(
          (node) => (node as unknown as AudioElement).currentTime,
        ),
      )
      .toBeGreaterThan(0);
    await player.evaluate((node) => (node as unknown as AudioElement).pause());

    const push = speaker.locator(
      '#activity li[data-method="PushToRoom"][data-target="room-001"]',
    );
    await expect.poll(() => push.textContent()).toContain('delivered to 1');
    expect(await push.textContent()).toContain('excluded user-002');
    expect(await speaker.locator('#messages .card').count()).toBe(0);
  });

  it('shows a translation to its user only', async () => {
    await postJson(new URL('translations', stack.viewerUrl).href, {
      userId: 'user-001',
      text: 'Ça marche très bien',
      sourceLanguage: 'en-US',
      targetLanguage: 'fr-FR',
    });

    const card = cards(listener, 'TRANSLATION');
    await card.waitFor({ timeout: STEP_TIMEOUT_MS });
    expect(await card.locator('.message-text').textContent()).toBe(
      'Ça marche très bien',
    );
    expect(await card.locator('.languages').textContent()).toBe(
      'en-US → fr-FR',
    );
    expect(await cards(speaker, 'TRANSLATION').count()).toBe(0);
  });

  it('drops a translation for a user who is offline, as configured', async () => {
    const sent = await postJson(new URL('translations', stack.viewerUrl).href, {
      userId: 'user-404',
      text: 'nobody hears this',
      sourceLanguage: 'en-US',
      targetLanguage: 'de-DE',
    });

    const refused = listener.locator(
      '#activity li[data-method="PushToUser"][data-target="user-404"]',
    );
    await refused.waitFor({ timeout: STEP_TIMEOUT_MS });
    expect(await refused.getAttribute('data-success')).toBe('false');
    expect(await refused.textContent()).toContain(
      'user user-404 is not online',
    );
    await expect
      .poll(() =>
        stack.lines.find(
          (line) =>
            line.includes('translation dropped') &&
            line.includes(`sqsMessageId=${sent.messageId}`),
        ),
      )
      .toContain('policy=drop');
    const deadLetters = await fetch(new URL('dead-letters', stack.viewerUrl));
    const { entries } = (await deadLetters.json()) as { entries: unknown[] };
    expect(entries).toEqual([]);
  });

  it('shows an announcement to everyone, by priority', async () => {
    await postJson(new URL('announcements', stack.viewerUrl).href, {
      message: 'Maintenance tonight at 02:00',
      priority: 'high',
    });

    for (const page of [listener, speaker]) {
      const card = cards(page, 'SYSTEM');
      await card.waitFor({ timeout: STEP_TIMEOUT_MS });
      expect(await card.getAttribute('data-priority')).toBe('high');
      expect(await card.locator('.message-text').textContent()).toBe(
        'Maintenance tonight at 02:00',
      );
    }

    await mkdir(ARTIFACTS, { recursive: true });
    await listener.screenshot({
      path: join(ARTIFACTS, 'viewer.png'),
      fullPage: true,
    });
  });

  it('refuses to start twice on the same port, naming the setting', async () => {
    const port = stack.pushManagerAddress.split(':')[1];

    const second = await failingStackProcess([`--push-manager-port=${port}`]);

    expect(second.code).toBe(1);
    expect(second.lines).toContain(
      `port ${port} is in use: stop the other stack or set ` +
        'PUSH_MANAGER_PORT or --push-manager-port',
    );
  });

  it('stops everything on Ctrl-C', async () => {
    const exit = await stack.interrupt();

    // npm itself ends by the signal, as it does in a terminal; the stack
    // under it stops every part and exits on its own.
    expect([0, 'SIGINT']).toContain(exit.code ?? exit.signal);
    expect(stack.lines.at(-1)).toMatch(/stack +stopped$/);
    await expect(fetch(stack.viewerUrl)).rejects.toThrow();
  });
});

describe('npm start with function settings changed by --env', () => {
  let stack: StackProcess;
  let browser: Browser;
  let page: Page;
  let stateDir: string;

  beforeAll(async () => {
    browser = await launchChromium();
    stateDir = await mkdtemp(join(tmpdir(), 'biz-server-stack-'));
    stack = await startStackProcess([
      '--push-manager-port=0',
      '--viewer-port=0',
      '--s3-port=0',
      `--state-dir=${stateDir}`,
      '--batching-window=0',
      '--visibility-timeout=0',
      '--env=TRANSLATION_OFFLINE_POLICY=retry',
      `--env=AUDIO_INLINE_MAX_BYTES=${INLINE_MAX_BYTES}`,
    ]);
    page = await browser.context.newPage();
    await joinRoom(page, stack.viewerUrl, 'user-001');
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.interrupt();
    if (stateDir) await rm(stateDir, { recursive: true, force: true });
  });

  it('lists a translation nobody could receive among the dead letters', async () => {
    const sent = await postJson(new URL('translations', stack.viewerUrl).href, {
      userId: 'user-404',
      text: 'kept for later',
      sourceLanguage: 'en-US',
      targetLanguage: 'de-DE',
    });

    const parked = page.locator(
      '#dead-letters li[data-source="TranslationDeadLetterQueue"]',
    );
    await parked.waitFor({ timeout: STEP_TIMEOUT_MS });
    expect(await parked.textContent()).toContain(
      'received 5 times without success (maxReceiveCount 5)',
    );
    expect(await parked.textContent()).toContain(sent.messageId);
    const attempts = page.locator(
      '#activity li[data-method="PushToUser"][data-target="user-404"]',
    );
    expect(await attempts.count()).toBe(5);
  });

  it('plays a clip over the inline limit from its presigned URL', async () => {
    await uploadClip(stack, 'user-002');

    const card = cards(page, 'AUDIO');
    await card.waitFor({ timeout: STEP_TIMEOUT_MS });
    expect(await card.locator('.audio-facts').textContent()).toContain(
      'by presigned URL',
    );
    const player = card.locator('audio');
    expect(await player.getAttribute('src')).toMatch(
      new RegExp(`^${stack.s3Endpoint}/.*X-Amz-Signature=`),
    );
    await expect
      .poll(() =>
        player.evaluate((node) => (node as unknown as AudioElement).readyState),
      )
      .toBeGreaterThanOrEqual(3);
    const seconds = await player.evaluate(
      (node) => (node as unknown as AudioElement).duration,
    );
    expect(Math.abs(seconds - CLIP_DURATION_MS / 1000)).toBeLessThan(
      DURATION_TOLERANCE_S,
    );
  });
});
