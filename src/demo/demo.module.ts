import { type DynamicModule, Module } from '@nestjs/common';
import { BillingModule } from '../billing/billing.module';
import { ConversationsModule } from '../conversations/conversations.module';
import { InboxModule } from '../inbox/inbox.module';
import { DEMO_BACKEND, type DemoBackend } from './demo-backend';
import { DemoController } from './demo.controller';
import { DemoService } from './demo.service';

/** The simulator's endpoints, wired to the demo's fakes. Only loaded with DEMO_MODE=true. */
@Module({})
export class DemoModule {
  static register(backend: DemoBackend): DynamicModule {
    return {
      module: DemoModule,
      imports: [InboxModule, BillingModule, ConversationsModule],
      controllers: [DemoController],
      providers: [{ provide: DEMO_BACKEND, useValue: backend }, DemoService],
    };
  }
}
