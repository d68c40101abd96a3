// The admin console: plain JS over the documented admin API (/docs). The admin token lives
// only in this page's memory (never in a URL, a cookie or storage): a reload asks again.
'use strict';

const $ = (id) => document.getElementById(id);
let token = null;
let packages = [];
const money = new Intl.NumberFormat('es-MX', { style: 'currency', currency: 'MXN' });
const int = new Intl.NumberFormat('es-MX');
const usd = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  maximumFractionDigits: 4,
});
const when = (v) =>
  v ? new Date(v).toLocaleString('es-MX', { dateStyle: 'short', timeStyle: 'short' }) : '—';

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

class ApiError extends Error {
  constructor(status, body) {
    super(body?.message || `HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
  /** The message and each field's reason, as the admin API reports them. */
  detail() {
    const errors = (this.body?.errors || []).map((e) => `• ${e.field}: ${e.reason}`);
    return [this.message, ...errors].join('\n');
  }
}

/** One admin API call with the in-memory token; a 401 sends the admin back to the sign-in. */
async function api(method, path, body, contentType = 'application/json') {
  const headers = { authorization: `Bearer ${token}` };
  if (body !== undefined) headers['content-type'] = contentType;
  const res = await fetch(path, {
    method,
    headers,
    body:
      body === undefined
        ? undefined
        : contentType === 'application/json'
          ? JSON.stringify(body)
          : body,
  });
  const text = await res.text();
  let data;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = { message: text };
  }
  if (res.status === 401 && path !== '/admin/packages') {
    signOut('La sesión ya no es válida: vuelve a entrar.');
  }
  if (!res.ok) throw new ApiError(res.status, data);
  return { status: res.status, data };
}

// --- sign in ------------------------------------------------------------------------------

$('login-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  $('login-error').textContent = '';
  token = $('token').value.trim();
  try {
    packages = (await api('GET', '/admin/packages')).data;
  } catch (err) {
    token = null;
    $('login-error').textContent =
      err.status === 401 ? 'Token incorrecto.' : `No se pudo entrar: ${err.message}`;
    return;
  }
  $('token').value = '';
  $('login').classList.add('hidden');
  $('app').classList.remove('hidden');
  if (!location.hash) location.hash = '#/shops';
  else void route();
  void refreshPendingCount();
});

function signOut(message = '') {
  token = null;
  $('app').classList.add('hidden');
  $('login').classList.remove('hidden');
  $('login-error').textContent = message;
  $('view').replaceChildren();
}
$('logout').addEventListener('click', () => signOut());

window.addEventListener('hashchange', () => void route());

async function route() {
  if (!token) return;
  const [, page, id] = location.hash.split('/');
  const view = $('view');
  view.replaceChildren(el('p', { class: 'muted' }, 'Cargando…'));
  try {
    if (page === 'shop' && id) await shopView(view, id);
    else if (page === 'requests') await requestsView(view);
    else if (page === 'failed') await failedView(view);
    else await shopsView(view);
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return;
    view.replaceChildren(
      el('p', { class: 'error' }, err instanceof ApiError ? err.detail() : String(err)),
    );
  }
}

// --- shops --------------------------------------------------------------------------------

async function shopsView(view) {
  const { data } = await api('GET', '/admin/tenants?limit=200');
  const rows = data.items.map((t) =>
    el(
      'tr',
      { 'data-testid': 'shop-row' },
      el('td', {}, el('a', { class: 'link', href: `#/shop/${t.id}` }, t.name)),
      el(
        'td',
        {},
        t.users
          .filter((u) => u.role === 'owner')
          .map((u) => u.waId)
          .join(', '),
      ),
      el(
        'td',
        {},
        t.channels.map((c) => c.displayPhoneNumber || c.phoneNumberId).join(', ') || '—',
      ),
      el('td', { class: 'num' }, int.format(t.balance.available)),
      el('td', {}, t.status),
      el('td', {}, when(t.createdAt)),
    ),
  );
  const result = el('p', { class: 'error', role: 'alert' });
  const form = el(
    'form',
    { class: 'form-row', id: 'create-shop', autocomplete: 'off' },
    el('label', {}, 'Nombre', el('input', { name: 'name', required: true, maxlength: 120 })),
    el(
      'label',
      {},
      'WhatsApp de la dueña o dueño',
      el('input', {
        name: 'ownerWaId',
        required: true,
        placeholder: '+52 55 1234 5678',
        pattern: '[+0-9 ()-]{8,25}',
        title: 'Número con lada del país, p. ej. +52 55 1234 5678',
      }),
    ),
    el(
      'label',
      {},
      'phone_number_id del negocio',
      el('input', {
        name: 'phoneNumberId',
        placeholder: 'opcional, de Meta',
        pattern: '[0-9]{1,32}',
        title: 'Solo dígitos (el phone_number_id de Meta)',
      }),
    ),
    el(
      'label',
      {},
      'Zona horaria',
      el(
        'select',
        { name: 'timezone' },
        [
          'America/Mexico_City',
          'America/Monterrey',
          'America/Cancun',
          'America/Chihuahua',
          'America/Hermosillo',
          'America/Tijuana',
        ].map((z) => el('option', {}, z)),
      ),
    ),
    el('button', { class: 'primary', type: 'submit' }, 'Crear tienda'),
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    result.textContent = '';
    const f = new FormData(form);
    const body = {
      name: f.get('name'),
      ownerWaId: f.get('ownerWaId'),
      timezone: f.get('timezone'),
    };
    if (f.get('phoneNumberId')) body.phoneNumberId = f.get('phoneNumberId');
    try {
      const { data: shop } = await api('POST', '/admin/tenants', body);
      location.hash = `#/shop/${shop.id}`;
    } catch (err) {
      result.textContent = err instanceof ApiError ? err.detail() : String(err);
    }
  });
  view.replaceChildren(
    el('section', { class: 'card' }, el('h2', {}, 'Nueva tienda'), form, result),
    el(
      'section',
      { class: 'card' },
      el('h2', {}, `Tiendas (${data.items.length})`),
      el(
        'table',
        {},
        el(
          'thead',
          {},
          el(
            'tr',
            {},
            ['Nombre', 'Dueño', 'Número del negocio', 'Tokens', 'Estado', 'Alta'].map((h, i) =>
              el('th', { class: i === 3 ? 'num' : null }, h),
            ),
          ),
        ),
        el('tbody', {}, rows),
      ),
    ),
  );
}

