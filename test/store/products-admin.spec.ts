import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { APP_FILTER } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { AdminAuthGuard } from '../../src/admin/admin-auth.guard';
import { ProductsAdminController } from '../../src/admin/controllers/products-admin.controller';
import { TenantByIdPipe } from '../../src/admin/pipes/tenant-by-id.pipe';
import { AppExceptionFilter } from '../../src/common/http/app-exception.filter';
import { ConfigModule } from '../../src/config/config.module';
import { parseEnv } from '../../src/config/env.schema';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { StoreModule } from '../../src/store/store.module';
import { TenantsModule } from '../../src/tenants/tenants.module';
import { registerBodyParsers } from '../../src/whatsapp/raw-body';
import { createTenant } from '../../dev/support/tenants';
import { newWaId } from '../../dev/support/webhook';
import { openDb } from '../tools/store-fixtures';

/**
 * The controller in a module of its own (no Redis, no billing), behind the same Fastify body
 * parsing, guard, tenant pipe and exception filter as the real app.
 */
let app: NestFastifyApplication;
let db: DataSource;
let tenantId: string;
const AUTH = { authorization: `Bearer ${process.env.ADMIN_API_TOKEN}` };

async function post(id: string, body: unknown, headers: Record<string, string> = AUTH) {
  const res = await app.inject({
    method: 'POST',
    url: `/admin/tenants/${id}/products`,
    headers: { 'content-type': 'application/json', ...headers },
    payload: JSON.stringify(body),
  });
  return { status: res.statusCode, body: res.json() as Record<string, unknown> };
}

beforeAll(async () => {
  const moduleRef = await Test.createTestingModule({
    imports: [
      ConfigModule.forRoot(parseEnv(process.env)),
      TypeOrmModule.forRoot(dataSourceOptions(process.env.DATABASE_URL!)),
      StoreModule,
      TenantsModule,
    ],
    controllers: [ProductsAdminController],
    providers: [
      AdminAuthGuard,
      TenantByIdPipe,
      { provide: APP_FILTER, useClass: AppExceptionFilter },
    ],
  }).compile();
  const adapter = new FastifyAdapter();
  registerBodyParsers(adapter.getInstance());
  app = moduleRef.createNestApplication<NestFastifyApplication>(adapter, {
    bodyParser: false,
    logger: false,
  });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  db = await openDb();
  tenantId = (await createTenant(db, { ownerWaId: newWaId() })).id;
});

afterAll(async () => {
  await app?.close();
  await db?.destroy();
});

it('needs the admin token', async () => {
  expect((await post(tenantId, [], {})).status).toBe(401);
  expect((await post(tenantId, [], { authorization: 'Bearer nope' })).status).toBe(401);
});

it('creates, then updates by case-insensitive name', async () => {
  const created = await post(tenantId, [
    {
      name: 'Coca-Cola 600 ml',
      aliases: ['coca', 'cocacola'],
      priceCents: 2200,
      costCents: 1650,
      stock: 24,
      minStock: 12,
    },
    { name: 'Sabritas Original', priceCents: 2000, costCents: 1500 },
  ]);
  expect(created).toEqual({ status: 200, body: { created: 2, updated: 0 } });

  const updated = await post(tenantId, [
    { name: 'coca-cola 600 ML', priceCents: 2300, costCents: 1700, stock: 30 },
    { name: 'Maruchan', priceCents: 1600, costCents: 1050, unit: 'pza' },
  ]);
  expect(updated).toEqual({ status: 200, body: { created: 1, updated: 1 } });

  const rows: Record<string, unknown>[] = await db.query(
    `SELECT name, aliases, price_cents, stock, min_stock FROM products WHERE tenant_id = $1 ORDER BY lower(name)`,
    [tenantId],
  );
  expect(rows).toEqual([
    // The aliases and minimum left out of the update keep their values.
    {
      name: 'coca-cola 600 ML',
      aliases: ['coca', 'cocacola'],
      price_cents: 2300,
      stock: 30,
      min_stock: 12,
    },
    { name: 'Maruchan', aliases: [], price_cents: 1600, stock: 0, min_stock: 0 },
    { name: 'Sabritas Original', aliases: [], price_cents: 2000, stock: 0, min_stock: 0 },
  ]);
  const [ledger]: { moves: string }[] = await db.query(
    `SELECT count(*) AS moves FROM inventory_movements WHERE tenant_id = $1 AND reason = 'count'`,
    [tenantId],
  );
  expect(ledger.moves).toBe('2'); // +24 on create, +6 on the update
});

it.each([
  ['not an array', { name: 'x' }, '(body)'],
  ['an empty list', [], '(body)'],
  [
    'a missing price',
    [
      { name: 'Ok', priceCents: 100, costCents: 50 },
      { name: 'Pan', costCents: 1 },
    ],
    '[1].priceCents',
  ],
  ['a price in pesos', [{ name: 'Pan', priceCents: 4.5, costCents: 3 }], '[0].priceCents'],
  ['a negative cost', [{ name: 'Pan', priceCents: 450, costCents: -1 }], '[0].costCents'],
  ['a blank name', [{ name: '  ', priceCents: 450, costCents: 300 }], '[0].name'],
  ['an unknown field', [{ name: 'Pan', priceCents: 450, costCents: 300, tenantId: 'x' }], '[0]'],
  [
    'aliases not a list',
    [{ name: 'Pan', priceCents: 450, costCents: 300, aliases: 'bolillo' }],
    '[0].aliases',
  ],
])('400 for %s, naming the field', async (_label, body, field) => {
  const res = await post(tenantId, body);
  expect(res.status).toBe(400);
  expect(res.body.message).toBe('Invalid products');
  const errors = res.body.errors as { field: string; reason: string }[];
  expect(errors[0].field).toBe(field);
  expect(errors[0].reason).toEqual(expect.any(String));
});

