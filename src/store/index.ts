export { StoreModule } from './store.module';
export { StoreService } from './services/store.service';
export { StoreWritesService, type WriteOptions } from './services/store-writes.service';
export { UnknownShopError } from './store.errors';
export { foldText, matchKey } from './product-matching';
export * from './store.types';