async function shopView(view, id) {
  const { data: shop } = await api('GET', `/admin/tenants/${id}`);
  const balanceBox = el('div', { class: 'stats', id: 'balance' });
  const renderBalance = (b) =>
    balanceBox.replaceChildren(
      stat(int.format(b.available), 'tokens disponibles', 'balance-available'),
      stat(int.format(b.reserved), 'reservados'),
      stat(int.format(b.lifetimePurchased), 'comprados en total'),
      stat(int.format(b.lifetimeUsed), 'usados en total'),
    );
  renderBalance(shop.balance);
  const reloadBalance = async () =>
    renderBalance((await api('GET', `/admin/tenants/${id}/balance`)).data);
  const usage = await usageCard(shop);
  const ledger = await ledgerCard(shop);

  view.replaceChildren(
    el(
      'section',
      { class: 'card' },
      el('h2', { 'data-testid': 'shop-name' }, shop.name),
      el(
        'p',
        { class: 'muted' },
        `id ${shop.id} · ${shop.timezone} · ${shop.status} · `,
        shop.users.map((u) => `${u.role === 'owner' ? 'dueño' : 'empleado'} ${u.waId}`).join(', '),
        shop.channels.length
          ? ` · negocio ${shop.channels.map((c) => c.displayPhoneNumber || c.phoneNumberId).join(', ')}`
          : '',
      ),
      balanceBox,
    ),
    el(
      'div',
      { class: 'grid' },
      sellCard(shop, reloadBalance),
      importCard(shop),
      llmCard(shop),
      settingsCard(shop),
    ),
    usage,
    ledger,
  );
  // Drawn once in the page, so the chart takes the card's real width.
  usage.draw();
}

function stat(value, label, testid) {
  return el(
    'div',
    { class: 'stat' },
    el('b', { 'data-testid': testid }, value),
    el('span', {}, label),
  );
}

