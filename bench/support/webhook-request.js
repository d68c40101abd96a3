'use strict';
/**
 * autocannon `setupRequest` for bench/webhook.bench.ts. It runs inside autocannon's worker
 * thread (workers mode takes a file path, and that thread has no ts-node), hence plain
 * CommonJS. Every call builds a fresh Meta-style body and signs its exact bytes.
 *
 * The scenario travels on the request object itself (`req.bench`, structured-cloned into the
 * worker):
 *   template       JSON body with "__WAMID__", "__FROM__" and "__TEXT__" placeholders
 *   mode           'unique' (new wamid each request), 'duplicate' (always the same body) or
 *                  'bad-signature' (unique body, signed with the wrong secret → 401)
 *   wamidPrefix    unique per scenario, so no two requests of a run share a wamid
 *   senders/texts  rotated per request (every sender is a tenant owner, so messages are kept)
 */
const { createHmac } = require('node:crypto');
const { threadId } = require('node:worker_threads');

let seq = 0;

module.exports = function setupRequest(req) {
  const b = req.bench;
  const n = seq++;
  let wamid;
  let from;
  let text;
  if (b.mode === 'duplicate') {
    wamid = b.duplicateWamid;
    from = b.senders[0];
    text = b.texts[0];
  } else {
    wamid = `${b.wamidPrefix}${threadId.toString(36)}x${n.toString(36).padStart(8, '0')}`;
    from = b.senders[n % b.senders.length];
    text = b.texts[n % b.texts.length];
  }
  const body = b.template
    .replace('__WAMID__', wamid)
    .replaceAll('__FROM__', from)
    .replace('"__TEXT__"', JSON.stringify(text));
  const secret = b.mode === 'bad-signature' ? b.badSecret : b.secret;
  req.body = body;
  req.headers['Content-Type'] = 'application/json';
  req.headers['X-Hub-Signature-256'] =
    `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
  return req;
};
