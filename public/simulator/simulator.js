// The WhatsApp simulator: a phone that talks to the app through the real webhook (signed by
// the server, /demo/messages) and shows what the app sent to the (fake) Graph API, streamed
// from /demo/events. Messages render generically by their Graph API type, so new interactive
// kinds (buttons, lists, whatever comes next) show up and stay tappable without changes here.
'use strict';

const $ = (id) => document.getElementById(id);
const chat = $('chat');
const state = {
  info: null,
  /** wamid → { el, dir, text, ticks } for every bubble. */
  bubbles: new Map(),
  /** Owner questions waiting for their answer details: wamid → { card, tries }. */
  pending: new Map(),
  lastDay: null,
};

const LEVELS = {
  direct: 'directa (sin LLM)',
  1: 'nivel 1: modelo principal',
  '1b': 'nivel 1b: modelo de respaldo',
  2: 'nivel 2: respuesta predefinida con cifras reales',
  3: 'nivel 3: error amable',
};
const DECIDED = { rules: 'reglas', learned: 'modelo aprendido', llm: 'LLM' };
const REACTIONS = ['👍', '❤️', '😂', '😮', '🙏'];

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c !== null && c !== undefined)
      node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

/** WhatsApp's light formatting (*bold*, _italic_, ~strike~, ```mono```) on escaped text. */
function formatted(text) {
  const span = el('span', { class: 'text' });
  const re = /(\*[^*\n]+\*|_[^_\n]+_|~[^~\n]+~|```[^`]+```)/g;
  let last = 0;
  for (const m of String(text).matchAll(re)) {
    span.append(text.slice(last, m.index));
    const t = m[0];
    const tag = t.startsWith('```') ? 'code' : { '*': 'b', _: 'i', '~': 's' }[t[0]];
    const inner = t.startsWith('```') ? t.slice(3, -3) : t.slice(1, -1);
    span.append(el(tag, {}, inner));
    last = m.index + t.length;
  }
  span.append(text.slice(last));
  return span;
}

function clock(ms) {
  return new Date(ms).toLocaleTimeString('es-MX', { hour: '2-digit', minute: '2-digit' });
}

function dayMarker(ms) {
  const day = new Date(ms).toLocaleDateString('es-MX', {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
  });
  if (day !== state.lastDay) {
    state.lastDay = day;
    chat.append(el('div', { class: 'day' }, day));
  }
}

function scrollDown() {
  chat.scrollTop = chat.scrollHeight;
}

