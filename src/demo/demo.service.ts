import { Inject, Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { AddressInfo } from 'node:net';
import { UsageReportService } from '../billing/usage/usage-report.service';
import { InvalidInputError } from '../common/errors/domain-error';
import { InboundMessageNotFoundError } from '../inbox/inbox.errors';
import { APP_CONFIG, type AppConfig } from '../config/config.module';
import { ConversationsService } from '../conversations/services/conversations.service';
import { InboundMessagesService } from '../inbox/services/inbound-messages.service';
import { OutboxService } from '../inbox/services/outbox.service';
import { classifyIntent } from '../intents';
import { signBody } from '../whatsapp/signature';
import { DEMO_BACKEND, type DemoBackend, type DemoPerson } from './demo-backend';
import {
  type DemoMessageContent,
  inboundEnvelope,
  newDemoWamid,
  statusEnvelope,
} from './demo-webhooks';

/** What the side panel shows for one question: how it was answered and what it cost. */
export interface AnswerDetails {
  wamid: string;
  /** received → queued → processing → processed | ignored | failed */
  status: string;
  ignoreReason: string | null;
  intent: string | null;
  /** rules | learned (the classifier alone) | llm (a model labelled an unsure message). */
  intentDecidedBy: 'rules' | 'learned' | 'llm' | null;
  /** direct (no LLM needed) | 1 | 1b | 2 | 3, as recorded with the reply. */
  fallbackLevel: string | null;
  models: string[];
  llmCalls: { operation: string; model: string; tokens: number; charged: number; ms: number }[];
  tokensCharged: number;
  tokensTotal: number;
  /** Webhook received → first reply accepted by the Graph API. */
  latencyMs: number | null;
  replies: { wamid: string | null; status: string; type: string }[];
  balance: { available: number; reserved: number };
}

/**
 * The simulator's server side: it turns a tap on the page into the webhook Meta would send
 * (signed here: the app secret never reaches the browser) and posts it to the app's own
 * /webhooks/whatsapp over HTTP, the exact path a real delivery takes.
 */
@Injectable()
export class DemoService {
  constructor(
    @Inject(DEMO_BACKEND) readonly backend: DemoBackend,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly adapterHost: HttpAdapterHost,
    private readonly inbound: InboundMessagesService,
    private readonly outbox: OutboxService,
    private readonly usage: UsageReportService,
    private readonly conversations: ConversationsService,
  ) {}

  person(role: 'owner' | 'employee'): DemoPerson {
    const person = this.backend.shop.people.find((p) => p.role === role);
    if (!person) {
      throw new InvalidInputError('Invalid sender', [
        { field: 'sender', reason: `the demo shop has no ${role}` },
      ]);
    }
    return person;
  }

  async sendMessage(
    role: 'owner' | 'employee',
    content: DemoMessageContent,
  ): Promise<{ wamid: string; webhookStatus: number }> {
    const wamid = newDemoWamid();
    const body = inboundEnvelope(this.backend.shop, this.person(role), content, wamid);
    return { wamid, webhookStatus: await this.postWebhook(body) };
  }

  async sendStatus(
    role: 'owner' | 'employee',
    wamid: string,
    status: 'delivered' | 'read',
  ): Promise<{ webhookStatus: number }> {
    const body = statusEnvelope(this.backend.shop, this.person(role), wamid, status);
    return { webhookStatus: await this.postWebhook(body) };
  }

  async answerDetails(wamid: string): Promise<AnswerDetails> {
    const tenantId = this.backend.shop.tenantId;
    const message = await this.inbound.find(wamid);
    if (!message || message.tenantId !== tenantId) {
      throw new InboundMessageNotFoundError(wamid);
    }
    const [replies, calls, intent, balance] = await Promise.all([
      this.outbox.findPrepared(wamid),
      this.usage.usageOfMessage(tenantId, wamid),
      this.conversations.intentOf(tenantId, wamid),
      this.usage.balance(tenantId),
    ]);
    const reply = replies.find((r) => r.purpose === 'reply') ?? replies[0];
    const firstSent = replies
      .map((r) => r.sentAt?.getTime())
      .filter((t): t is number => t !== undefined)
      .sort((a, b) => a - b)[0];
    const labelledByLlm = calls.some((c) => c.operation === 'intent');
    let decidedBy: AnswerDetails['intentDecidedBy'] = null;
    if (labelledByLlm) decidedBy = 'llm';
    else if (intent && message.text) decidedBy = classifyIntent(message.text).decidedBy;
    const chat = calls.filter((c) => c.operation !== 'intent');
    return {
      wamid,
      status: message.status,
      ignoreReason: message.ignoreReason,
      intent,
      intentDecidedBy: decidedBy,
      fallbackLevel: reply?.fallbackLevel ?? chat.at(-1)?.fallbackLevel ?? null,
      models: [...new Set(calls.map((c) => c.model))],
      llmCalls: calls.map((c) => ({
        operation: c.operation,
        model: c.model,
        tokens: c.totalTokens,
        charged: c.chargedTokens,
        ms: c.latencyMs,
      })),
      tokensCharged: calls.reduce((n, c) => n + c.chargedTokens, 0),
      tokensTotal: calls.reduce((n, c) => n + c.totalTokens, 0),
      latencyMs: firstSent === undefined ? null : firstSent - message.receivedAt.getTime(),
      replies: replies.map((r) => ({ wamid: r.wamid, status: r.status, type: r.type })),
      balance: { available: balance.available, reserved: balance.reserved },
    };
  }

  private async postWebhook(payload: Record<string, unknown>): Promise<number> {
    const raw = JSON.stringify(payload);
    const address = this.adapterHost.httpAdapter.getHttpServer().address() as AddressInfo;
    const res = await fetch(`http://127.0.0.1:${address.port}/webhooks/whatsapp`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-hub-signature-256': signBody(raw, this.config.WHATSAPP_APP_SECRET),
      },
      body: raw,
    });
    await res.arrayBuffer();
    return res.status;
  }
}
