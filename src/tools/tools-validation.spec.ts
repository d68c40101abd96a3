import { countTokens } from 'gpt-tokenizer';
import { z } from 'zod';
import { INTENTS } from '../intents';
import type { StoreService } from '../store/services/store.service';
import { noArgs, productArgs, productPeriodArgs, topProductsArgs } from './tool-args';
import { READ_TOOLS, TOOL_DEFINITIONS } from './tool-definitions';
import { ToolsService, type ToolContext } from './tools.service';

/** A store that fails the test if it is reached: invalid calls must stop at validation. */
function untouchableStore(): StoreService {
  return new Proxy({} as StoreService, {
    get: (_t, prop) => () => Promise.reject(new Error(`store.${String(prop)} must not be called`)),
  });
}

const ctx: ToolContext = {
  tenantId: '00000000-0000-4000-8000-000000000001',
  timeZone: 'America/Mexico_City',
  now: new Date('2026-11-23T18:00:00Z'),
};

describe('ToolsService argument validation (never throws, never reaches the store)', () => {
  const tools = new ToolsService(untouchableStore());

  const refused: [tool: string, args: string, mentions: RegExp][] = [
    ['get_everything', '{}', /desconocida.*get_sales_summary/],
    ['__proto__', '{}', /desconocida/],
    ['get_sales_summary', '{period: hoy}', /JSON/],
    ['get_sales_summary', 'null', /argumentos inválidos/],
    ['get_sales_summary', '[]', /argumentos inválidos/],
    ['get_sales_summary', '"hoy"', /argumentos inválidos/],
    ['get_sales_summary', '{"period":"manana"}', /period/],
    ['get_sales_summary', '{"period":5}', /period/],
    ['get_sales_summary', '{"period":"hoy","tenantId":"x"}', /campo no permitido: tenantId/],
    ['get_sales_summary', '{"period":"hoy","from":"2026-11-01","to":"2026-11-02"}', /no ambos/],
    ['get_sales_summary', '{"from":"2026-11-01"}', /juntos/],
    ['get_sales_summary', '{"from":"2026-11-05","to":"2026-11-01"}', /antes de from/],
    ['get_sales_summary', '{"from":"2026-02-30","to":"2026-03-01"}', /from: fecha inexistente/],
    ['get_sales_summary', '{"from":"01/11/2026","to":"2026-11-02"}', /YYYY-MM-DD/],
    ['get_sales_summary', '{"from":"2024-01-01","to":"2026-01-01"}', /máximo 366/],
    ['get_top_products', '{"limit":"5"}', /limit/],
    ['get_top_products', '{"limit":11}', /limit/],
    ['get_top_products', '{"limit":0}', /limit/],
    ['get_top_products', '{"limit":2.5}', /limit/],
    ['get_profit', '{"periodo":"hoy"}', /campo no permitido: periodo/],
    ['get_stock', '{}', /product/],
    ['get_stock', '{"product":123}', /product/],
    ['get_stock', '{"product":"   "}', /product/],
    ['get_stock', `{"product":"${'a'.repeat(81)}"}`, /product/],
    [
      'get_stock',
      '{"product":"coca","tenant_id":"00000000-0000-4000-8000-000000000002"}',
      /campo no permitido/,
    ],
    ['get_price', '{"product":"coca","limit":3}', /campo no permitido: limit/],
    ['get_low_stock', '{"tenantId":"00000000-0000-4000-8000-000000000002"}', /campo no permitido/],
    ['get_low_stock', `{"x":"${'a'.repeat(3000)}"}`, /demasiado largos/],
  ];

  const cases = refused.map(([name, args, mentions]) => ({
    title: `${name} ${args.length > 60 ? `${args.slice(0, 40)}…(${args.length} chars)` : args}`,
    name,
    args,
    mentions,
  }));

  it.each(cases)('$title → ok:false', async ({ name, args, mentions }) => {
    const result = await tools.execute(ctx, name, args);
    expect(result.ok).toBe(false);
    expect(result.content).toMatch(/^error: /);
    expect(result.content).toMatch(mentions);
    // Short enough to be a cheap tool message.
    expect(result.content.length).toBeLessThan(300);
  });

  it('turns a store failure into ok:false without internals', async () => {
    const failing = new ToolsService({
      salesSummary: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432')),
    } as unknown as StoreService);
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const result = await failing.execute(ctx, 'get_sales_summary', '{"period":"hoy"}');
    expect(result).toEqual({ ok: false, content: expect.stringMatching(/^error: /) });
    expect(result.content).not.toMatch(/ECONNREFUSED|5432/);
  });

  it('turns an invalid shop time zone into ok:false', async () => {
    const result = await tools.execute({ ...ctx, timeZone: 'Mars/Olympus' }, 'get_profit', '{}');
    expect(result.ok).toBe(false);
  });
});

