import { readFile } from 'node:fs/promises';
import {
  afterAll,
  afterEach,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it,
} from 'vitest';
import { createAudioUploadHandler } from '../lib/audio/audio-upload-handler.js';
import {
  createFunctionRuntime,
  type FunctionRuntime,
} from '../lib/function-runtime.js';
import { captureOutput } from './support/capture-logs.js';
import { objectCreatedRecord, s3Event } from './support/events/s3-event.js';
import { lambdaContext } from './support/lambda-context.js';
import {
  startPushManager,
  type TestPushManager,
} from './support/push-manager-server.js';
import { startS3, type TestS3 } from './support/s3-server.js';

const BUCKET = 'voice-clip-durations';

// The clips in test/fixtures/audio and how long they truly are.
const CLIPS = [
  { file: 'voice-2s.opus', format: 'opus', trueMs: 2000 },
  { file: 'voice-30s.opus', format: 'opus', trueMs: 30_000 },
  { file: 'voice-1500ms.mp3', format: 'mp3', trueMs: 1500 },
  { file: 'voice-3s.wav', format: 'wav', trueMs: 3000 },
  { file: 'voice-2500ms.flac', format: 'flac', trueMs: 2500 },
  { file: 'voice-1s.m4a', format: 'm4a', trueMs: 1000 },
] as const;

const TOLERANCE = 0.05;

function fixture(name: string): Promise<Buffer> {
  return readFile(new URL(`./fixtures/audio/${name}`, import.meta.url));
}

describe('audioUpload durations', () => {
  let s3: TestS3;
  let pushManager: TestPushManager;
  let output: ReturnType<typeof captureOutput>;
  const runtimes: FunctionRuntime[] = [];

  function handler(env: Record<string, string> = {}) {
    const runtime = createFunctionRuntime('audioUpload', {
      PUSH_MANAGER_ADDRESS: pushManager.address,
      ...env,
    });
    runtimes.push(runtime);
    return createAudioUploadHandler(runtime, { s3: s3.client() });
  }

  async function pushedMetadata(
    key: string,
    body: Uint8Array,
    env: Record<string, string> = {},
    options: { contentType?: string; metadata?: Record<string, string> } = {},
  ): Promise<Record<string, string>> {
    await s3.put(BUCKET, key, body, options);
    s3.clearRequests();
    const record = objectCreatedRecord({ bucket: BUCKET, key, body });

    await handler(env)(s3Event(record), lambdaContext());

    expect(pushManager.calls).toHaveLength(1);
    return pushManager.calls[0]?.request.content.metadata;
  }

  beforeAll(async () => {
    s3 = await startS3(BUCKET);
  });

  afterAll(async () => {
    await s3.stop();
  });

  beforeEach(async () => {
    pushManager = await startPushManager();
    output = captureOutput();
  });

  afterEach(async () => {
    output.restore();
    for (const runtime of runtimes.splice(0)) runtime.push.close();
    await pushManager.stop();
  });

  describe.each(CLIPS)('$file', ({ file, format, trueMs }) => {
    it('measures the clip held in memory within 5%', async () => {
      const body = await fixture(file);

      const metadata = await pushedMetadata(`rooms/r1/inline-${file}`, body);

      expect(metadata.format).toBe(format);
      expect(Number(metadata.duration)).toBeGreaterThanOrEqual(
        trueMs * (1 - TOLERANCE),
      );
      expect(Number(metadata.duration)).toBeLessThanOrEqual(
        trueMs * (1 + TOLERANCE),
      );
    });

    it('measures the clip left in S3 within 5% by range reads', async () => {
      const body = await fixture(file);
      const key = `rooms/r1/remote-${file}`;

      const metadata = await pushedMetadata(key, body, {
        AUDIO_INLINE_MAX_BYTES: '1024',
      });

      expect(metadata.format).toBe(format);
      expect(metadata.url).toBeDefined();
      expect(Number(metadata.duration)).toBeGreaterThanOrEqual(
        trueMs * (1 - TOLERANCE),
      );
      expect(Number(metadata.duration)).toBeLessThanOrEqual(
        trueMs * (1 + TOLERANCE),
      );
      const served = s3.requestsFor(key);
      expect(served.filter((r) => r.method === 'HEAD')).toHaveLength(1);
      const gets = served.filter((r) => r.method === 'GET');
      expect(gets.every((r) => r.range !== undefined)).toBe(true);
    });
  });

  it('reads less than the whole of a large file to measure it', async () => {
    const body = await fixture('voice-3s.wav');
    const key = 'rooms/r1/partial-read.wav';

    await pushedMetadata(key, body, { AUDIO_INLINE_MAX_BYTES: '1024' });

    const served = s3.requestsFor(key);
    const bytesRead = served.reduce((sum, r) => sum + r.bytes, 0);
    expect(bytesRead).toBeLessThan(body.byteLength / 2);
  });

  it('lets the duration metadata win over the measured duration', async () => {
    const body = await fixture('voice-2s.opus');

    const metadata = await pushedMetadata(
      'rooms/r1/declared.opus',
      body,
      {},
      {
        metadata: { duration: '1234' },
      },
    );

    expect(metadata.duration).toBe('1234');
  });

  it('does not read a large clip that declares its duration and type', async () => {
    const body = await fixture('voice-30s.opus');
    const key = 'rooms/r1/declared-large.opus';

    const metadata = await pushedMetadata(
      key,
      body,
      { AUDIO_INLINE_MAX_BYTES: '1024' },
      { contentType: 'audio/opus', metadata: { duration: '29990' } },
    );

    expect(metadata).toMatchObject({ duration: '29990', format: 'opus' });
    expect(s3.requestsFor(key).map((r) => r.method)).toEqual(['HEAD']);
  });

  it('measures a clip whose duration metadata is not whole milliseconds', async () => {
    const body = await fixture('voice-3s.wav');

    const metadata = await pushedMetadata(
      'rooms/r1/odd.wav',
      body,
      {},
      {
        metadata: { duration: '2.9s' },
      },
    );

    expect(metadata.duration).toBe('3000');
  });
});
