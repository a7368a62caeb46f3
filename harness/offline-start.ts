// `npm start`: serverless-offline on this service, after checking that its two ports are free.
// A taken port would otherwise end in a raw EADDRINUSE object (and esbuild's Go dump); here it
// is one line naming the port and the flags that move it. Every argument passes through
// (`npm start -- --httpPort 3100 --lambdaPort 3102`), and a signal to this process reaches
// serverless-offline too.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { SERVERLESS_BIN } from './project/packaged.ts';

/** serverless.yml's custom.serverless-offline: where it listens unless a flag says otherwise. */
const DEFAULTS = { host: '127.0.0.1', httpPort: 3000, lambdaPort: 3002 };

/** `--name value` or `--name=value` among the arguments, as a port number. */
function portFlag(args: string[], name: string, fallback: number): number {
  for (const [index, arg] of args.entries()) {
    if (arg === `--${name}`) return Number(args[index + 1]);
    if (arg.startsWith(`--${name}=`)) return Number(arg.slice(name.length + 3));
  }
  return fallback;
}

/** Resolves to the error code when `port` cannot be listened on, else undefined. */
const taken = (host: string, port: number) =>
  new Promise<string | undefined>((resolve) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve(undefined)));
  });

const args = process.argv.slice(2);
const ports = {
  httpPort: portFlag(args, 'httpPort', DEFAULTS.httpPort),
  lambdaPort: portFlag(args, 'lambdaPort', DEFAULTS.lambdaPort),
};
for (const [flag, port] of Object.entries(ports)) {
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    process.stderr.write(`npm start: --${flag} must be a port number (1-65535)\n`);
    process.exit(2);
  }
  const code = await taken(DEFAULTS.host, port);
  if (code !== undefined) {
    const what = flag === 'httpPort' ? 'the HTTP API' : 'the Lambda invoke endpoint';
    process.stderr.write(
      `npm start: port ${port} (${what}) on ${DEFAULTS.host} is ${code === 'EADDRINUSE' ? 'taken, probably by another npm start' : `not available (${code})`}: stop it, or pick free ports: npm start -- --httpPort ${ports.httpPort + 100} --lambdaPort ${ports.lambdaPort + 100}\n`,
    );
    process.exit(1);
  }
}

const child = spawn(process.execPath, [SERVERLESS_BIN, 'offline', 'start', ...args], {
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => child.kill(signal));
}
child.on('exit', (code, signal) => {
  process.exit(code ?? (signal === 'SIGINT' ? 130 : 143));
});
