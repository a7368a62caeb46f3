// `npm run test:busy`: the whole suite (`npm test`) with one busy-loop process per core beside
// it, as on a CI machine shared with another job. Its verdicts must be those of an idle run; only
// its time may grow. The loops are stopped by their own pids when the suite ends or on Ctrl-C.
// `-- <args>` go to vitest (`npm run test:busy -- tests/hardening/load.test.ts`).
import { type ChildProcess, spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';

/** One process spinning on a core until it is killed. */
const busyLoop = (): ChildProcess =>
  spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });

const loops = Array.from({ length: availableParallelism() }, busyLoop);
const stopLoops = () => {
  for (const loop of loops) if (loop.exitCode === null) loop.kill('SIGKILL');
};
process.stdout.write(`test:busy: ${loops.length} busy-loop processes beside the suite\n`);

const args = process.argv.slice(2);
const suite = spawn('npm', ['test', ...(args.length > 0 ? ['--', ...args] : [])], {
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    suite.kill(signal);
    stopLoops();
  });
}
suite.on('exit', (code, signal) => {
  stopLoops();
  process.exitCode = code ?? (signal === 'SIGINT' ? 130 : 143);
});