function packageOptions() {
  return packages
    .filter((p) => p.active !== false)
    .map((p) =>
      el(
        'option',
        { value: p.code },
        `${p.name}: ${int.format(p.tokens)} tokens · ${money.format(p.priceCents / 100)}`,
      ),
    );
}

function sellCard(shop, reloadBalance) {
  const out = el('p', { class: 'ok', 'data-testid': 'sell-result', role: 'status' });
  const form = el(
    'form',
    { class: 'form-row', id: 'sell', autocomplete: 'off' },
    el('label', {}, 'Paquete', el('select', { name: 'packageCode' }, packageOptions())),
    el(
      'label',
      {},
      'Referencia del pago',
      el('input', {
        name: 'paymentRef',
        required: true,
        maxlength: 200,
        placeholder: 'p. ej. SPEI 12345',
      }),
    ),
    el('button', { class: 'primary', type: 'submit' }, 'Vender'),
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    out.className = 'ok';
    const f = new FormData(form);
    try {
      const { status, data } = await api('POST', `/admin/tenants/${shop.id}/purchases`, {
        packageCode: f.get('packageCode'),
        paymentRef: String(f.get('paymentRef')).trim(),
      });
      out.textContent =
        (status === 201
          ? `Acreditado: ${int.format(data.purchase.tokens)} tokens (pago ${data.purchase.paymentRef}).`
          : `Ese pago ya estaba acreditado (${data.purchase.paymentRef}): no se acreditó otra vez.`) +
        ` Balance: ${int.format(data.balance.available)} tokens.`;
      out.dataset.status = String(status);
      await reloadBalance();
    } catch (err) {
      out.className = 'error';
      out.textContent = err instanceof ApiError ? err.detail() : String(err);
    }
  });
  return el('section', { class: 'card' }, el('h3', {}, 'Vender un paquete'), form, out);
}

function importCard(shop) {
  const out = el('p', { class: 'ok', role: 'status', 'data-testid': 'import-result' });
  const input = el('input', { type: 'file', accept: '.csv,text/csv', name: 'csv' });
  const form = el(
    'form',
    { class: 'form-row' },
    el('label', {}, 'Archivo CSV', input),
    el('button', { class: 'primary', type: 'submit' }, 'Importar'),
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    out.className = 'ok';
    const file = input.files[0];
    if (!file) return;
    try {
      const { data } = await api(
        'POST',
        `/admin/tenants/${shop.id}/products/import`,
        await file.text(),
        'text/csv',
      );
      out.textContent = `${data.created} productos nuevos, ${data.updated} actualizados.`;
    } catch (err) {
      out.className = 'error';
      out.textContent = err instanceof ApiError ? err.detail() : String(err);
    }
  });
  return el(
    'section',
    { class: 'card' },
    el('h3', {}, 'Catálogo (CSV)'),
    el(
      'p',
      { class: 'muted' },
      'Columnas: ',
      el('code', {}, 'nombre,precio,costo,existencias,minimo,unidad,alias'),
      ' (precios en pesos; alias separados por |).',
    ),
    form,
    out,
  );
}

