import { Module } from '@nestjs/common';
import { BillingModule } from '../billing/billing.module';
import { ConversationsModule } from '../conversations/conversations.module';
import { InboxModule } from '../inbox/inbox.module';
import { LlmModule } from '../llm';
import { StoreModule } from '../store/store.module';
import { TenantsModule } from '../tenants/tenants.module';
import { ToolsModule } from '../tools/tools.module';
import { WhatsappModule } from '../whatsapp/whatsapp.module';
import { AssistantService } from './assistant.service';
import { ChatOrder } from './chat-order';
import { FallbackAnswers } from './fallback-answers';
import { ANSWERER, InboundProcessor } from './inbound.processor';
import { ReplySender } from './reply-sender.service';
import { ToolLoop } from './tool-loop';

/** The worker side: turns queued inbound messages into replies (APP_ROLE all or worker). */
@Module({
  imports: [
    InboxModule,
    TenantsModule,
    WhatsappModule,
    LlmModule,
    BillingModule,
    StoreModule,
    ToolsModule,
    ConversationsModule,
  ],
  providers: [
    InboundProcessor,
    ReplySender,
    ChatOrder,
    ToolLoop,
    FallbackAnswers,
    AssistantService,
    { provide: ANSWERER, useExisting: AssistantService },
  ],
  exports: [ReplySender],
})
export class AssistantModule {}
