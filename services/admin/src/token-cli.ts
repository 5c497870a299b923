import { parseArgs } from 'node:util';
import { signDevToken } from './auth/sign-dev-token.js';
import { loadTokenCliConfig } from './config.js';

const USAGE = 'usage: ./run token --sub <user id> [--ttl <seconds, default 3600>]\n';

/**
 * `./run token --sub <user>`: prints an HS256 admin JWT signed with JWT_SECRET (`./run` sets this
 * installation's key) and nothing else on stdout. Bad usage → message on stderr, exit 2.
 */
async function main(argv: string[]): Promise<number> {
  let values: { sub?: string | undefined; ttl?: string | undefined; help?: boolean | undefined };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { sub: { type: 'string' }, ttl: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
    }));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    process.stderr.write(USAGE);
    return 0;
  }
  const sub = values.sub?.trim();
  const ttl = values.ttl === undefined ? 3600 : Number(values.ttl);
  if (!sub || !Number.isInteger(ttl) || ttl <= 0) {
    process.stderr.write(USAGE);
    return 2;
  }
  const config = loadTokenCliConfig();
  const token = await signDevToken({
    secret: config.jwtSecret,
    sub,
    ttlSeconds: ttl,
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
  });
  process.stdout.write(`${token}\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