function llmCard(shop) {
  const out = el('p', { class: 'ok', role: 'status', 'data-testid': 'llm-result' });
  const box = el(
    'section',
    { class: 'card' },
    el('h3', {}, 'LLM de la tienda'),
    el('p', { class: 'muted' }, 'Cargando…'),
  );
  const load = async () => {
    const { data: c } = await api('GET', `/admin/tenants/${shop.id}/llm-config`);
    const form = el(
      'form',
      { autocomplete: 'off', class: 'form-row' },
      el(
        'label',
        {},
        'Perfil',
        el(
          'select',
          { name: 'profile' },
          el('option', { value: '' }, '(el de la plataforma)'),
          ['balanced', 'low-latency', 'high-accuracy'].map((p) =>
            el('option', { value: p, selected: c.profile === p }, p),
          ),
        ),
      ),
      el(
        'label',
        {},
        'Modelo principal',
        el('input', {
          name: 'modelDefault',
          value: c.modelDefault ?? '',
          placeholder: '(el de la plataforma)',
        }),
      ),
      el(
        'label',
        {},
        'Respaldo (separados por coma)',
        el('input', { name: 'modelFallback', value: c.modelFallback.join(', ') }),
      ),
      el(
        'label',
        {},
        'API key propia de OpenRouter',
        el('input', {
          name: 'apiKey',
          type: 'password',
          autocomplete: 'new-password',
          placeholder: c.hasApiKey ? `guardada, termina en ${c.apiKeyLast4}` : 'sin key propia',
        }),
      ),
      el(
        'label',
        { class: 'inline' },
        el('input', { type: 'checkbox', name: 'clearKey' }),
        'borrar la key',
      ),
      el(
        'label',
        { class: 'inline' },
        el('input', { type: 'checkbox', name: 'isActive', checked: c.isActive }),
        'activa',
      ),
      el('button', { class: 'primary', type: 'submit' }, 'Guardar'),
      el('button', { type: 'button', onclick: test }, 'Probar conexión'),
    );
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const f = new FormData(form);
      const patch = {
        profile: f.get('profile') || null,
        modelDefault: String(f.get('modelDefault')).trim() || null,
        modelFallback: String(f.get('modelFallback'))
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
        isActive: f.get('isActive') === 'on',
      };
      if (f.get('clearKey') === 'on') patch.apiKey = null;
      else if (String(f.get('apiKey')).trim()) patch.apiKey = String(f.get('apiKey')).trim();
      try {
        await api('PUT', `/admin/tenants/${shop.id}/llm-config`, patch);
        await load();
        out.className = 'ok';
        out.textContent = 'Guardado.';
      } catch (err) {
        out.className = 'error';
        out.textContent = err instanceof ApiError ? err.detail() : String(err);
      }
    });
    box.replaceChildren(el('h3', {}, 'LLM de la tienda'), form, out);
  };
  async function test() {
    out.className = 'ok';
    out.textContent = 'Probando…';
    try {
      const { data } = await api('POST', `/admin/tenants/${shop.id}/llm-config/test`);
      out.className = data.ok ? 'ok' : 'error';
      out.textContent = data.ok
        ? `Conexión correcta con ${data.model} en ${int.format(data.latencyMs)} ms.`
        : `Falló con ${data.model}: ${data.error}`;
    } catch (err) {
      out.className = 'error';
      out.textContent = err instanceof ApiError ? err.detail() : String(err);
    }
  }
  void load().catch((err) => box.append(el('p', { class: 'error' }, String(err.message))));
  return box;
}

/** The shop's switches: the daily close (on/off, local time) and the response cache. */
function settingsCard(shop) {
  const out = el('p', { class: 'ok', role: 'status', 'data-testid': 'settings-result' });
  const box = el(
    'section',
    { class: 'card', id: 'shop-settings' },
    el('h3', {}, 'Cierre del día y caché'),
    el('p', { class: 'muted' }, 'Cargando…'),
  );
  const load = async () => {
    const { data: s } = await api('GET', `/admin/tenants/${shop.id}/settings`);
    const form = el(
      'form',
      { autocomplete: 'off', class: 'form-row' },
      el(
        'label',
        { class: 'inline' },
        el('input', { type: 'checkbox', name: 'dailyCloseEnabled', checked: s.dailyCloseEnabled }),
        'mandar el cierre del día',
      ),
      el(
        'label',
        {},
        'Hora (de la tienda)',
        el('input', {
          type: 'time',
          name: 'dailyCloseTime',
          value: s.dailyCloseTime,
          required: true,
        }),
      ),
      el(
        'label',
        { class: 'inline' },
        el('input', {
          type: 'checkbox',
          name: 'responseCacheEnabled',
          checked: s.responseCacheEnabled,
        }),
        'reusar respuestas iguales (0 tokens)',
      ),
      el('button', { class: 'primary', type: 'submit' }, 'Guardar'),
    );
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const f = new FormData(form);
      const patch = {
        dailyCloseEnabled: f.get('dailyCloseEnabled') === 'on',
        dailyCloseTime: String(f.get('dailyCloseTime')).slice(0, 5),
        responseCacheEnabled: f.get('responseCacheEnabled') === 'on',
      };
      try {
        await api('PUT', `/admin/tenants/${shop.id}/settings`, patch);
        await load();
        out.className = 'ok';
        out.textContent = 'Guardado.';
      } catch (err) {
        out.className = 'error';
        out.textContent = err instanceof ApiError ? err.detail() : String(err);
      }
    });
    box.replaceChildren(el('h3', {}, 'Cierre del día y caché'), form, out);
  };
  void load().catch((err) => box.append(el('p', { class: 'error' }, String(err.message))));
  return box;
}

