import { Module } from '@nestjs/common';
import { GraphApiClient } from './graph-api.client';

/** The Graph API client, for whoever sends to WhatsApp (the worker, admin notices). */
@Module({
  providers: [GraphApiClient],
  exports: [GraphApiClient],
})
export class WhatsappModule {}
