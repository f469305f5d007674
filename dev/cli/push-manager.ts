import { parseArgs } from 'node:util';
import { portSetting, runCommand, stopOnSignal } from '../cli-support.js';
import {
  DEFAULT_PUSH_MANAGER_PORT,
  DEFAULT_VIEWER_PORT,
  startDevPushManager,
} from '../push-manager/dev-push-manager.js';
import { createTerminalLog } from '../terminal-log.js';

const USAGE = `Usage: npm run dev:push-manager -- [options]

Starts the dev Push-Manager and its viewer page alone.

  --push-manager-port N  gRPC port (env PUSH_MANAGER_PORT, default ${DEFAULT_PUSH_MANAGER_PORT})
  --viewer-port N        viewer page port (env VIEWER_PORT, default ${DEFAULT_VIEWER_PORT})
`;

runCommand(async () => {
  const { values } = parseArgs({
    options: {
      'push-manager-port': { type: 'string' },
      'viewer-port': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }

  const log = createTerminalLog();
  const pushManager = await startDevPushManager({
    grpcPort: portSetting(
      values['push-manager-port'],
      'PUSH_MANAGER_PORT',
      DEFAULT_PUSH_MANAGER_PORT,
    ),
    viewerPort: portSetting(
      values['viewer-port'],
      'VIEWER_PORT',
      DEFAULT_VIEWER_PORT,
    ),
    log,
  });
  log.info('push-manager', `gRPC on ${pushManager.address}`);
  log.info('viewer', `open ${pushManager.viewerUrl}`);

  stopOnSignal(async () => {
    log.info('push-manager', 'stopping');
    await pushManager.stop();
  });
});
