// The requests the plain client sends: the same method, message type,
// payload size and metadata as the function it stands beside.
import { randomUUID } from 'node:crypto';

function content(type, data, metadata) {
  return {
    type,
    data,
    timestamp: Math.floor(Date.now() / 1000),
    metadata: { ...metadata, message_id: randomUUID() },
  };
}

const BUILDERS = {
  PushToUser: (data) => ({
    user_id: 'user-bench-1',
    content: content('TRANSLATION', data, {
      language: 'zh-CN',
      source: 'en-US',
    }),
  }),
  PushToRoom: (data) => ({
    room_id: 'room-bench-1',
    content: content('AUDIO', data, { format: 'wav', duration: '1000' }),
    exclude_user_ids: ['user-bench-uploader'],
  }),
  BroadcastMessage: (data) => ({
    content: content('SYSTEM', data, { priority: 'high' }),
  }),
};

/** A request for `method` carrying `dataBytes` bytes of payload. */
export function plainRequest(method, dataBytes) {
  const build = BUILDERS[method];
  if (!build) throw new Error(`no plain request for method ${method}`);
  return build(Buffer.alloc(dataBytes, 0x61));
}
