import { fork } from 'node:child_process';
import { join } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CHILDREN_DIR } from './paths.mjs';

const START_TIMEOUT_MS = 20_000;

/** Credentials s3rver accepts; no real AWS account is involved. */
export const S3_CREDENTIALS = {
  accessKeyId: 'S3RVER',
  secretAccessKey: 'S3RVER',
};
export const S3_REGION = 'eu-west-1';

/**
 * Starts the Push-Manager and s3rver process and waits until both listen.
 * Returns their addresses and a way to read call counts and to stop them.
 */
export async function startServices() {
  const child = fork(join(CHILDREN_DIR, 'services.mjs'), [], {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });

  const ready = await new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error('bench services did not start in time')),
      START_TIMEOUT_MS,
    );
    child.once('message', (message) => {
      clearTimeout(timer);
      resolve(message);
    });
    child.once('exit', (code) =>
      reject(new Error(`bench services exited early (code ${code})`)),
    );
  });

  const s3 = new S3Client({
    endpoint: ready.s3Endpoint,
    forcePathStyle: true,
    region: S3_REGION,
    credentials: S3_CREDENTIALS,
  });

  return {
    pushManagerAddress: ready.pushManagerAddress,
    s3Endpoint: ready.s3Endpoint,
    bucket: ready.bucket,
    pid: child.pid,

    /** Stores one object in the bench bucket; returns its ETag. */
    async putObject(key, body, contentType, metadata = {}) {
      const output = await s3.send(
        new PutObjectCommand({
          Bucket: ready.bucket,
          Key: key,
          Body: body,
          ContentType: contentType,
          Metadata: metadata,
        }),
      );
      return output.ETag?.replaceAll('"', '');
    },

    /** Calls answered so far, by method. */
    callCounts() {
      return new Promise((resolve) => {
        child.once('message', (message) => resolve(message.counts));
        child.send('counts');
      });
    },

    async stop() {
      s3.destroy();
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send('stop');
      await exited;
    },
  };
}
