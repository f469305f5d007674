import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import type { S3Event } from 'aws-lambda';
import { isPortInUse, LOOPBACK_HOST, PortInUseError } from '../ports.js';
import type { StackLog } from '../terminal-log.js';
import {
  AwsChunkedDecoder,
  isAwsChunked,
  withoutAwsChunked,
} from './aws-chunked.js';
import { objectCreatedEvent } from './s3-event.js';

/** Default port of the local S3 endpoint. */
export const DEFAULT_S3_PORT = 4569;
export const S3_PORT_SETTING = 'S3_PORT or --s3-port';
/** The one account s3rver knows: any S3 client signs with these. */
export const LOCAL_S3_CREDENTIALS = {
  accessKeyId: 'S3RVER',
  secretAccessKey: 'S3RVER',
} as const;

// The parts of s3rver 3 used here; it ships no types.
interface StoredObject {
  bucket: string;
  key: string;
  content: Readable | Buffer;
  metadata: Record<string, string>;
}
interface S3rverStore {
  putObject(object: StoredObject): Promise<{ size: number; md5: string }>;
}
interface S3rverEvent {
  Records: {
    eventName: string;
    requestParameters: { sourceIPAddress: string };
    s3: {
      bucket: { name: string };
      object: { key: string; size?: number; eTag?: string };
    };
  }[];
}
interface S3rverServer {
  store: S3rverStore;
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
  on(name: 'event', listener: (event: S3rverEvent) => void): void;
}
const S3rver = createRequire(import.meta.url)('s3rver') as new (options: {
  address: string;
  port: number;
  silent: boolean;
  directory: string;
  configureBuckets: { name: string }[];
}) => S3rverServer;

/** Called with the event S3 would send for each object created. */
export type ObjectCreatedListener = (event: S3Event) => void;

export interface LocalBucketOptions {
  /** 0 picks a free port. */
  port: number;
  buckets: string[];
  /** Where objects are kept between runs. */
  directory: string;
  region: string;
  log: StackLog;
  onObjectCreated: ObjectCreatedListener;
}

export interface LocalBucket {
  /** `http://127.0.0.1:port`, for AWS_ENDPOINT_URL_S3 or --endpoint-url. */
  readonly endpoint: string;
  stop(): Promise<void>;
}

/**
 * s3rver 3 stores an `aws-chunked` body as sent, framing and checksum
 * trailer included; uploads from the SDK v3 and CLI v2 come that way. The
 * body is decoded before it is stored and the encoding removed.
 */
function decodeChunkedUploads(store: S3rverStore): void {
  const putObject = store.putObject.bind(store);
  store.putObject = (object) => {
    const encoding = object.metadata['content-encoding'];
    if (!isAwsChunked(encoding) || Buffer.isBuffer(object.content)) {
      return putObject(object);
    }

    const metadata = { ...object.metadata };
    const rest = withoutAwsChunked(encoding ?? '');
    if (rest) metadata['content-encoding'] = rest;
    else delete metadata['content-encoding'];
    const content = object.content.pipe(new AwsChunkedDecoder());
    object.content.on('error', (error) => content.destroy(error));
    return putObject({ ...object, content, metadata });
  };
}

/**
 * A local S3 endpoint (s3rver) with the service's buckets. Each object
 * created becomes the event S3 would send, handed to `onObjectCreated`.
 */
export async function startLocalBucket(
  options: LocalBucketOptions,
): Promise<LocalBucket> {
  const server = new S3rver({
    address: LOOPBACK_HOST,
    port: options.port,
    silent: true,
    directory: options.directory,
    configureBuckets: options.buckets.map((name) => ({ name })),
  });
  decodeChunkedUploads(server.store);

  server.on('event', (event) => {
    const record = event.Records[0];
    if (!record?.eventName.startsWith('ObjectCreated:')) return;
    const { bucket, object } = record.s3;
    // s3rver names a completed multipart upload `ObjectCreated:Post`.
    const { eventName } = record;
    options.log.info(
      's3',
      `${eventName} s3://${bucket.name}/${object.key} (${object.size} bytes)`,
    );
    options.onObjectCreated(
      objectCreatedEvent({
        bucket: bucket.name,
        key: object.key,
        size: object.size ?? 0,
        eTag: object.eTag ?? '',
        eventName,
        region: options.region,
        sourceIp: record.requestParameters.sourceIPAddress,
        configurationId: 'local-notification',
      }),
    );
  });

  // s3rver's run() never settles when its port is taken: look first.
  if (options.port !== 0 && (await isPortInUse(options.port))) {
    throw new PortInUseError(options.port, S3_PORT_SETTING);
  }
  const address = await server.run();

  return {
    endpoint: `http://${LOOPBACK_HOST}:${address.port}`,
    stop: () => server.close(),
  };
}
