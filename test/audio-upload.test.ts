import { readFile } from 'node:fs/promises';
import { status } from '@grpc/grpc-js';
import type { S3EventRecord } from 'aws-lambda';
import {
  afterAll,
  afterEach,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it,
} from 'vitest';
import {
  AudioUploadFailedError,
  S3ReadError,
} from '../lib/audio/audio-errors.js';
import { createAudioUploadHandler } from '../lib/audio/audio-upload-handler.js';
import { InvalidEventError, PushFailedError } from '../lib/errors.js';
import {
  createFunctionRuntime,
  type FunctionRuntime,
} from '../lib/function-runtime.js';
import { stableMessageId } from '../lib/message-id.js';
import { captureOutput } from './support/capture-logs.js';
import { objectCreatedRecord, s3Event } from './support/events/s3-event.js';
import { lambdaContext } from './support/lambda-context.js';
import {
  GrpcStatusError,
  startPushManager,
  type TestPushManager,
} from './support/push-manager-server.js';
import { startS3, type TestS3 } from './support/s3-server.js';

const BUCKET = 'voice-clips';
const EVENT_TIME = '2026-12-03T09:15:30.123Z';
const EVENT_SECONDS = Math.floor(Date.parse(EVENT_TIME) / 1000);

function fixture(name: string): Promise<Buffer> {
  return readFile(new URL(`./fixtures/audio/${name}`, import.meta.url));
}