async function usageCard(shop) {
  const base = `/admin/tenants/${shop.id}/usage`;
  const [byDay, byModel, byOp] = await Promise.all(
    ['day', 'model', 'operation'].map(async (g) => (await api('GET', `${base}?groupBy=${g}`)).data),
  );
  // Cost per conversation (a chat's questions with gaps under 30 minutes), same 30 days.
  const conv = (await api('GET', `${base}/conversations`)).data;
  const chart = el('div', {
    class: 'chart',
    id: 'usage-chart',
    'data-testid': 'usage-chart',
    'data-days': String(byDay.groups.length),
    'data-charged': String(byDay.totals.chargedTokens),
  });
  const table = (report, label) =>
    el(
      'table',
      {},
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          [label, 'Llamadas', 'Tokens', 'Cobrados', 'Absorbidos', 'Costo'].map((h, i) =>
            el('th', { class: i ? 'num' : null }, h),
          ),
        ),
      ),
      el(
        'tbody',
        {},
        report.groups.map((g) =>
          el(
            'tr',
            {},
            el('td', {}, g.key),
            el('td', { class: 'num' }, int.format(g.calls)),
            el('td', { class: 'num' }, int.format(g.totalTokens)),
            el('td', { class: 'num' }, int.format(g.chargedTokens)),
            el('td', { class: 'num' }, int.format(g.absorbedTokens)),
            el('td', { class: 'num' }, g.costUsd === null ? '—' : usd.format(g.costUsd)),
          ),
        ),
      ),
    );
  const card = el(
    'section',
    { class: 'card' },
    el('h2', {}, 'Uso de los últimos 30 días'),
    el(
      'p',
      { class: 'muted' },
      `${int.format(byDay.totals.calls)} llamadas · ${int.format(byDay.totals.chargedTokens)} tokens cobrados · ${int.format(byDay.totals.absorbedTokens)} absorbidos · costo ${byDay.totals.costUsd === null ? '—' : usd.format(byDay.totals.costUsd)}`,
    ),
    chart,
    el('h3', {}, 'Por conversación'),
    el(
      'div',
      { class: 'stats', 'data-testid': 'conversations' },
      stat(int.format(conv.conversations), 'conversaciones', 'conv-count'),
      stat(String(conv.answersPerConversation), 'respuestas por conversación', 'conv-answers'),
      stat(
        `${int.format(conv.tokensPerConversation.mean)} / ${int.format(conv.tokensPerConversation.p95)}`,
        'tokens por conversación (media / p95)',
        'conv-tokens',
      ),
      stat(
        `${usd.format(conv.costUsdPerConversation.mean)} / ${usd.format(conv.costUsdPerConversation.p95)}`,
        'costo por conversación (media / p95)',
        'conv-cost',
      ),
      stat(`${Math.round(conv.zeroTokenAnswerShare * 100)} %`, 'respuestas sin costo', 'conv-zero'),
    ),
    el(
      'div',
      { class: 'grid' },
      el('div', {}, el('h3', {}, 'Por modelo'), table(byModel, 'Modelo')),
      el('div', {}, el('h3', {}, 'Por operación'), table(byOp, 'Operación')),
    ),
  );
  card.draw = () => drawUsage(chart, byDay);
  return card;
}

/** Every local day of the period, oldest first (days without usage count as zero). */
function periodDays(report) {
  const fmt = new Intl.DateTimeFormat('en-CA', {
    timeZone: report.timezone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  });
  const days = [];
  const end = new Date(report.to).getTime();
  for (let t = new Date(report.from).getTime(); t < end + 86_400_000; t += 86_400_000) {
    const key = fmt.format(new Date(Math.min(t, end)));
    if (days[days.length - 1] !== key) days.push(key);
  }
  return days;
}