async function api(method, path, body) {
  const res = await fetch(path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(data.message || `${method} ${path}: ${res.status}`);
  return data;
}

function sender() {
  return document.querySelector('input[name=sender]:checked').value;
}

// --- the owner's side ---------------------------------------------------------------------

function outgoingBubble(content, label, extra) {
  dayMarker(Date.now());
  const ticks = el('span', { class: 'ticks', 'aria-label': 'enviando' }, '🕓');
  const who = sender();
  const name = state.info?.shop.people.find((p) => p.role === who)?.name;
  const bubble = el(
    'div',
    { class: 'msg out', 'data-testid': 'msg-out' },
    who === 'employee' ? el('div', { class: 'sender' }, `${name} (empleado)`) : null,
    content,
    extra,
    el('div', { class: 'meta' }, clock(Date.now()), ticks),
  );
  chat.append(bubble);
  scrollDown();
  return { bubble, ticks, label };
}

function setTicks(entry, kind) {
  const order = { sending: 0, sent: 1, delivered: 2, read: 3, failed: 4 };
  if (entry.tickKind && order[entry.tickKind] >= order[kind] && kind !== 'failed') return;
  entry.tickKind = kind;
  entry.ticks.className = `ticks ${kind === 'read' ? 'read' : ''}`;
  entry.ticks.textContent = { sending: '🕓', sent: '✓', delivered: '✓✓', read: '✓✓', failed: '⚠' }[
    kind
  ];
  entry.ticks.setAttribute('aria-label', kind);
  entry.ticks.dataset.state = kind;
}

/** Sends one message the way a phone would; the server signs and posts the webhook. */
async function send(message, content, label, extra) {
  const entry = outgoingBubble(content, label, extra);
  try {
    const res = await api('POST', '/demo/messages', { sender: sender(), message });
    state.bubbles.set(res.wamid, { ...entry, dir: 'out' });
    entry.bubble.dataset.wamid = res.wamid;
    if (res.webhookStatus !== 200) throw new Error(`el webhook respondió ${res.webhookStatus}`);
    setTicks(entry, 'sent');
    if (message.type !== 'reaction') track(res.wamid, label);
    return res.wamid;
  } catch (err) {
    setTicks(entry, 'failed');
    entry.bubble.append(el('div', { class: 'footer' }, `No se envió: ${err.message}`));
    return null;
  }
}

$('composer').addEventListener('submit', (e) => {
  e.preventDefault();
  const text = $('text').value.trim();
  if (!text) return;
  $('text').value = '';
  void send({ type: 'text', text: { body: text } }, formatted(text), text);
});

// --- the bot's side -----------------------------------------------------------------------

/**
 * One bubble for anything the app sent: text, interactive (any kind: its header, body,
 * footer and whatever buttons or rows its action holds), media, or a JSON fallback.
 */
function renderIncoming(event) {
  const body = event.body || {};
  if (body.type === 'reaction') {
    const target = state.bubbles.get(body.reaction?.message_id);
    if (target) setReaction(target.bubble, body.reaction.emoji);
    return;
  }
  dayMarker(event.at);
  const parts = [];
  if (body.type === 'text') parts.push(formatted(body.text?.body ?? ''));
  else if (body.type === 'interactive')
    parts.push(...interactiveParts(body.interactive || {}, event.wamid));
  else if (body[body.type] && typeof body[body.type] === 'object') {
    const media = body[body.type];
    parts.push(el('div', { class: 'header' }, `[${body.type}]`));
    if (media.caption || media.body) parts.push(formatted(media.caption || media.body));
    parts.push(
      el(
        'details',
        {},
        el('summary', {}, 'ver JSON'),
        el('pre', {}, JSON.stringify(media, null, 2)),
      ),
    );
  } else {
    parts.push(
      el(
        'details',
        { open: true },
        el('summary', {}, `mensaje ${body.type}`),
        el('pre', {}, JSON.stringify(body, null, 2)),
      ),
    );
  }
  const bubble = el(
    'div',
    { class: 'msg in', 'data-testid': 'msg-in', 'data-wamid': event.wamid, 'data-type': body.type },
    parts,
    el('div', { class: 'meta' }, clock(event.at)),
    el(
      'button',
      {
        type: 'button',
        class: 'react-btn',
        title: 'Reaccionar',
        'aria-label': 'Reaccionar',
        onclick: () => openPicker(bubble, event.wamid),
      },
      '☺',
    ),
  );
  chat.append(bubble);
  state.bubbles.set(event.wamid, { bubble, dir: 'in' });
  scrollDown();
  // The phone got it and the owner is looking at the chat: delivered, then read (real statuses).
  void api('POST', '/demo/statuses', { sender: sender(), wamid: event.wamid, status: 'delivered' })
    .then(() =>
      api('POST', '/demo/statuses', { sender: sender(), wamid: event.wamid, status: 'read' }),
    )
    .catch(() => undefined);
  for (const wamid of state.pending.keys()) void refresh(wamid);
}

function interactiveParts(i, wamid) {
  const parts = [];
  if (i.header) parts.push(el('div', { class: 'header' }, i.header.text ?? `[${i.header.type}]`));
  if (i.body?.text) parts.push(formatted(i.body.text));
  if (i.footer?.text) parts.push(el('div', { class: 'footer' }, i.footer.text));
  const action = i.action || {};
  const actions = el('div', { class: 'actions' });
  const replyTo = { from: state.info?.shop.displayPhoneNumber.replace(/\D/g, ''), id: wamid };
  // Reply buttons: any interactive whose action carries buttons.
  for (const b of action.buttons || []) {
    const reply = b.reply || b;
    actions.append(
      el(
        'button',
        {
          type: 'button',
          'data-testid': 'reply-button',
          onclick: () =>
            send(
              {
                type: 'interactive',
                interactive: {
                  type: 'button_reply',
                  button_reply: { id: reply.id, title: reply.title },
                },
                context: replyTo,
              },
              formatted(reply.title),
              reply.title,
            ),
        },
        reply.title,
      ),
    );
  }
  // Lists: any action with sections opens the sheet of rows.
  if (Array.isArray(action.sections)) {
    actions.append(
      el(
        'button',
        { type: 'button', 'data-testid': 'list-open', onclick: () => openList(action, replyTo) },
        `☰ ${action.button || 'Ver opciones'}`,
      ),
    );
  }
  // Links (cta_url) and anything else with a label: shown, never silently dropped.
  if (action.parameters?.url) {
    actions.append(
      el(
        'a',
        { href: action.parameters.url, target: '_blank', rel: 'noopener' },
        action.parameters.display_text || action.parameters.url,
      ),
    );
  }
  if (!action.buttons && !action.sections && !action.parameters && Object.keys(action).length) {
    parts.push(
      el(
        'details',
        {},
        el('summary', {}, `acción ${i.type}`),
        el('pre', {}, JSON.stringify(action, null, 2)),
      ),
    );
  }
  if (actions.childElementCount) parts.push(actions);
  return parts;
}

function openList(action, replyTo) {
  const body = $('sheet-body');
  body.replaceChildren();
  $('sheet-title').textContent = action.button || 'Opciones';
  for (const section of action.sections) {
    if (section.title) body.append(el('div', { class: 'section' }, section.title));
    for (const row of section.rows || []) {
      body.append(
        el(
          'button',
          {
            type: 'button',
            class: 'row',
            'data-testid': 'list-row',
            onclick: () => {
              closeSheet();
              const list_reply = {
                id: row.id,
                title: row.title,
                ...(row.description ? { description: row.description } : {}),
              };
              void send(
                {
                  type: 'interactive',
                  interactive: { type: 'list_reply', list_reply },
                  context: replyTo,
                },
                formatted(row.title),
                row.title,
                row.description ? el('div', { class: 'footer' }, row.description) : null,
              );
            },
          },
          row.title,
          row.description ? el('small', {}, row.description) : null,
        ),
      );
    }
  }
  $('sheet').classList.remove('hidden');
}

function closeSheet() {
  $('sheet').classList.add('hidden');
}
$('sheet-close').addEventListener('click', closeSheet);
$('sheet').addEventListener('click', (e) => {
  if (e.target === $('sheet')) closeSheet();
});

function setReaction(bubble, emoji) {
  bubble.querySelector('.reaction')?.remove();
  if (emoji) bubble.append(el('span', { class: 'reaction', 'data-testid': 'reaction' }, emoji));
}

function openPicker(bubble, wamid) {
  bubble.querySelector('.picker')?.remove();
  const picker = el('div', { class: 'picker' });
  for (const emoji of REACTIONS) {
    picker.append(
      el(
        'button',
        {
          type: 'button',
          onclick: async () => {
            picker.remove();
            setReaction(bubble, emoji);
            await api('POST', '/demo/messages', {
              sender: sender(),
              message: { type: 'reaction', reaction: { message_id: wamid, emoji } },
            }).catch(() => setReaction(bubble, null));
          },
        },
        emoji,
      ),
    );
  }
  bubble.append(picker);
}

// --- what the app sent (SSE) --------------------------------------------------------------

function onGraphEvent(event) {
  if (event.kind === 'message') {
    if (!state.bubbles.has(event.wamid)) renderIncoming(event);
  } else if (event.kind === 'read') {
    const entry = state.bubbles.get(event.messageId);
    if (entry?.dir === 'out') setTicks(entry, 'read');
    if (event.typing) showTyping();
  }
}

let typingTimer;
function showTyping() {
  $('typing').classList.remove('hidden');
  clearTimeout(typingTimer);
  // WhatsApp's indicator lasts until the reply or 25 s.
  typingTimer = setTimeout(() => $('typing').classList.add('hidden'), 25_000);
}

function connectEvents() {
  const source = new EventSource('/demo/events');
  source.onmessage = (m) => {
    const event = JSON.parse(m.data);
    if (event.kind === 'message') {
      $('typing').classList.add('hidden');
      clearTimeout(typingTimer);
    }
    onGraphEvent(event);
  };
}

// --- the side panel -----------------------------------------------------------------------

function track(wamid, label) {
  const card = el(
    'li',
    { 'data-testid': 'answer-card', 'data-wamid': wamid },
    el('div', { class: 'q' }, label),
    el('div', { class: 'muted' }, 'procesando…'),
  );
  $('answers').append(card);
  state.pending.set(wamid, { card, tries: 0 });
  setTimeout(() => void refresh(wamid), 600);
}

async function refresh(wamid) {
  const p = state.pending.get(wamid);
  if (!p || p.busy) return;
  p.busy = true;
  try {
    const d = await api('GET', `/demo/answers/${encodeURIComponent(wamid)}`);
    renderCard(p.card, d);
    $('balance').textContent = d.balance.available.toLocaleString('es-MX');
    const done =
      ['processed', 'ignored', 'failed'].includes(d.status) &&
      d.replies.every((r) => r.wamid || r.status === 'failed');
    if (done) state.pending.delete(wamid);
  } catch {
    // not stored yet
  } finally {
    p.busy = false;
  }
  if (state.pending.has(wamid) && ++p.tries < 120) setTimeout(() => void refresh(wamid), 700);
}

function renderCard(card, d) {
  const label = card.querySelector('.q').textContent;
  const rows = [
    ['estado', d.status + (d.ignoreReason ? ` (${d.ignoreReason})` : '')],
    [
      'intención',
      d.intent
        ? `${d.intent}${d.intentDecidedBy ? ` · por ${DECIDED[d.intentDecidedBy]}` : ''}`
        : '—',
    ],
    ['nivel', d.fallbackLevel ? LEVELS[d.fallbackLevel] || d.fallbackLevel : '—'],
    ['modelo', d.models.length ? d.models.join(', ') : 'ninguno'],
    [
      'tokens',
      `${d.tokensCharged.toLocaleString('es-MX')} cobrados${d.tokensTotal !== d.tokensCharged ? ` (${d.tokensTotal.toLocaleString('es-MX')} usados)` : ''}`,
    ],
    ['latencia', d.latencyMs === null ? '—' : `${(d.latencyMs / 1000).toFixed(2)} s`],
    ['balance', `${d.balance.available.toLocaleString('es-MX')} tokens`],
  ];
  card.replaceChildren(
    el('div', { class: 'q' }, label),
    el(
      'dl',
      {},
      rows.flatMap(([k, v]) => [el('dt', {}, k), el('dd', { 'data-field': k }, v)]),
    ),
  );
  card.dataset.level = d.fallbackLevel ?? '';
}

// --- voice notes --------------------------------------------------------------------------

const VOICE_NOTE_TYPE = 'audio/ogg; codecs=opus';

/**
 * What WhatsApp would send: an Ogg/Opus voice note. Chromium's MediaRecorder only records
 * WebM/Opus, so a WebM (recorded or uploaded) is remuxed to Ogg here, packets untouched
 * (webm-to-ogg.js); Ogg and anything else go as they are.
 */
async function asVoiceNote(blob) {
  const type = (blob.type || '').toLowerCase();
  const isWebm = type.startsWith('audio/webm') || type.startsWith('video/webm');
  if (!isWebm) return blob;
  const ogg = window.WebmToOgg.webmOpusToOgg(new Uint8Array(await blob.arrayBuffer()));
  return new Blob([ogg], { type: VOICE_NOTE_TYPE });
}

async function sendAudio(original, seconds) {
  const label = `🎤 Nota de voz${seconds ? ` (${seconds} s)` : ''}`;
  let blob;
  try {
    blob = await asVoiceNote(original);
  } catch (err) {
    outgoingBubble(
      el('div', {}, `${label}: no se pudo convertir a Ogg/Opus (${err.message})`),
      label,
    );
    return;
  }
  const type = (blob.type || 'audio/ogg').split(';')[0];
  const url = URL.createObjectURL(blob);
  const player = el('audio', { controls: true, src: url });
  try {
    const up = await fetch('/demo/media', {
      method: 'POST',
      headers: { 'content-type': blob.type || type },
      body: blob,
    });
    const media = await up.json();
    if (!up.ok) throw new Error(media.message || up.status);
    await send(
      { type: 'audio', audio: { id: media.id, mime_type: media.mimeType, voice: true } },
      el('div', {}, label),
      label,
      player,
    );
  } catch (err) {
    outgoingBubble(el('div', {}, `${label}: no se pudo subir (${err.message})`), label);
  }
}

$('attach').addEventListener('click', () => $('audio-file').click());
$('audio-file').addEventListener('change', () => {
  const file = $('audio-file').files[0];
  if (file) void sendAudio(file, null);
  $('audio-file').value = '';
});

let recorder = null;
$('mic').addEventListener('click', async () => {
  if (recorder) {
    recorder.stop();
    return;
  }
  if (!navigator.mediaDevices?.getUserMedia || typeof MediaRecorder === 'undefined') {
    alert('Este navegador no graba audio: sube un archivo con 📎');
    return;
  }
  try {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    // WhatsApp voice notes are Ogg/Opus: record that when the browser can (Firefox); else
    // WebM/Opus (Chromium), remuxed to Ogg before sending (asVoiceNote).
    const mimeType = ['audio/ogg;codecs=opus', 'audio/webm;codecs=opus'].find((t) =>
      MediaRecorder.isTypeSupported(t),
    );
    recorder = new MediaRecorder(stream, mimeType ? { mimeType } : {});
    const chunks = [];
    const started = Date.now();
    recorder.ondataavailable = (e) => chunks.push(e.data);
    recorder.onstop = () => {
      stream.getTracks().forEach((t) => t.stop());
      $('mic').classList.remove('recording');
      const blob = new Blob(chunks, { type: recorder.mimeType });
      recorder = null;
      void sendAudio(blob, Math.max(1, Math.round((Date.now() - started) / 1000)));
    };
    recorder.start();
    $('mic').classList.add('recording');
  } catch (err) {
    alert(`No se pudo usar el micrófono: ${err.message}`);
  }
});

// --- controls -----------------------------------------------------------------------------

for (const input of document.querySelectorAll('input[name=llm]')) {
  input.addEventListener('change', async () => {
    try {
      await api('PUT', '/demo/llm-failure', { mode: input.value });
    } catch (err) {
      alert(err.message);
    }
  });
}

async function start() {
  const info = await api('GET', '/demo/info');
  state.info = info;
  $('shop-name').textContent = info.shop.name;
  $('chat-sub').textContent = `${info.shop.displayPhoneNumber} · cuenta de empresa`;
  const owner = info.shop.people.find((p) => p.role === 'owner');
  const employee = info.shop.people.find((p) => p.role === 'employee');
  $('owner-label').textContent = `${owner?.name ?? 'Dueña'} (dueña, +${owner?.waId})`;
  if (employee) $('employee-label').textContent = `${employee.name} (empleado, +${employee.waId})`;
  $('mode-note').textContent = info.offlineLlm
    ? 'Sin conexión: contesta un modelo local falso que llama a las herramientas reales, así que cada cifra sale de la base de datos. WhatsApp también es local (una API de Graph falsa).'
    : 'Con OpenRouter de verdad (OPENROUTER_API_KEY). WhatsApp es local (una API de Graph falsa).';
  document.querySelector(`input[name=llm][value=${info.llmFailure}]`).checked = true;
  for (const input of document.querySelectorAll('#failures input'))
    input.disabled = !info.offlineLlm;
  connectEvents();
  $('text').focus();
}

void start().catch((err) => {
  $('mode-note').textContent = `No se pudo iniciar el simulador: ${err.message}`;
});
