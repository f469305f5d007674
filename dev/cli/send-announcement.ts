import { parseArgs } from 'node:util';
import { runCommand, UsageError } from '../cli-support.js';
import { callStack, stackUrl } from '../stack-client.js';

const USAGE = `Usage: npm run send:announcement -- --message TEXT [options]
       npm run send:announcement -- --schedule NAME

Invokes the announcement function now, as Scheduler would (asynchronously).

  --message TEXT      the announcement
  --priority P        high, normal or low (default normal)
  --room ID           push to this room only; everyone when left out
  --meta KEY=VALUE    extra metadata; repeatable
  --schedule NAME     fire a schedule of serverless.yml now, with its input
  --viewer-port N     the stack's viewer port (env VIEWER_PORT, default 8053)
`;

function metadataOf(pairs: string[] = []): Record<string, string> {
  return Object.fromEntries(
    pairs.map((pair) => {
      const equals = pair.indexOf('=');
      if (equals < 1) throw new UsageError(`--meta takes KEY=VALUE: "${pair}"`);
      return [pair.slice(0, equals), pair.slice(equals + 1)];
    }),
  );
}

runCommand(async () => {
  const { values } = parseArgs({
    options: {
      message: { type: 'string' },
      priority: { type: 'string' },
      room: { type: 'string' },
      meta: { type: 'string', multiple: true },
      schedule: { type: 'string' },
      'viewer-port': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const base = stackUrl(values['viewer-port']);

  if (values.schedule) {
    const path = `schedules/fire?name=${encodeURIComponent(values.schedule)}`;
    const answer = await callStack(base, 'POST', path);
    process.stdout.write(`${JSON.stringify(answer)}\n`);
    return;
  }
  if (!values.message) {
    throw new UsageError(`--message or --schedule is needed\n\n${USAGE}`);
  }

  const metadata = metadataOf(values.meta);
  const input = {
    message: values.message,
    ...(values.priority && { priority: values.priority }),
    ...(values.room && { roomId: values.room }),
    ...(Object.keys(metadata).length > 0 && { metadata }),
  };
  const answer = await callStack(
    base,
    'POST',
    'announcements',
    JSON.stringify(input),
  );
  process.stdout.write(`${JSON.stringify(answer)}\n`);
});