describe('audioUpload', () => {
  let s3: TestS3;
  let pushManager: TestPushManager;
  let output: ReturnType<typeof captureOutput>;
  const runtimes: FunctionRuntime[] = [];

  function handler(env: Record<string, string> = {}, nowMs = Date.now()) {
    const runtime = createFunctionRuntime('audioUpload', {
      PUSH_MANAGER_ADDRESS: pushManager.address,
      PUSH_RETRY_BASE_MS: '5',
      ...env,
    });
    runtimes.push(runtime);
    return createAudioUploadHandler(runtime, {
      s3: s3.client(),
      now: () => nowMs,
    });
  }

  async function upload(
    key: string,
    body: Uint8Array,
    options: { contentType?: string; metadata?: Record<string, string> } = {},
  ): Promise<S3EventRecord> {
    await s3.put(BUCKET, key, body, options);
    return objectCreatedRecord({
      bucket: BUCKET,
      key,
      body,
      eventTime: EVENT_TIME,
    });
  }

  function dropLogs() {
    return output.logs().filter((l) => l.message === 'audio upload dropped');
  }

  function rejectedMetrics() {
    return output.metrics().filter((m) => 'AudioRejected' in m);
  }

  beforeAll(async () => {
    s3 = await startS3(BUCKET);
  });

  afterAll(async () => {
    await s3.stop();
  });

  beforeEach(async () => {
    pushManager = await startPushManager();
    s3.clearRequests();
    s3.failWhen = () => false;
    output = captureOutput();
  });

  afterEach(async () => {
    output.restore();
    for (const runtime of runtimes.splice(0)) runtime.push.close();
    await pushManager.stop();
  });

  it('pushes a small clip inline, exactly as Push-Manager expects it', async () => {
    const clip = await fixture('voice-2s.opus');
    const key = 'rooms/room-042/clip-0001.opus';
    const record = await upload(key, clip, {
      contentType: 'audio/ogg',
      metadata: { 'user-id': 'user-007' },
    });

    const summary = await handler()(s3Event(record), lambdaContext());

    expect(summary).toEqual({
      records: 1,
      pushed: 1,
      notDelivered: 0,
      dropped: 0,
      failed: 0,
    });
    expect(pushManager.calls).toHaveLength(1);
    expect(pushManager.calls[0]?.method).toBe('PushToRoom');
    expect(pushManager.calls[0]?.request).toEqual({
      room_id: 'room-042',
      exclude_user_ids: ['user-007'],
      content: {
        type: 'AUDIO',
        data: clip,
        timestamp: EVENT_SECONDS,
        metadata: {
          format: 'opus',
          duration: '2000',
          size: String(clip.byteLength),
          content_type: 'audio/ogg',
          message_id: stableMessageId(
            'audio',
            BUCKET,
            key,
            record.s3.object.sequencer,
          ),
        },
      },
    });
  });

  it('reads a small clip with one GetObject and nothing else', async () => {
    const key = 'rooms/room-042/clip-0002.mp3';
    const record = await upload(key, await fixture('voice-1500ms.mp3'));
    s3.clearRequests();

    await handler()(s3Event(record), lambdaContext());

    const served = s3.requestsFor(key);
    expect(served.map((r) => [r.method, r.range])).toEqual([
      ['GET', undefined],
    ]);
  });

  it('decodes the URL-encoded keys S3 sends', async () => {
    const wav = await fixture('voice-3s.wav');
    const mp3 = await fixture('voice-1500ms.mp3');
    const opus = await fixture('voice-2s.opus');
    const records = [
      await upload('rooms/room 42/my first clip.wav', wav),
      await upload('rooms/a+b=c/100% take (2).mp3', mp3),
      await upload('rooms/會議室/語音 片段.opus', opus),
    ];

    const summary = await handler()(s3Event(...records), lambdaContext());

    expect(records.map((r) => r.s3.object.key)).toEqual([
      'rooms/room+42/my+first+clip.wav',
      'rooms/a%2Bb%3Dc/100%25+take+%282%29.mp3',
      'rooms/%E6%9C%83%E8%AD%B0%E5%AE%A4/%E8%AA%9E%E9%9F%B3+%E7%89%87%E6%AE%B5.opus',
    ]);
    expect(summary.pushed).toBe(3);
    const pushed = pushManager.calls.map((c) => [
      c.request.room_id,
      c.request.content.metadata.format,
      Buffer.from(c.request.content.data),
    ]);
    expect(pushed).toEqual([
      ['room 42', 'wav', wav],
      ['a+b=c', 'mp3', mp3],
      ['會議室', 'opus', opus],
    ]);
  });

  it('takes the room from the room-id metadata and leaves the uploader out', async () => {
    const clip = await fixture('voice-1500ms.mp3');
    const records = [
      await upload('rooms/lobby/clip.mp3', clip, {
        metadata: { 'room-id': 'room-override', 'user-id': 'speaker-1' },
      }),
      await upload('uploads/2026/12/clip.mp3', clip, {
        metadata: { 'room-id': 'room-from-metadata' },
      }),
    ];

    await handler()(s3Event(...records), lambdaContext());

    expect(
      pushManager.calls.map((c) => [
        c.request.room_id,
        c.request.exclude_user_ids,
      ]),
    ).toEqual([
      ['room-override', ['speaker-1']],
      ['room-from-metadata', []],
    ]);
  });

  it('pushes a large clip as a presigned URL that downloads it', async () => {
    const clip = await fixture('voice-30s.opus');
    const key = 'rooms/room-042/long clip.opus';
    const record = await upload(key, clip, {
      contentType: 'audio/ogg; codecs=opus',
      metadata: { 'user-id': 'user-007' },
    });
    const nowMs = Date.now();
    s3.clearRequests();

    const summary = await handler(
      { AUDIO_INLINE_MAX_BYTES: '4096', AUDIO_URL_EXPIRES_SECONDS: '900' },
      nowMs,
    )(s3Event(record), lambdaContext());

    expect(summary.pushed).toBe(1);
    const request = pushManager.calls[0]?.request;
    expect(request.room_id).toBe('room-042');
    expect(request.exclude_user_ids).toEqual(['user-007']);
    expect(request.content.data).toHaveLength(0);
    const { metadata } = request.content;
    expect(metadata).toMatchObject({
      format: 'opus',
      size: String(clip.byteLength),
      content_type: 'audio/ogg; codecs=opus',
      url_expires_at: String(Math.floor(nowMs / 1000) + 900),
    });
    expect(Number(metadata.duration)).toBeGreaterThanOrEqual(30_000 * 0.95);
    expect(Number(metadata.duration)).toBeLessThanOrEqual(30_000 * 1.05);
    expect(metadata.url).toMatch(/X-Amz-Expires=900/);

    const gets = s3.requestsFor(key).filter((r) => r.method === 'GET');
    expect(gets.length).toBeGreaterThan(0);
    expect(gets.every((r) => r.range !== undefined)).toBe(true);

    const download = await fetch(metadata.url);
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer())).toEqual(clip);
  });

  it('pushes a clip overwritten by a large one as a large one', async () => {
    const key = 'rooms/room-042/overwritten.opus';
    const record = await upload(key, await fixture('voice-2s.opus'));
    const large = await fixture('voice-30s.opus');
    await s3.put(BUCKET, key, large, { contentType: 'audio/ogg' });
    s3.clearRequests();

    await handler({ AUDIO_INLINE_MAX_BYTES: '4096' })(
      s3Event(record),
      lambdaContext(),
    );

    const content = pushManager.calls[0]?.request.content;
    expect(content.data).toHaveLength(0);
    expect(content.metadata).toMatchObject({
      size: String(large.byteLength),
      format: 'opus',
    });
    expect(content.metadata.url).toContain(s3.endpoint);
    const [first] = s3.requestsFor(key);
    expect(first?.method).toBe('GET');
    expect(first?.range).toBeUndefined();
  });

  it('drops an object that is not audio, logging its key, without throwing', async () => {
    const records = [
      await upload(
        'rooms/room-042/picture.png',
        await fixture('not-audio.png'),
        {
          contentType: 'image/png',
        },
      ),
      await upload(
        'rooms/room-042/notes.opus',
        await fixture('not-audio.txt'),
        {
          contentType: 'audio/ogg',
        },
      ),
    ];

    const summary = await handler()(s3Event(...records), lambdaContext());

    expect(summary).toMatchObject({ records: 2, dropped: 2, pushed: 0 });
    expect(pushManager.calls).toHaveLength(0);
    expect(dropLogs()).toEqual([
      expect.objectContaining({
        level: 'ERROR',
        bucket: BUCKET,
        key: 'rooms/room-042/picture.png',
        reason: 'not_audio',
        error: expect.stringContaining(
          `s3://${BUCKET}/rooms/room-042/picture.png`,
        ),
      }),
      expect.objectContaining({
        key: 'rooms/room-042/notes.opus',
        reason: 'not_audio',
      }),
    ]);
    expect(rejectedMetrics()).toEqual([
      expect.objectContaining({ reason: 'not_audio', AudioRejected: 1 }),
      expect.objectContaining({ reason: 'not_audio', AudioRejected: 1 }),
    ]);
  });

  it('drops an empty object without reading it', async () => {
    const key = 'rooms/room-042/empty.opus';
    const record = await upload(key, new Uint8Array());
    s3.clearRequests();

    const summary = await handler()(s3Event(record), lambdaContext());

    expect(summary).toMatchObject({ dropped: 1, pushed: 0 });
    expect(pushManager.calls).toHaveLength(0);
    expect(s3.requestsFor(key)).toHaveLength(0);
    expect(dropLogs()).toEqual([
      expect.objectContaining({ key, reason: 'empty', bucket: BUCKET }),
    ]);
    expect(rejectedMetrics()).toEqual([
      expect.objectContaining({ reason: 'empty', AudioRejected: 1 }),
    ]);
  });

  it('drops an object deleted before it was read', async () => {
    const record = objectCreatedRecord({
      bucket: BUCKET,
      key: 'rooms/room-042/deleted.opus',
      body: await fixture('voice-2s.opus'),
    });

    const summary = await handler()(s3Event(record), lambdaContext());

    expect(summary).toMatchObject({ dropped: 1 });
    expect(pushManager.calls).toHaveLength(0);
    expect(dropLogs()).toEqual([
      expect.objectContaining({
        key: 'rooms/room-042/deleted.opus',
        reason: 'object_deleted',
        error: expect.stringContaining('NoSuchKey'),
      }),
    ]);
  });

  it('drops a clip that names no room', async () => {
    const record = await upload(
      'inbox/clip.mp3',
      await fixture('voice-1500ms.mp3'),
    );

    const summary = await handler()(s3Event(record), lambdaContext());

    expect(summary).toMatchObject({ dropped: 1 });
    expect(dropLogs()[0]).toMatchObject({
      key: 'inbox/clip.mp3',
      reason: 'no_room',
    });
  });

  it('throws after the other records when a push fails after its retries', async () => {
    pushManager.behaviour = (call) => {
      if (call.request.room_id === 'room-down') {
        throw new GrpcStatusError(status.UNAVAILABLE, 'node draining');
      }
      return { success: true, delivered_count: 2, message: 'pushed' };
    };
    const clip = await fixture('voice-2s.opus');
    const event = s3Event(
      await upload('rooms/room-down/a.opus', clip),
      await upload('rooms/room-up/b.opus', clip),
    );

    const error = await handler({ PUSH_MAX_ATTEMPTS: '2' })(
      event,
      lambdaContext(),
    ).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(AudioUploadFailedError);
    expect((error as AudioUploadFailedError).cause).toBeInstanceOf(
      PushFailedError,
    );
    expect((error as AudioUploadFailedError).cause).toMatchObject({
      attempts: 2,
      code: status.UNAVAILABLE,
    });
    expect(pushManager.calls.map((c) => c.request.room_id)).toEqual([
      'room-down',
      'room-down',
      'room-up',
    ]);
  });

  it('throws when Push-Manager is down', async () => {
    const event = s3Event(
      await upload('rooms/room-042/c.opus', await fixture('voice-2s.opus')),
    );
    const handle = handler({ PUSH_MAX_ATTEMPTS: '3' });
    await pushManager.stop();

    const error = await handle(event, lambdaContext()).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(AudioUploadFailedError);
    expect((error as AudioUploadFailedError).cause).toMatchObject({
      name: 'PushFailedError',
      attempts: 3,
    });
    expect(
      output.logs().find((l) => l.message === 'audio upload event handled'),
    ).toMatchObject({ records: 1, failed: 1, pushed: 0 });
  });

  it('throws after the other records when S3 fails to serve a clip', async () => {
    const clip = await fixture('voice-2s.opus');
    const event = s3Event(
      await upload('rooms/room-042/flaky.opus', clip),
      await upload('rooms/room-042/fine.opus', clip),
    );
    s3.failWhen = (request) => request.key === 'rooms/room-042/flaky.opus';

    const error = await handler()(event, lambdaContext()).catch(
      (e: unknown) => e,
    );

    expect(error).toBeInstanceOf(AudioUploadFailedError);
    expect((error as AudioUploadFailedError).cause).toBeInstanceOf(S3ReadError);
    expect((error as Error).message).toContain(
      `s3://${BUCKET}/rooms/room-042/flaky.opus`,
    );
    expect(pushManager.calls).toHaveLength(1);
    expect(s3.requestsFor('rooms/room-042/flaky.opus').length).toBeGreaterThan(
      1,
    );
  });

  it('does not throw when Push-Manager finds the room empty', async () => {
    pushManager.behaviour = () => ({
      success: false,
      delivered_count: 0,
      message: 'room not found',
    });
    const record = await upload(
      'rooms/room-gone/clip.opus',
      await fixture('voice-2s.opus'),
    );

    const summary = await handler()(s3Event(record), lambdaContext());

    expect(summary).toMatchObject({ notDelivered: 1, pushed: 0, failed: 0 });
    expect(
      output.logs().find((l) => l.message === 'push not delivered'),
    ).toMatchObject({ roomId: 'room-gone', outcome: 'room_not_found' });
  });

  it('sends the same message_id each time the same event is handled', async () => {
    const clip = await fixture('voice-2s.opus');
    const event = s3Event(await upload('rooms/room-042/again.opus', clip));
    const reupload = s3Event(await upload('rooms/room-042/again.opus', clip));
    const handle = handler();

    await handle(event, lambdaContext());
    await handle(event, lambdaContext());
    await handle(reupload, lambdaContext());

    const ids = pushManager.calls.map(
      (c) => c.request.content.metadata.message_id,
    );
    expect(ids).toHaveLength(3);
    expect(ids[0]).toBe(ids[1]);
    expect(ids[2]).not.toBe(ids[0]);
  });

  it('rejects an empty or foreign event with InvalidEventError', async () => {
    const clip = await fixture('voice-2s.opus');
    const created = await upload('rooms/room-042/valid.opus', clip);
    const removed = { ...created, eventName: 'ObjectRemoved:Delete' };
    const fromSqs = { ...created, eventSource: 'aws:sqs' };
    const events = [
      {},
      { Records: [] },
      s3Event(removed),
      s3Event(created, fromSqs),
      { detail: { bucket: { name: BUCKET } }, source: 'aws.s3' },
    ];
    const handle = handler();

    for (const event of events) {
      await expect(handle(event, lambdaContext())).rejects.toBeInstanceOf(
        InvalidEventError,
      );
    }

    expect(pushManager.calls).toHaveLength(0);
    const rejected = output
      .logs()
      .filter((l) => l.message === 'audio upload event rejected');
    expect(rejected).toHaveLength(events.length);
    expect(rejected[2]?.reason).toContain('ObjectCreated');
  });

  it('never logs audio bytes', async () => {
    const clip = await fixture('voice-2s.opus');
    const record = await upload('rooms/room-042/quiet.opus', clip);

    await handler()(s3Event(record), lambdaContext());

    const written = output.lines.join('\n');
    expect(pushManager.calls).toHaveLength(1);
    expect(written).not.toContain('OpusHead');
    expect(written).not.toContain(clip.subarray(0, 48).toString('base64'));
  });
});
