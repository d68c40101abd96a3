import type { StoreService } from '../store/services/store.service';
import { ToolsService, type ToolContext, withoutOwnerFigures } from './tools.service';

/** One product, as the store resolves it: enough for the price tool to answer. */
const product = {
  id: '00000000-0000-4000-8000-0000000000aa',
  name: 'Coca-Cola 600 ml',
  aliases: ['coca'],
  unit: 'pza',
  priceCents: 2200,
  costCents: 1650,
  stock: 48,
  minStock: 24,
};

function storeWithOneProduct(calls: string[]): StoreService {
  return new Proxy({} as StoreService, {
    get:
      (_t, prop) =>
      (..._args: unknown[]) => {
        calls.push(String(prop));
        if (prop === 'resolveProducts')
          return Promise.resolve({ kind: 'one', product, others: [] });
        return Promise.reject(new Error(`store.${String(prop)} must not be called`));
      },
  });
}

const base: Omit<ToolContext, 'ownerView'> = {
  tenantId: '00000000-0000-4000-8000-000000000001',
  timeZone: 'America/Mexico_City',
  now: new Date('2026-11-23T18:00:00Z'),
};

describe("an employee's tool reads (profit, cost and margin are the owner's)", () => {
  it('the owner sees the cost next to the price; the employee gets the price without it', async () => {
    const calls: string[] = [];
    const tools = new ToolsService(storeWithOneProduct(calls));
    const owner = await tools.execute(
      { ...base, ownerView: true },
      'get_price',
      '{"product":"coca"}',
    );
    const employee = await tools.execute(
      { ...base, ownerView: false },
      'get_price',
      '{"product":"coca"}',
    );
    expect(owner.ok && employee.ok).toBe(true);
    expect(owner.content).toContain('"cost"');
    expect(employee.content).toContain('22.00');
    expect(employee.content).not.toMatch(/cost|profit|margin|16\.50/);
  });

  it.each([
    ['get_profit', '{"period":"hoy"}'],
    ['get_top_products', '{"period":"este_mes","by":"profit"}'],
  ])('%s %s is refused for an employee before the store is read', async (name, args) => {
    const calls: string[] = [];
    const tools = new ToolsService(storeWithOneProduct(calls));
    const out = await tools.execute({ ...base, ownerView: false }, name, args);
    expect(out).toEqual({ ok: false, content: expect.stringMatching(/solo .* dueño/) });
    expect(calls).toEqual([]);
  });

  it('takes the owner figures out at any depth and keeps everything else', () => {
    expect(
      withoutOwnerFigures({
        total: '100.00',
        cost: '60.00',
        cost_cents: 6000,
        items: [{ name: 'Coca', profit: '5.00', margin_pct: 22.7, units: 3 }],
        costa: 'kept: not a cost key',
      }),
    ).toEqual({
      total: '100.00',
      items: [{ name: 'Coca', units: 3 }],
      costa: 'kept: not a cost key',
    });
  });
});
