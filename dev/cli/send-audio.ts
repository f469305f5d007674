import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { parseArgs } from 'node:util';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { runCommand, UsageError } from '../cli-support.js';
import { callStack, stackUrl } from '../stack-client.js';

const USAGE = `Usage: npm run send:audio -- --file CLIP [options]

Uploads a clip to the local bucket, as a client would; S3's event then
invokes audioUpload.

  --file CLIP         the audio file
  --room ID           room, in the key rooms/ID/... (default room-001)
  --user ID           the uploader (user-id metadata), who is not sent it
  --duration MS       duration metadata, in milliseconds
  --key KEY           object key (default rooms/ROOM/<time>-<file name>)
  --viewer-port N     the stack's viewer port (env VIEWER_PORT, default 8053)
`;

const CONTENT_TYPES: Record<string, string> = {
  '.opus': 'audio/ogg',
  '.ogg': 'audio/ogg',
  '.mp3': 'audio/mpeg',
  '.m4a': 'audio/mp4',
  '.flac': 'audio/flac',
  '.wav': 'audio/wav',
  '.webm': 'audio/webm',
};

interface StackInfo {
  s3Endpoint: string;
  buckets: string[];
  region: string;
  s3Credentials: { accessKeyId: string; secretAccessKey: string };
}

runCommand(async () => {
  const { values } = parseArgs({
    options: {
      file: { type: 'string' },
      room: { type: 'string', default: 'room-001' },
      user: { type: 'string' },
      duration: { type: 'string' },
      key: { type: 'string' },
      'viewer-port': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  if (!values.file) throw new UsageError(`--file is needed\n\n${USAGE}`);

  const info = (await callStack(
    stackUrl(values['viewer-port']),
    'GET',
    'api/stack',
  )) as StackInfo;
  const bucket = info.buckets[0];
  if (!bucket) throw new UsageError('the stack has no bucket');

  const key =
    values.key ?? `rooms/${values.room}/${Date.now()}-${basename(values.file)}`;
  const s3 = new S3Client({
    endpoint: info.s3Endpoint,
    forcePathStyle: true,
    region: info.region,
    credentials: info.s3Credentials,
  });
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: key,
      Body: await readFile(values.file),
      ContentType:
        CONTENT_TYPES[extname(values.file).toLowerCase()] ??
        'application/octet-stream',
      Metadata: {
        ...(values.user && { 'user-id': values.user }),
        ...(values.duration && { duration: values.duration }),
      },
    }),
  );
  s3.destroy();
  process.stdout.write(`uploaded s3://${bucket}/${key}\n`);
});
