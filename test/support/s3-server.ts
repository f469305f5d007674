import { mkdtemp, rm } from 'node:fs/promises';
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateBucketCommand,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';

// s3rver ships no types; these are the parts used here.
interface S3rverOptions {
  address: string;
  port: number;
  silent: boolean;
  directory: string;
}
interface S3rverServer {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
}
const S3rver = createRequire(import.meta.url)('s3rver') as new (
  options: S3rverOptions,
) => S3rverServer;

export const S3_REGION = 'eu-west-1';
/** s3rver knows one account; it checks the key id, not V4 signatures. */
export const S3_CREDENTIALS = {
  accessKeyId: 'S3RVER',
  secretAccessKey: 'S3RVER',
} as const;

/** One request the S3 endpoint answered. */
export interface ServedRequest {
  method: string;
  bucket: string;
  /** The object key, decoded; empty for bucket requests. */
  key: string;
  /** The Range header, when the request had one. */
  range?: string;
  status: number;
  /** Body bytes sent back. */
  bytes: number;
}

const INTERNAL_ERROR_XML =
  '<?xml version="1.0" encoding="UTF-8"?><Error><Code>InternalError</Code>' +
  '<Message>We encountered an internal error. Please try again.</Message>' +
  '</Error>';

function describe(request: IncomingMessage) {
  const path = new URL(request.url ?? '/', 'http://s3').pathname;
  const [, bucket = '', ...key] = path.split('/');
  return {
    method: request.method ?? 'GET',
    bucket,
    key: decodeURIComponent(key.join('/')),
    ...(request.headers.range && { range: request.headers.range }),
  };
}

/**
 * s3rver on 127.0.0.1 with its own temporary directory, behind a small
 * proxy that records every request and can answer chosen ones with a 500
 * InternalError, as S3 does now and then.
 */
export class TestS3 {
  readonly requests: ServedRequest[] = [];
  /** Requests it returns true for get a 500 InternalError. */
  failWhen: (request: Omit<ServedRequest, 'status' | 'bytes'>) => boolean =
    () => false;
  readonly #clients: S3Client[] = [];
  #s3rver: S3rverServer | undefined;
  #proxy: Server | undefined;
  #directory = '';
  #upstreamPort = 0;
  #port = 0;

  /** `http://127.0.0.1:{port}`, for AWS_ENDPOINT_URL_S3 and clients. */
  get endpoint(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

  async start(): Promise<this> {
    this.#directory = await mkdtemp(join(tmpdir(), 's3rver-'));
    this.#s3rver = new S3rver({
      address: '127.0.0.1',
      port: 0,
      silent: true,
      directory: this.#directory,
    });
    this.#upstreamPort = (await this.#s3rver.run()).port;

    const proxy = createServer((request, response) => {
      const seen = describe(request);
      if (this.failWhen(seen)) {
        this.requests.push({ ...seen, status: 500, bytes: 0 });
        response.writeHead(500, { 'content-type': 'application/xml' });
        response.end(INTERNAL_ERROR_XML);
        return;
      }
      this.#forward(request, response, seen);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    this.#proxy = proxy;
    this.#port = (proxy.address() as AddressInfo).port;
    return this;
  }

  /** An S3 client for this server; closed by `stop`. */
  client(config: S3ClientConfig = {}): S3Client {
    const client = new S3Client({
      region: S3_REGION,
      endpoint: this.endpoint,
      forcePathStyle: true,
      credentials: S3_CREDENTIALS,
      maxAttempts: 2,
      ...config,
    });
    this.#clients.push(client);
    return client;
  }

  async createBucket(bucket: string): Promise<void> {
    await this.client().send(new CreateBucketCommand({ Bucket: bucket }));
  }

  async put(
    bucket: string,
    key: string,
    body: Uint8Array,
    options: { contentType?: string; metadata?: Record<string, string> } = {},
  ): Promise<void> {
    await this.client().send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: body,
        ContentType: options.contentType,
        Metadata: options.metadata,
      }),
    );
  }

  /** The requests made for one key since the last `clearRequests`. */
  requestsFor(key: string): ServedRequest[] {
    return this.requests.filter((request) => request.key === key);
  }

  clearRequests(): void {
    this.requests.length = 0;
  }

  async stop(): Promise<void> {
    for (const client of this.#clients.splice(0)) client.destroy();
    this.#proxy?.closeAllConnections();
    await new Promise((resolve) => this.#proxy?.close(resolve) ?? resolve(0));
    await this.#s3rver?.close();
    await rm(this.#directory, { recursive: true, force: true });
  }

  #forward(
    request: IncomingMessage,
    response: ServerResponse,
    seen: ReturnType<typeof describe>,
  ): void {
    const upstream = httpRequest(
      {
        host: '127.0.0.1',
        port: this.#upstreamPort,
        method: request.method,
        path: request.url,
        headers: request.headers,
      },
      (answer) => {
        const served = { ...seen, status: answer.statusCode ?? 0, bytes: 0 };
        this.requests.push(served);
        answer.on('data', (chunk: Buffer) => {
          served.bytes += chunk.byteLength;
        });
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    upstream.on('error', () => response.destroy());
    request.pipe(upstream);
  }
}

/** Starts s3rver (behind its proxy) with the given buckets. */
export async function startS3(...buckets: string[]): Promise<TestS3> {
  const s3 = await new TestS3().start();
  for (const bucket of buckets) await s3.createBucket(bucket);
  return s3;
}
