import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { InventoryMovement } from './inventory-movement.entity';
import { Product } from './product.entity';
import { Sale } from './sale.entity';
import { SaleItem } from './sale-item.entity';
import { StoreService } from './store.service';

/** The shop's catalogue, sales and stock, read and written one tenant at a time. */
@Module({
  imports: [TypeOrmModule.forFeature([Product, Sale, SaleItem, InventoryMovement])],
  providers: [StoreService],
  exports: [StoreService],
})
export class StoreModule {}
