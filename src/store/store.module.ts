import { Module } from '@nestjs/common';
import { ProductsRepository } from './repositories/products.repository';
import { SalesRepository } from './repositories/sales.repository';
import { StoreService } from './services/store.service';

/** The shop's catalogue, sales and stock, read and written one tenant at a time. */
@Module({
  providers: [ProductsRepository, SalesRepository, StoreService],
  exports: [StoreService],
})
export class StoreModule {}