function drawUsage(target, report) {
  if (report.groups.length === 0) {
    target.replaceChildren(el('p', { class: 'muted' }, 'Sin uso en este periodo.'));
    return;
  }
  const byKey = new Map(report.groups.map((g) => [g.key, g]));
  const days = periodDays(report);
  // One bar per local day; uPlot wants unix seconds.
  const xs = days.map((d) => Date.parse(`${d}T12:00:00Z`) / 1000);
  const charged = days.map((d) => byKey.get(d)?.chargedTokens ?? 0);
  const cost = days.map((d) => byKey.get(d)?.costUsd ?? 0);
  const bars = uPlot.paths.bars({ size: [0.7, 40] });
  const opts = {
    width: Math.max(target.clientWidth, 400),
    height: 240,
    scales: {
      x: { time: true },
      usd: { auto: true, range: (u, min, max) => [0, Math.max(max, 0.0001)] },
    },
    series: [
      { value: (u, v) => (v === null ? '—' : new Date(v * 1000).toISOString().slice(0, 10)) },
      {
        label: 'tokens cobrados',
        stroke: '#008069',
        fill: 'rgba(0,128,105,.35)',
        width: 1,
        paths: bars,
        points: { show: false },
      },
      {
        label: 'costo (USD)',
        stroke: '#c27c0e',
        scale: 'usd',
        width: 2,
        points: { show: true },
        value: (u, v) => (v === null ? '—' : usd.format(v)),
      },
    ],
    axes: [
      {
        values: (u, vals) =>
          vals.map((v) =>
            new Date(v * 1000).toLocaleDateString('es-MX', {
              day: 'numeric',
              month: 'short',
              timeZone: 'UTC',
            }),
          ),
      },
      { label: 'tokens', values: (u, vals) => vals.map((v) => int.format(v)) },
      {
        side: 1,
        scale: 'usd',
        label: 'USD',
        grid: { show: false },
        values: (u, vals) => vals.map((v) => `$${v.toFixed(4)}`),
      },
    ],
  };
  target.replaceChildren();
  new uPlot(opts, [xs, charged, cost], target);
}

async function ledgerCard(shop) {
  const body = el('tbody');
  const more = el('button', { type: 'button' }, 'Más');
  let cursor = null;
  const load = async () => {
    const { data } = await api(
      'GET',
      `/admin/tenants/${shop.id}/ledger?limit=20${cursor ? `&cursor=${cursor}` : ''}`,
    );
    for (const e of data.entries) {
      body.append(
        el(
          'tr',
          { 'data-testid': 'ledger-row' },
          el('td', {}, when(e.createdAt)),
          el('td', {}, e.type),
          el('td', { class: 'num' }, int.format(e.availableDelta)),
          el('td', { class: 'num' }, int.format(e.availableAfter)),
          el('td', {}, e.reason),
          el('td', {}, e.reference ?? ''),
        ),
      );
    }
    cursor = data.nextCursor;
    more.classList.toggle('hidden', !cursor);
  };
  more.addEventListener('click', () => void load());
  await load();
  return el(
    'section',
    { class: 'card' },
    el('h2', {}, 'Movimientos de tokens'),
    el(
      'table',
      {},
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          ['Fecha', 'Tipo', 'Cambio', 'Disponible después', 'Motivo', 'Referencia'].map((h, i) =>
            el('th', { class: i === 2 || i === 3 ? 'num' : null }, h),
          ),
        ),
      ),
      body,
    ),
    more,
  );
}

// --- purchase requests and failed messages -------------------------------------------------

async function refreshPendingCount() {
  try {
    const { data } = await api('GET', '/admin/purchase-requests?status=pending');
    $('pending-count').textContent = String(data.length);
    $('pending-count').classList.toggle('hidden', data.length === 0);
  } catch {
    // shown on its page
  }
}

