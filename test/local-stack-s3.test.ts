import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import {
  GetObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import type { S3Event } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AwsChunkedDecoder } from '../dev/s3/aws-chunked.js';
import { notificationApplies } from '../dev/s3/bucket-notification.js';
import {
  LOCAL_S3_CREDENTIALS,
  type LocalBucket,
  startLocalBucket,
} from '../dev/s3/local-bucket.js';
import { createTerminalLog } from '../dev/terminal-log.js';

const BUCKET = 'biz-server-local-audio';
const log = createTerminalLog(
  new Writable({ write: (_chunk, _encoding, done) => done() }),
  {},
);

describe('local S3 bucket', () => {
  let folder: string;
  let bucket: LocalBucket;
  let s3: S3Client;
  const events: S3Event[] = [];

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'local-bucket-'));
    bucket = await startLocalBucket({
      port: 0,
      buckets: [BUCKET],
      directory: folder,
      region: 'eu-west-1',
      log,
      onObjectCreated: (event) => events.push(event),
    });
    s3 = new S3Client({
      endpoint: bucket.endpoint,
      forcePathStyle: true,
      region: 'eu-west-1',
      credentials: LOCAL_S3_CREDENTIALS,
    });
  });

  afterEach(async () => {
    s3.destroy();
    events.splice(0);
    await bucket.stop();
    await rm(folder, { recursive: true, force: true });
  });

  it('stores a streamed upload as its bytes, not its aws-chunked framing', async () => {
    const clip = Buffer.from('OggS fake opus payload '.repeat(400));

    await s3.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: 'rooms/room-001/streamed.opus',
        Body: Readable.from([clip.subarray(0, 5000), clip.subarray(5000)]),
        ContentLength: clip.byteLength,
        ContentType: 'audio/ogg',
      }),
    );
    const stored = await s3.send(
      new GetObjectCommand({
        Bucket: BUCKET,
        Key: 'rooms/room-001/streamed.opus',
      }),
    );

    const bytes = await stored.Body?.transformToByteArray();
    expect(Buffer.from(bytes ?? [])).toEqual(clip);
    expect(stored.ContentEncoding).toBeUndefined();
    expect(stored.ContentType).toBe('audio/ogg');
  });

  it('sends the ObjectCreated event S3 would send, key URL-encoded', async () => {
    const clip = Buffer.from('a small clip');

    await s3.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: 'rooms/room 1/clip (1)+ü.opus',
        Body: clip,
        Metadata: { 'user-id': 'user-002' },
      }),
    );
    await s3.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: 'rooms/room-1/b',
        Body: clip,
      }),
    );

    expect(events).toHaveLength(2);
    const [first, second] = events.map((e) => e.Records[0]);
    expect(first).toMatchObject({
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: 'eu-west-1',
      eventName: 'ObjectCreated:Put',
      requestParameters: {
        sourceIPAddress: expect.stringContaining('127.0.0.1'),
      },
      s3: {
        s3SchemaVersion: '1.0',
        bucket: { name: BUCKET, arn: `arn:aws:s3:::${BUCKET}` },
        object: {
          key: 'rooms/room+1/clip+%281%29%2B%C3%BC.opus',
          size: clip.byteLength,
          eTag: createHash('md5').update(clip).digest('hex'),
        },
      },
    });
    expect(Date.parse(first?.eventTime ?? '')).not.toBeNaN();
    expect(first?.s3.object.sequencer).toMatch(/^[0-9A-F]{18}$/);
    expect(BigInt(`0x${second?.s3.object.sequencer}`)).toBeGreaterThan(
      BigInt(`0x${first?.s3.object.sequencer}`),
    );
    expect(first?.s3.object).not.toHaveProperty('versionId');
  });

  it('reports a busy port by its setting', async () => {
    const port = Number(new URL(bucket.endpoint).port);

    await expect(
      startLocalBucket({
        port,
        buckets: [BUCKET],
        directory: folder,
        region: 'eu-west-1',
        log,
        onObjectCreated: () => undefined,
      }),
    ).rejects.toThrow(
      `port ${port} is in use: stop the other stack or set S3_PORT or --s3-port`,
    );
  });
});

describe('AwsChunkedDecoder', () => {
  async function decode(...parts: string[]) {
    const chunks: Buffer[] = [];
    const decoder = Readable.from(parts.map((p) => Buffer.from(p))).pipe(
      new AwsChunkedDecoder(),
    );
    for await (const chunk of decoder) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString();
  }

  it('keeps the data of signed chunks and drops the checksum trailer', async () => {
    const signature = `;chunk-signature=${'a'.repeat(64)}`;

    const text = await decode(
      `5${signature}\r\nhel`,
      `lo\r\n6${signature}\r\n world\r\n0${signature}\r\n`,
      'x-amz-checksum-crc32:AAAAAA==\r\n\r\n',
    );

    expect(text).toBe('hello world');
  });

  it('refuses a body cut before its last chunk', async () => {
    await expect(decode('5\r\nhello\r\n')).rejects.toThrow(
      'aws-chunked body ended before its last chunk',
    );
  });
});

describe('notificationApplies', () => {
  function event(key: string, eventName = 'ObjectCreated:Put') {
    return {
      Records: [
        { eventName, s3: { bucket: { name: BUCKET }, object: { key } } },
      ],
    } as unknown as S3Event;
  }

  it('matches the bucket, the event type and the key filters', () => {
    const notification = {
      bucket: BUCKET,
      event: 's3:ObjectCreated:*',
      functionLogicalId: 'AudioUploadLambdaFunction',
      prefix: 'rooms/',
      suffix: '.opus',
    };

    expect(notificationApplies(notification, event('rooms/a+b.opus'))).toBe(
      true,
    );
    expect(notificationApplies(notification, event('other/a.opus'))).toBe(
      false,
    );
    expect(notificationApplies(notification, event('rooms/a.mp3'))).toBe(false);
    expect(
      notificationApplies(
        { ...notification, event: 's3:ObjectCreated:Post' },
        event('rooms/a.opus'),
      ),
    ).toBe(false);
  });
});
