import { PortInUseError } from './ports.js';

// A stop that hangs ends the process after this.
const STOP_DEADLINE_MS = 10_000;
// `npm start` hands the child the Ctrl-C the terminal already sent it: a
// signal this soon after the first is the same one.
const REPEATED_SIGNAL_MS = 1000;

/** An option the user got wrong; printed without a stack trace. */
export class UsageError extends Error {}

/**
 * A port from `--flag`, else the environment variable, else `fallback`;
 * 0 asks for any free port.
 */
export function portSetting(
  flagValue: string | undefined,
  envName: string,
  fallback: number,
  env: NodeJS.ProcessEnv = process.env,
): number {
  const text = flagValue ?? env[envName];
  if (text === undefined || text === '') return fallback;

  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new UsageError(`${envName} must be a port (0-65535), got "${text}"`);
  }
  return port;
}

/**
 * Runs a command's main function; errors the user can fix are printed as
 * one line, anything else with its stack.
 */
export function runCommand(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    if (error instanceof PortInUseError || error instanceof UsageError) {
      process.stderr.write(`${error.message}\n`);
    } else {
      process.stderr.write(`${(error as Error).stack ?? error}\n`);
    }
    process.exitCode = 1;
  });
}

/** Stops cleanly on Ctrl-C or SIGTERM; a second signal exits at once. */
export function stopOnSignal(stop: () => Promise<void>): void {
  let firstSignalAt: number | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (firstSignalAt !== undefined) {
      if (Date.now() - firstSignalAt < REPEATED_SIGNAL_MS) return;
      process.stderr.write(`${signal} again: exiting without cleanup\n`);
      process.exit(1);
    }
    firstSignalAt = Date.now();
    setTimeout(() => {
      process.stderr.write('stopping took too long: exiting\n');
      process.exit(1);
    }, STOP_DEADLINE_MS).unref();
    stop().then(
      () => process.exit(0),
      (error: Error) => {
        process.stderr.write(`stop failed: ${error.stack}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
