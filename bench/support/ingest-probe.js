'use strict';
/**
 * Bench-only preload for the compiled app (`node --require bench/support/ingest-probe.js
 * dist/src/main.js`, spawned with an IPC channel). Never loaded in production or in the
 * measured rounds: it exists to explain a round, not to time it.
 *
 * - counts PostgreSQL queries (pg Client#query, which TypeORM and pg-pool go through), by the
 *   statement's first words;
 * - counts Redis commands and round trips (ioredis Redis#sendCommand; a pipeline's commands
 *   share one round trip), by command name;
 * - event-loop utilization since the last reset;
 * - starts/stops the V8 CPU profiler (the one `node --cpu-prof` uses) around a round, so
 *   the profile holds the round and not the boot.
 *
 * IPC messages: {cmd:'reset'} | {cmd:'counters'} | {cmd:'profile-start', intervalUs} |
 * {cmd:'profile-stop', file}; every answer is {id, result}.
 */
const { writeFileSync } = require('node:fs');
const { Session } = require('node:inspector');
const { performance } = require('node:perf_hooks');
const pg = require('pg');
const IORedis = require('ioredis');

let pgQueries = 0;
const pgByStatement = Object.create(null);
let redisCommands = 0;
let redisRoundTrips = 0;
const redisByCommand = Object.create(null);
let pipelines = new WeakSet();
let eluStart = performance.eventLoopUtilization();

const kinds = new Map();
/** Cached per SQL text: the app sends the same few statements again and again. */
function statementKind(sql) {
  if (typeof sql !== 'string') return '(prepared/other)';
  let kind = kinds.get(sql);
  if (kind === undefined) {
    kind = describeStatement(sql);
    if (kinds.size < 1000) kinds.set(sql, kind);
  }
  return kind;
}

function describeStatement(sql) {
  const words = sql.replace(/\s+/g, ' ').trim().split(' ');
  const first = (words[0] || '').toUpperCase();
  // INSERT INTO x / UPDATE x / DELETE FROM x / SELECT … FROM x: name the table too.
  if (first === 'INSERT' || first === 'DELETE') return `${first} ${words[2] || ''}`;
  if (first === 'UPDATE') return `${first} ${words[1] || ''}`;
  if (first === 'SELECT') {
    const from = words.findIndex((w) => w.toUpperCase() === 'FROM');
    return from > 0 ? `SELECT … FROM ${words[from + 1]}` : `SELECT ${words.slice(1, 3).join(' ')}`;
  }
  return first;
}

const originalQuery = pg.Client.prototype.query;
pg.Client.prototype.query = function countedQuery(config, ...rest) {
  pgQueries++;
  const kind = statementKind(typeof config === 'string' ? config : config && config.text);
  pgByStatement[kind] = (pgByStatement[kind] || 0) + 1;
  return originalQuery.call(this, config, ...rest);
};

const RedisClass = IORedis.Redis || IORedis.default || IORedis;
const originalSend = RedisClass.prototype.sendCommand;
RedisClass.prototype.sendCommand = function countedSend(command, stream, ...rest) {
  redisCommands++;
  const name = String((command && command.name) || '?').toLowerCase();
  redisByCommand[name] = (redisByCommand[name] || 0) + 1;
  if (stream && stream.isPipeline) {
    if (!pipelines.has(stream)) {
      pipelines.add(stream);
      redisRoundTrips++;
    }
  } else {
    redisRoundTrips++;
  }
  return originalSend.call(this, command, stream, ...rest);
};

let session;
function post(method, params) {
  return new Promise((resolve, reject) =>
    session.post(method, params || {}, (err, result) => (err ? reject(err) : resolve(result))),
  );
}

const handlers = {
  reset() {
    pgQueries = 0;
    redisCommands = 0;
    redisRoundTrips = 0;
    for (const k of Object.keys(pgByStatement)) delete pgByStatement[k];
    for (const k of Object.keys(redisByCommand)) delete redisByCommand[k];
    pipelines = new WeakSet();
    eluStart = performance.eventLoopUtilization();
    return true;
  },
  counters() {
    return {
      pgQueries,
      pgByStatement: { ...pgByStatement },
      redisCommands,
      redisRoundTrips,
      redisByCommand: { ...redisByCommand },
      eventLoopUtilization: performance.eventLoopUtilization(eluStart).utilization,
    };
  },
  async 'profile-start'(m) {
    session = new Session();
    session.connect();
    await post('Profiler.enable');
    await post('Profiler.setSamplingInterval', { interval: m.intervalUs || 1000 });
    await post('Profiler.start');
    return true;
  },
  async 'profile-stop'(m) {
    const { profile } = await post('Profiler.stop');
    session.disconnect();
    writeFileSync(m.file, JSON.stringify(profile));
    return m.file;
  },
};

process.on('message', (m) => {
  const handler = m && handlers[m.cmd];
  if (!handler) return;
  Promise.resolve(handler(m)).then(
    (result) => process.send({ id: m.id, result }),
    (err) => process.send({ id: m.id, result: { error: String(err) } }),
  );
});
