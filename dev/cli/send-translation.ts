import { parseArgs } from 'node:util';
import { runCommand, UsageError } from '../cli-support.js';
import { callStack, stackUrl } from '../stack-client.js';

const USAGE = `Usage: npm run send:translation -- (--user ID | --room ID) --text TEXT [options]

Sends one translation result to the local translation queue.

  --user ID           push to this user
  --room ID           push to everyone in this room
  --text TEXT         the translated text
  --source LANG       source language (default en-US)
  --target LANG       target language (default zh-CN)
  --segment ID        segmentId; --final marks the segment's last result
  --message-id ID     messageId, so clients can drop repeats
  --body JSON         send this body as it is, instead of the options above
  --viewer-port N     the stack's viewer port (env VIEWER_PORT, default 8053)
`;

runCommand(async () => {
  const { values } = parseArgs({
    options: {
      user: { type: 'string' },
      room: { type: 'string' },
      text: { type: 'string' },
      source: { type: 'string', default: 'en-US' },
      target: { type: 'string', default: 'zh-CN' },
      segment: { type: 'string' },
      final: { type: 'boolean' },
      'message-id': { type: 'string' },
      body: { type: 'string' },
      'viewer-port': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  if (!values.body && (!values.text || !(values.user || values.room))) {
    throw new UsageError(`--text and --user or --room are needed\n\n${USAGE}`);
  }

  const body =
    values.body ??
    JSON.stringify({
      ...(values.user && { userId: values.user }),
      ...(values.room && { roomId: values.room }),
      text: values.text,
      sourceLanguage: values.source,
      targetLanguage: values.target,
      ...(values.segment && { segmentId: values.segment }),
      ...(values.final && { final: true }),
      ...(values['message-id'] && { messageId: values['message-id'] }),
    });
  const answer = await callStack(
    stackUrl(values['viewer-port']),
    'POST',
    'translations',
    body,
  );
  process.stdout.write(`${JSON.stringify(answer)}\n`);
});
