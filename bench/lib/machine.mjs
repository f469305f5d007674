import { cpus, loadavg, release, totalmem, type } from 'node:os';

/** What the numbers were measured on. */
export function describeMachine() {
  const processors = cpus();
  return {
    cpuModel: processors[0]?.model.trim() ?? 'unknown',
    cores: processors.length,
    totalMemoryMb: Math.round(totalmem() / 1024 / 1024),
    os: `${type()} ${release()}`,
    node: process.version,
    loadAverage1m: loadavg()[0],
  };
}
