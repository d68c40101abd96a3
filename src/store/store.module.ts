import { Module } from '@nestjs/common';
import { ProductsRepository } from './repositories/products.repository';
import { SalesRepository } from './repositories/sales.repository';
import { StoreWritesRepository } from './repositories/store-writes.repository';
import { StoreWritesService } from './services/store-writes.service';
import { StoreService } from './services/store.service';

/** The shop's catalogue, sales and stock, read and written one tenant at a time. */
@Module({
  providers: [
    ProductsRepository,
    SalesRepository,
    StoreWritesRepository,
    StoreService,
    StoreWritesService,
  ],
  exports: [StoreService, StoreWritesService],
})
export class StoreModule {}
