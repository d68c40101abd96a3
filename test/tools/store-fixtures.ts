import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { ProductsRepository } from '../../src/store/repositories/products.repository';
import { SalesRepository } from '../../src/store/repositories/sales.repository';
import { StoreService } from '../../src/store/services/store.service';
import type { ProductInput } from '../../src/store/store.types';
import { ToolsService } from '../../src/tools/tools.service';
import { createTenant } from '../../dev/support/tenants';
import { newWaId } from '../../dev/support/webhook';

export { insertSale, type SaleLine } from '../support/store';

/** A connection to the run's migrated database (globalSetup sets DATABASE_URL). */
export async function openDb(): Promise<DataSource> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set: run through jest (globalSetup)');
  return new DataSource({ ...dataSourceOptions(url), extra: { max: 4 } }).initialize();
}

/** The real service graph without Nest: the store over the test DB, the tools over the store. */
export function toolsFor(db: DataSource): { store: StoreService; tools: ToolsService } {
  const store = storeFor(db);
  return { store, tools: new ToolsService(store) };
}

/** The store service over its real repositories. */
export function storeFor(db: DataSource): StoreService {
  return new StoreService(new SalesRepository(db), new ProductsRepository(db), db);
}

export interface ShopFixture {
  tenantId: string;
  products: Map<string, string>;
}

/** A shop with the given catalogue; names map to product ids. */
export async function createShop(
  db: DataSource,
  catalogue: ProductInput[],
  name?: string,
): Promise<ShopFixture> {
  const tenant = await createTenant(db, { name, ownerWaId: newWaId() });
  const result = await storeFor(db).upsertProducts(tenant.id, catalogue);
  return { tenantId: tenant.id, products: new Map(result.products.map((p) => [p.name, p.id])) };
}
