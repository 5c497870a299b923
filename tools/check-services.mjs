// ./run's reachability check: one clear line per unreachable service, naming the URL (password
// masked) and how to start it. Usage: node tools/check-services.mjs redis postgres
import net from 'node:net';

const DEFAULTS = {
  redis: process.env.REDIS_URL || 'redis://127.0.0.1:6379',
  postgres: process.env.DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/wabot',
};
const HOW = {
  redis:
    'start it with `docker compose up -d redis`, or locally: redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no',
  postgres:
    'start it with `docker compose up -d postgres`, or locally: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start',
};

const mask = (value) => {
  try {
    const u = new URL(value);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '<invalid url>';
  }
};

function reachable(value, fallbackPort) {
  return new Promise((resolve) => {
    let url;
    try {
      url = new URL(value);
    } catch {
      return resolve('is not a valid URL');
    }
    const host = url.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1';
    const socket = net.connect({ host, port: Number(url.port || fallbackPort) });
    const done = (why) => {
      socket.destroy();
      resolve(why);
    };
    socket.setTimeout(3000, () => done('timed out'));
    socket.once('connect', () => done(null));
    socket.once('error', (e) => done(e.code ?? e.message));
  });
}

const wanted = process.argv.slice(2);
let failed = false;
for (const name of wanted) {
  const url = DEFAULTS[name];
  const why = await reachable(url, name === 'redis' ? 6379 : 5432);
  if (why) {
    failed = true;
    const label = name === 'redis' ? 'Redis' : 'PostgreSQL';
    console.error(`[run] ${label} is not reachable at ${mask(url)} (${why}): ${HOW[name]}`);
  }
}
process.exit(failed ? 1 : 0);