async function requestsView(view) {
  const { data } = await api('GET', '/admin/purchase-requests?status=pending');
  const names = new Map(
    (await api('GET', '/admin/tenants?limit=200')).data.items.map((t) => [t.id, t.name]),
  );
  const rows = data.map((r) => {
    const out = el('span', { class: 'ok' });
    const ref = el('input', {
      placeholder: 'referencia del pago',
      required: true,
      'aria-label': 'Referencia del pago',
    });
    const confirmBtn = el(
      'button',
      {
        class: 'primary',
        type: 'button',
        'data-testid': 'confirm-request',
        onclick: async () => {
          if (!ref.value.trim()) return ref.focus();
          try {
            const { data: res } = await api('POST', `/admin/tenants/${r.tenantId}/purchases`, {
              packageCode: r.packageCode,
              paymentRef: ref.value.trim(),
            });
            out.className = 'ok';
            out.textContent = `Confirmado. Balance: ${int.format(res.balance.available)} tokens.`;
            confirmBtn.disabled = true;
            void refreshPendingCount();
          } catch (err) {
            out.className = 'error';
            out.textContent = err instanceof ApiError ? err.detail() : String(err);
          }
        },
      },
      'Confirmar pago',
    );
    return el(
      'tr',
      { 'data-testid': 'request-row' },
      el(
        'td',
        {},
        el(
          'a',
          { class: 'link', href: `#/shop/${r.tenantId}` },
          names.get(r.tenantId) ?? r.tenantId,
        ),
      ),
      el(
        'td',
        {},
        `${r.packageName} (${int.format(r.tokens)} tokens · ${money.format(r.priceCents / 100)})`,
      ),
      el('td', {}, r.requestedByWaId),
      el('td', {}, when(r.createdAt)),
      el('td', {}, ref, ' ', confirmBtn, ' ', out),
    );
  });
  view.replaceChildren(
    el(
      'section',
      { class: 'card' },
      el('h2', {}, 'Solicitudes de compra pendientes'),
      el(
        'p',
        { class: 'muted' },
        'Lo que los dueños pidieron por WhatsApp ("quiero el paquete pro"). Confirma cuando el pago haya llegado: se acredita una sola vez por referencia.',
      ),
      rows.length
        ? el(
            'table',
            {},
            el(
              'thead',
              {},
              el(
                'tr',
                {},
                ['Tienda', 'Paquete', 'Pidió', 'Cuándo', ''].map((h) => el('th', {}, h)),
              ),
            ),
            el('tbody', {}, rows),
          )
        : el('p', {}, 'No hay solicitudes pendientes.'),
    ),
  );
}

async function failedView(view) {
  const { data } = await api('GET', '/admin/inbox/failed?limit=100');
  const rows = data.map((m) => {
    const out = el('span', { class: 'ok' });
    return el(
      'tr',
      { 'data-testid': 'failed-row' },
      el('td', {}, when(m.failedAt)),
      el('td', {}, m.from ?? '—'),
      el('td', {}, m.type),
      el('td', {}, m.text ?? ''),
      el('td', { class: 'num' }, m.attempts),
      el('td', {}, m.lastError ?? ''),
      el(
        'td',
        {},
        el(
          'button',
          {
            type: 'button',
            onclick: async (e) => {
              try {
                const { data: r } = await api(
                  'POST',
                  `/admin/inbox/${encodeURIComponent(m.wamid)}/replay`,
                );
                out.className = 'ok';
                out.textContent = r.queued ? 'En cola otra vez.' : 'Ya no estaba fallido.';
                e.target.disabled = true;
              } catch (err) {
                out.className = 'error';
                out.textContent = err instanceof ApiError ? err.detail() : String(err);
              }
            },
          },
          'Reintentar',
        ),
        ' ',
        out,
      ),
    );
  });
  view.replaceChildren(
    el(
      'section',
      { class: 'card' },
      el('h2', {}, 'Mensajes que fallaron'),
      rows.length
        ? el(
            'table',
            {},
            el(
              'thead',
              {},
              el(
                'tr',
                {},
                ['Falló', 'De', 'Tipo', 'Texto', 'Intentos', 'Último error', ''].map((h) =>
                  el('th', {}, h),
                ),
              ),
            ),
            el('tbody', {}, rows),
          )
        : el('p', {}, 'Ningún mensaje fallido.'),
    ),
  );
}
