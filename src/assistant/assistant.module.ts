import { Module } from '@nestjs/common';
import { ActionsModule } from '../store/actions/actions.module';
import { BillingModule } from '../billing/billing.module';
import { ConversationsModule } from '../conversations/conversations.module';
import { InboxModule } from '../inbox/inbox.module';
import { LlmModule } from '../llm';
import { StoreModule } from '../store/store.module';
import { TenantsModule } from '../tenants/tenants.module';
import { ToolsModule } from '../tools/tools.module';
import { TranscriptionModule } from '../transcription/transcription.module';
import { WhatsappModule } from '../whatsapp/whatsapp.module';
import { InboundProcessor } from './jobs/inbound.processor';
import { InboundWorker } from './jobs/inbound.worker';
import { AbuseLimitsService } from './services/abuse-limits.service';
import { UnknownRepliesService } from './services/unknown-replies.service';
import { AnswerPipelineService } from './services/answer-pipeline.service';
import { AnswerRecorderService } from './services/answer-recorder.service';
import { DirectAnswersService } from './services/direct-answers.service';
import { FallbackAnswersService } from './services/fallback-answers.service';
import { IntentCacheService } from './services/intent-cache.service';
import { IntentFallbackService } from './services/intent-fallback.service';
import { LlmAnswerService } from './services/llm-answer.service';
import { MessageEventsService } from './services/message-events.service';
import { ModelRouterService } from './services/model-router.service';
import { QuestionService } from './services/question.service';
import { ReplySenderService } from './services/reply-sender.service';
import { ToolLoopService } from './services/tool-loop.service';
import { ResponseCacheService } from './response-cache/response-cache.service';
import { VoiceInputService } from './services/voice-input.service';
import { WriteAnswersService } from './services/write-answers.service';

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
    ActionsModule,
    TranscriptionModule,
  ],
  providers: [
    InboundWorker,
    InboundProcessor,
    AnswerPipelineService,
    AbuseLimitsService,
    MessageEventsService,
    DirectAnswersService,
    QuestionService,
    IntentCacheService,
    IntentFallbackService,
    LlmAnswerService,
    ModelRouterService,
    ToolLoopService,
    ResponseCacheService,
    FallbackAnswersService,
    AnswerRecorderService,
    ReplySenderService,
    UnknownRepliesService,
    WriteAnswersService,
    VoiceInputService,
  ],
})
export class AssistantModule {}
