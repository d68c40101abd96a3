export { StoreModule } from './store.module';
export { StoreService } from './store.service';
export { foldText, matchKey } from './product-matching';
export * from './store.types';
export { Product } from './product.entity';
export { Sale, type SaleSource } from './sale.entity';
export { SaleItem } from './sale-item.entity';
export { InventoryMovement, type MovementReason } from './inventory-movement.entity';
