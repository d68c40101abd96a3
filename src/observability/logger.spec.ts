import { AxiosError, AxiosHeaders } from 'axios';
import pino from 'pino';
import { Writable } from 'node:stream';
import { QueryFailedError } from 'typeorm';
import { parseEnv } from '../config/env.schema';
import { withCorrelation } from './log-context';
import { loggerParams } from './logger';
import { serializeError } from './log-serializers';

/** A pino logger built from the app's own options, writing lines to an array. */
function capture(): { logger: pino.Logger; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  const params = loggerParams(parseEnv(process.env)).pinoHttp as pino.LoggerOptions;
  const logger = pino({ ...params, level: 'info' }, stream);
  return {
    logger,
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

const PHONE = '5215512345678';
const SECRET = 'sk-or-v1-supersecret';

function queryFailed(): QueryFailedError {
  const driver = Object.assign(new Error('duplicate key value violates unique constraint'), {
    code: '23505',
    detail: `Key (wa_id)=(${PHONE}) already exists.`,
  });
  return new QueryFailedError('INSERT INTO tenant_users (wa_id) VALUES ($1)', [PHONE], driver);
}

function axiosFailed(): AxiosError {
  const config = {
    url: `https://graph.facebook.com/v21.0/123/messages?access_token=${SECRET}`,
    headers: new AxiosHeaders({ Authorization: `Bearer ${SECRET}` }),
  };
  return new AxiosError(
    'Request failed with status code 400',
    'ERR_BAD_REQUEST',
    config,
    {},
    {
      status: 400,
      statusText: 'Bad Request',
      headers: {},
      config,
      data: { error: { message: `to ${PHONE}` } },
    },
  );
}

describe('log serialization', () => {
  it('drops SQL parameters, the query and the driver error, keeps the SQLSTATE', () => {
    const out = JSON.stringify(serializeError(queryFailed()));
    expect(out).not.toContain(PHONE);
    expect(out).not.toContain('INSERT INTO');
    expect(serializeError(queryFailed())).toMatchObject({
      type: 'QueryFailedError',
      sqlState: '23505',
    });
  });

  it('drops an HTTP client config, request and response body, keeps the status', () => {
    const out = serializeError(axiosFailed());
    expect(JSON.stringify(out)).not.toContain(SECRET);
    expect(JSON.stringify(out)).not.toContain(PHONE);
    expect(out).toMatchObject({ type: 'AxiosError', code: 'ERR_BAD_REQUEST', status: 400 });
  });

  it('a logged line redacts nested secrets and serializes errors, at any depth', () => {
    const { logger, lines } = capture();
    logger.error({ err: queryFailed() }, 'query failed');
    logger.warn({ call: { gateway: { options: { apiKey: SECRET, nested: { token: SECRET } } } } });
    logger.error({ context: { failures: [{ cause: axiosFailed() }] } });
    const text = JSON.stringify(lines());
    expect(lines()).toHaveLength(3);
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(PHONE);
    expect(lines()[0].err).toMatchObject({ type: 'QueryFailedError', sqlState: '23505' });
    expect(lines()[1]).toMatchObject({
      call: { gateway: { options: { apiKey: '[redacted]', nested: { token: '[redacted]' } } } },
    });
  });

  it('lines written while a message is answered carry its inbound wamid', async () => {
    const { logger, lines } = capture();
    await withCorrelation('wamid.ABC', async () => {
      await new Promise((r) => setTimeout(r, 1));
      logger.info({ event: 'llm_call', model: 'm' });
    });
    logger.info('outside');
    expect(lines()[0]).toMatchObject({ event: 'llm_call', wamid: 'wamid.ABC' });
    expect(lines()[1].wamid).toBeUndefined();
  });
});