describe('ToolsService catalogue', () => {
  const tools = new ToolsService(untouchableStore());

  it('offers each intent only the tools it needs', () => {
    expect(tools.toolsForIntent('ventas')).toEqual(['get_sales_summary', 'get_top_products']);
    expect(tools.toolsForIntent('ganancias')).toEqual(['get_profit', 'get_top_products']);
    expect(tools.toolsForIntent('inventario')).toEqual(['get_stock', 'get_low_stock']);
    expect(tools.toolsForIntent('precios')).toEqual(['get_price']);
    expect(tools.toolsForIntent('otro').sort()).toEqual([...READ_TOOLS].sort());
    for (const intent of [
      'registrar_venta',
      'ajustar_inventario',
      'saldo',
      'ayuda',
      'saludo',
    ] as const) {
      expect(tools.toolsForIntent(intent)).toEqual([]);
    }
    // Callers may mutate what they get without changing the table.
    tools.toolsForIntent('ventas').push('x');
    expect(tools.toolsForIntent('ventas')).toHaveLength(2);
  });

  it('defines every tool it offers, and only known names', () => {
    for (const intent of INTENTS) {
      const names = tools.toolsForIntent(intent);
      expect(
        tools.definitionsFor(names).map((d) => d.type === 'function' && d.function.name),
      ).toEqual(names);
    }
    expect(tools.definitionsFor(['nope', 'toString', 'get_price'])).toHaveLength(1);
  });

  it('keeps the definitions in step with the zod schemas that validate', () => {
    const shapes: Record<string, z.ZodType> = {
      get_sales_summary: productPeriodArgs,
      get_top_products: topProductsArgs,
      get_profit: productPeriodArgs,
      get_stock: productArgs,
      get_price: productArgs,
      get_low_stock: noArgs,
    };
    for (const name of READ_TOOLS) {
      const def = TOOL_DEFINITIONS[name];
      if (def.type !== 'function') throw new Error('function tools only');
      const params = def.function.parameters as { properties: object; required?: string[] };
      const derived = z.toJSONSchema(shapes[name], { io: 'input' }) as {
        properties: object;
        required?: string[];
      };
      expect(Object.keys(params.properties).sort()).toEqual(Object.keys(derived.properties).sort());
      expect(params.required ?? []).toEqual(derived.required ?? []);
    }
  });

  it('is cheap: even the full set stays under 450 prompt tokens', () => {
    const perIntent = INTENTS.map((i) =>
      countTokens(JSON.stringify(tools.definitionsFor(tools.toolsForIntent(i)))),
    );
    expect(Math.max(...perIntent)).toBeLessThan(450);
    // Tools are offered only when the question's read could not be prefetched; a read
    // intent's (product, period and ranking included) still take < 230 tokens.
    for (const intent of ['ventas', 'ganancias', 'inventario', 'precios'] as const) {
      const defs = tools.definitionsFor(tools.toolsForIntent(intent));
      expect(countTokens(JSON.stringify(defs))).toBeLessThan(230);
    }
  });
});
