import { Module } from '@nestjs/common';
import { StoreModule } from '../store/store.module';
import { ToolsService } from './tools.service';

/** Tenant-scoped read tools for the assistant's LLM loop. */
@Module({
  imports: [StoreModule],
  providers: [ToolsService],
  exports: [ToolsService],
})
export class ToolsModule {}
