import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { loadPushManagerService } from '../lib/push-service.js';

const fixture = (name: string) =>
  fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

describe('loadPushManagerService', () => {
  it('loads the shipped contract without reading .proto text', () => {
    const service = loadPushManagerService();

    expect(Object.keys(service).sort()).toEqual([
      'BroadcastMessage',
      'PushToRoom',
      'PushToUser',
    ]);
    expect(service.PushToRoom?.path).toBe(
      '/pushmanager.PushManagerService/PushToRoom',
    );
  });

  it('finds PushManagerService by name in whatever package declares it', () => {
    const parsed = protobuf.loadSync(fixture('other-package.proto')).toJSON();

    const service = loadPushManagerService(parsed, 'pushmanager.Gone');

    expect(service.PushToUser?.path).toBe(
      '/com.example.push.v1.PushManagerService/PushToUser',
    );
  });

  it('says what to do when the file has no PushManagerService', () => {
    const parsed = protobuf.Root.fromJSON({
      nested: { other: { nested: { Thing: { fields: {} } } } },
    }).toJSON();

    expect(() => loadPushManagerService(parsed, 'x')).toThrow(
      /declares no PushManagerService.*npm run generate/,
    );
  });

  it('has a generated descriptor that matches proto/push_manager.proto', () => {
    const script = fileURLToPath(
      new URL('../scripts/generate-proto-descriptor.mjs', import.meta.url),
    );

    const run = () =>
      execFileSync('node', [script, '--check'], { stdio: 'pipe' });

    expect(run).not.toThrow();
  });
});
