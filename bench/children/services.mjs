// The services the measured processes talk to, in a process of their own so
// that their CPU and memory are not counted in the measured ones: a grpc-js
// Push-Manager on 127.0.0.1 that answers every call with success, and s3rver
// (a local S3-compatible server) holding the audio clips.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  loadPackageDefinition,
  Server,
  ServerCredentials,
} from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import S3rver from 's3rver';
import { PROTO_PATH } from '../lib/paths.mjs';

const ANSWERS = {
  PushToRoom: { success: true, delivered_count: 3, message: 'pushed' },
  PushToUser: { success: true, message: 'pushed' },
  BroadcastMessage: { success: true, total_delivered: 10 },
};

const bucket = process.env.BENCH_BUCKET ?? 'bench-audio';
const callCounts = { PushToRoom: 0, PushToUser: 0, BroadcastMessage: 0 };

function findService(namespace) {
  for (const value of Object.values(namespace)) {
    if (value?.service && 'PushToUser' in value.service) return value.service;
    if (value && typeof value === 'object' && !value.format) {
      const found = findService(value);
      if (found) return found;
    }
  }
  return undefined;
}

function answering(method) {
  return (_call, callback) => {
    callCounts[method] += 1;
    callback(null, ANSWERS[method]);
  };
}

async function startPushManager() {
  const definition = loadSync(PROTO_PATH, {
    keepCase: true,
    longs: Number,
    enums: String,
    defaults: true,
  });
  const server = new Server();
  server.addService(findService(loadPackageDefinition(definition)), {
    PushToRoom: answering('PushToRoom'),
    PushToUser: answering('PushToUser'),
    BroadcastMessage: answering('BroadcastMessage'),
  });
  const port = await new Promise((resolve, reject) => {
    server.bindAsync(
      '127.0.0.1:0',
      ServerCredentials.createInsecure(),
      (error, bound) => (error ? reject(error) : resolve(bound)),
    );
  });
  return { server, address: `127.0.0.1:${port}` };
}

async function startS3(directory) {
  const s3 = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: bucket }],
  });
  const { port } = await s3.run();
  return { s3, endpoint: `http://127.0.0.1:${port}` };
}

const directory = mkdtempSync(join(tmpdir(), 'biz-bench-s3-'));
const pushManager = await startPushManager();
const { s3, endpoint } = await startS3(directory);

process.on('message', async (message) => {
  if (message === 'counts') {
    process.send({ counts: { ...callCounts } });
    return;
  }

  if (message === 'stop') {
    pushManager.server.forceShutdown();
    await s3.close();
    rmSync(directory, { recursive: true, force: true });
    process.exit(0);
  }
});
process.on('disconnect', () => {
  rmSync(directory, { recursive: true, force: true });
  process.exit(0);
});

process.send({
  ready: true,
  pushManagerAddress: pushManager.address,
  s3Endpoint: endpoint,
  bucket,
});