it('400 for a body that is not JSON', async () => {
  const res = await app.inject({
    method: 'POST',
    url: `/admin/tenants/${tenantId}/products`,
    headers: { 'content-type': 'application/json', ...AUTH },
    payload: '[{"name":',
  });
  expect(res.statusCode).toBe(400);
});

it('404 for an unknown or malformed tenant id', async () => {
  const body = [{ name: 'Pan', priceCents: 450, costCents: 300 }];
  expect((await post(randomUUID(), body)).status).toBe(404);
  expect((await post('not-a-uuid', body)).status).toBe(404);
});

describe('CSV import (POST /admin/tenants/:id/products/import, text/csv)', () => {
  async function postCsv(id: string, csv: string, headers: Record<string, string> = AUTH) {
    const res = await app.inject({
      method: 'POST',
      url: `/admin/tenants/${id}/products/import`,
      headers: { 'content-type': 'text/csv; charset=utf-8', ...headers },
      payload: csv,
    });
    return { status: res.statusCode, body: res.json() as Record<string, unknown> };
  }

  let shop: string;
  beforeAll(async () => {
    shop = (await createTenant(db, { ownerWaId: newWaId() })).id;
  });

  it('needs the admin token', async () => {
    expect((await postCsv(shop, 'name,price\nPan,4.50', {})).status).toBe(401);
  });

  it('imports pesos, quotes, Spanish headers and semicolons, then updates by name', async () => {
    const csv =
      '\uFEFFnombre;precio;costo;existencias;minimo;unidad;alias\r\n' +
      '"Coca-Cola 600 ml";$18.50;12;24;6;pza;coca|coca chica\r\n' +
      '"Coca-Cola 2 L";"$1,034.5";20.00;10;;;\r\n' +
      'Coca-Cola Light 600 ml;19;13;0;;;\r\n';
    expect(await postCsv(shop, csv)).toEqual({ status: 200, body: { created: 3, updated: 0 } });
    const again = 'name,price_cents,cost_cents,stock\ncoca-cola 2 l,3900,2800,12\n';
    expect(await postCsv(shop, again)).toEqual({ status: 200, body: { created: 0, updated: 1 } });
    const rows: Record<string, unknown>[] = await db.query(
      `SELECT name, aliases, price_cents, cost_cents, stock, min_stock, unit
         FROM products WHERE tenant_id = $1 ORDER BY lower(name)`,
      [shop],
    );
    expect(rows).toEqual([
      expect.objectContaining({
        name: 'coca-cola 2 l',
        price_cents: 3900,
        cost_cents: 2800,
        stock: 12,
      }),
      {
        name: 'Coca-Cola 600 ml',
        aliases: ['coca', 'coca chica'],
        price_cents: 1850,
        cost_cents: 1200,
        stock: 24,
        min_stock: 6,
        unit: 'pza',
      },
      expect.objectContaining({
        name: 'Coca-Cola Light 600 ml',
        price_cents: 1900,
        cost_cents: 1300,
      }),
    ]);
  });

  it.each([
    ['no header row', 'Pan,4.50', 'csv'],
    ['an unknown column', 'name,price,colour\nPan,4.50,red', 'header'],
    ['no price column', 'name,cost\nPan,3', 'header'],
    ['a price that is not pesos', 'name,price\nPan,4.505', 'row 2: price'],
    ['a blank name on row 3', 'name,price\nPan,4.50\n,5', 'row 3: name'],
    ['a stock with decimals', 'name,price,stock\nPan,4.50,1.5', 'row 2: stock'],
    ['the same product twice', 'name,price\nPan,4.50\npan,5', 'name'],
  ])('400 for %s, naming the row and column; nothing saved', async (_label, csv, field) => {
    const before: { n: string }[] = await db.query(
      `SELECT count(*) AS n FROM products WHERE tenant_id = $1`,
      [shop],
    );
    const res = await postCsv(shop, csv);
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('Invalid CSV');
    const errors = res.body.errors as { field: string; reason: string }[];
    expect(errors.map((e) => e.field)).toContain(field);
    const after: { n: string }[] = await db.query(
      `SELECT count(*) AS n FROM products WHERE tenant_id = $1`,
      [shop],
    );
    expect(after[0].n).toBe(before[0].n);
  });

  it('400 when the body is JSON instead of CSV', async () => {
    const res = await app.inject({
      method: 'POST',
      url: `/admin/tenants/${shop}/products/import`,
      headers: { 'content-type': 'application/json', ...AUTH },
      payload: '[]',
    });
    expect(res.statusCode).toBe(400);
  });
});
